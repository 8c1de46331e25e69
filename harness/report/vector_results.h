// Turns known-answer vector runs into results-model cases: one case per vector record, plus one
// `error` case per load error so that a malformed file is visible in every report.
#pragma once

#include <vector>

#include "report/results.h"
#include "scenario/vector_run.h"

namespace oi::report {

// `implementation` is the name that ran the vectors (e.g. "reference").
std::vector<CaseResult> vector_cases(const scenario::VectorFileRun& run,
                                     const std::string& implementation);

}  // namespace oi::report
