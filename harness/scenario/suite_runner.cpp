#include "scenario/suite_runner.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace oi::scenario {

namespace {

// Pins the calling worker thread to one of the CPUs the process may use (worker i to the i-th,
// round robin). An adapter process the worker spawns inherits the mask, so a worker and its
// adapters share a CPU: they never run at the same time (the protocol is a strict call tree),
// and a round trip then costs no cross-CPU wake-up (measured here: probe round trip 55 µs
// across CPUs, 12 µs on one). Workers on different CPUs still run in parallel.
// OMEMO_INTEROP_PIN_WORKERS=0 switches it off (to measure the difference, or on a machine
// whose CPUs are busy with other work).
void pin_worker(std::size_t worker) {
  if (const char* pin = std::getenv("OMEMO_INTEROP_PIN_WORKERS"); pin != nullptr && *pin == '0') {
    return;
  }
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  }
  if (cpus.size() < 2) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpus[worker % cpus.size()], &one);
  pthread_setaffinity_np(pthread_self(), sizeof one, &one);
}

}  // namespace

std::vector<CellResult> run_cells(const std::vector<Cell>& cells,
                                  const ImplementationMap& implementations,
                                  const RunSettings& settings, int jobs,
                                  const ProgressCallback& progress) {
  return run_cells(
      cells,
      [&] {
        return WorkerImplementations{{}, implementations};
      },
      settings, jobs, progress);
}

std::vector<CellResult> run_cells(const std::vector<Cell>& cells,
                                  const ImplementationFactory& implementations,
                                  const RunSettings& settings, int jobs,
                                  const ProgressCallback& progress) {
  std::vector<CellResult> results(cells.size());
  std::atomic<std::size_t> next{0};
  std::mutex progress_mutex;
  std::size_t done = 0;
  auto worker = [&](std::size_t worker_index) {
    pin_worker(worker_index);
    WorkerImplementations own = implementations();
    for (std::size_t index = next++; index < cells.size(); index = next++) {
      results[index] = run_cell(cells[index], own.map, settings);
      std::lock_guard<std::mutex> lock(progress_mutex);
      ++done;
      if (progress) progress(results[index], done, cells.size());
    }
  };
  std::size_t workers = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), 1,
                                                std::max<std::size_t>(cells.size(), 1));
  // Always worker threads (also for one job), so that pinning never touches the caller's thread.
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < workers; ++i) threads.emplace_back(worker, i);
  for (std::thread& thread : threads) thread.join();
  return results;
}

}  // namespace oi::scenario
