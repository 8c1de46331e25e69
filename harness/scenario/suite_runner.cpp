#include "scenario/suite_runner.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace oi::scenario {

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
  auto worker = [&] {
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
  if (workers == 1) {
    worker();
    return results;
  }
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < workers; ++i) threads.emplace_back(worker);
  for (std::thread& thread : threads) thread.join();
  return results;
}

}  // namespace oi::scenario
