// A progress bar for long runs, on a terminal only:
//   [#########-----------]  120/291  41%  ~3s left  session/first-message/legacy/...
// It appears once the run has lasted `delay` (a run that takes a moment prints nothing), is
// redrawn at most every 100 ms, and is cleared by finish() (or the destructor), so the summary
// that follows starts on a clean line. A non-terminal stream never gets a bar.
//
// Wiring it into a runner is one object and one call per finished item:
//   report::ProgressBar progress(stdout);
//   run_cells(..., [&](const scenario::CellResult& r, std::size_t done, std::size_t total) {
//     progress.update(done, total, r.id);
//   });
//   progress.finish();
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace oi::report {

class ProgressBar {
 public:
  explicit ProgressBar(std::FILE* stream,
                       std::chrono::milliseconds delay = std::chrono::milliseconds(300));
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar();

  // Thread-safe: runners call it from their worker threads.
  void update(std::size_t done, std::size_t total, std::string_view label);
  void finish();

  // The bar line for these numbers (no terminal control characters), `width` columns at most.
  static std::string render(std::size_t done, std::size_t total, double elapsed_seconds,
                            std::string_view label, std::size_t width);

 private:
  std::FILE* stream_;
  bool enabled_;
  std::chrono::milliseconds delay_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
  std::mutex mutex_;
};

}  // namespace oi::report
