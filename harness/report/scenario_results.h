// Turns finished cells into results-model cases: the verdict, the first failed check, the
// decrypted view (what each device reported) followed by the stanza transcript.
#pragma once

#include <vector>

#include "report/results.h"
#include "scenario/cell.h"

namespace oi::report {

CaseResult cell_case(const scenario::Cell& cell, const scenario::CellResult& result);

}  // namespace oi::report
