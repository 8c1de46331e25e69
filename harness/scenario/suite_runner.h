// Runs cells on a pool of worker threads. Results come back in the order of `cells`, whatever
// order the workers finished in, so reports are identical for any --jobs.
#pragma once

#include <functional>
#include <vector>

#include "scenario/cell_runner.h"

namespace oi::scenario {

// Called once per finished cell (from the worker thread, serialised by the runner).
using ProgressCallback =
    std::function<void(const CellResult& result, std::size_t done, std::size_t total)>;

std::vector<CellResult> run_cells(const std::vector<Cell>& cells,
                                  const ImplementationMap& implementations,
                                  const RunSettings& settings, int jobs,
                                  const ProgressCallback& progress = {});

}  // namespace oi::scenario
