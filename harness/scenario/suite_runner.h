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

// Pins the calling thread to the index-th CPU the process may use (round robin); processes it
// spawns afterwards inherit the mask. The runner pins worker i this way, so that a worker and its
// adapter share a CPU: they never run at the same time (the adapter protocol is a strict call
// tree), and a round trip then costs no cross-CPU wake-up (measured here: probe round trip 55 µs
// across CPUs, 12 µs on one). False when there is only one CPU or the call fails.
bool pin_thread_to_cpu(std::size_t index);

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
