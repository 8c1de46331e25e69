// Runs cells on a pool of worker threads. Results come back in the order of `cells`, whatever
// order the workers finished in, so reports are identical for any --jobs.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "scenario/cell_runner.h"

namespace oi::scenario {

// Called once per finished cell (from the worker thread, serialised by the runner).
using ProgressCallback =
    std::function<void(const CellResult& result, std::size_t done, std::size_t total)>;

// The implementations one worker uses for all its cells. Each worker calls the factory once, so
// an adapter process is never shared between threads; `map` may also point to shared stateless
// in-process implementations that `owned` does not hold. `owned` is destroyed when the worker
// is done (adapters shut down then).
struct WorkerImplementations {
  std::vector<std::unique_ptr<engine::client::Implementation>> owned;
  ImplementationMap map;
};
using ImplementationFactory = std::function<WorkerImplementations()>;

std::vector<CellResult> run_cells(const std::vector<Cell>& cells,
                                  const ImplementationFactory& implementations,
                                  const RunSettings& settings, int jobs,
                                  const ProgressCallback& progress = {});

// Every worker shares `implementations` (in-process implementations only).
std::vector<CellResult> run_cells(const std::vector<Cell>& cells,
                                  const ImplementationMap& implementations,
                                  const RunSettings& settings, int jobs,
                                  const ProgressCallback& progress = {});

}  // namespace oi::scenario
