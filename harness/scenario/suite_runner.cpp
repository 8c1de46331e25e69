#include "scenario/suite_runner.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace oi::scenario {

bool pin_thread_to_cpu(std::size_t index) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return false;
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  }
  if (cpus.size() < 2) return false;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpus[index % cpus.size()], &one);
  return pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
}

namespace {

// Worker i goes to the i-th allowed CPU (pin_thread_to_cpu), unless
// OMEMO_INTEROP_PIN_WORKERS=0 (to measure the difference, or on a machine whose CPUs are busy
// with other work).
void pin_worker(std::size_t worker) {
  if (const char* pin = std::getenv("OMEMO_INTEROP_PIN_WORKERS"); pin != nullptr && *pin == '0') {
    return;
  }
  pin_thread_to_cpu(worker);
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
