// Metadata of the current run for results.json: start time, harness version and commit, and the
// command line.
#pragma once

#include <string>

#include "report/results.h"

namespace oi::cli {

report::RunInfo current_run_info(int argc, char** argv);

// The git commit of the harness sources, or "unknown" (no git, or not a checkout).
std::string harness_commit();

}  // namespace oi::cli
