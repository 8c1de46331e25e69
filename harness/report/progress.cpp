#include "report/progress.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "report/terminal.h"
#include "report/text_escape.h"

namespace oi::report {

namespace {

std::size_t terminal_columns(std::FILE* stream) {
  winsize size{};
  if (ioctl(fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col >= 40) return size.ws_col;
  return 80;
}

}  // namespace

ProgressBar::ProgressBar(std::FILE* stream, std::chrono::milliseconds delay)
    : stream_(stream),
      enabled_(is_terminal(stream)),
      delay_(delay),
      started_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  finish();
}

std::string ProgressBar::render(std::size_t done, std::size_t total, double elapsed_seconds,
                                std::string_view label, std::size_t width) {
  constexpr std::size_t kBar = 20;
  std::size_t filled = total == 0 ? kBar : std::min(kBar, done * kBar / total);
  std::size_t percent = total == 0 ? 100 : std::min<std::size_t>(100, done * 100 / total);
  std::string eta = "";
  if (done > 0 && done < total) {
    double left = elapsed_seconds / static_cast<double>(done) * static_cast<double>(total - done);
    eta = fmt::format("  ~{:.0f}s left", left);
  }
  std::string line = fmt::format("[{}{}] {:>5}/{} {:>3}%{}  ", std::string(filled, '#'),
                                 std::string(kBar - filled, '-'), done, total, percent, eta);
  std::string clean = valid_utf8(label);
  for (char& c : clean) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (line.size() < width) line += clean.substr(0, width - line.size());
  return line.substr(0, width);
}

void ProgressBar::update(std::size_t done, std::size_t total, std::string_view label) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (now - started_ < delay_) return;
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && done < total) return;
  last_draw_ = now;
  drawn_ = true;
  double elapsed = std::chrono::duration<double>(now - started_).count();
  std::size_t width = terminal_columns(stream_) - 1;
  fmt::print(stream_, "\r{}\x1b[K", render(done, total, elapsed, label, width));
  std::fflush(stream_);
}

void ProgressBar::finish() {
  std::lock_guard lock(mutex_);
  if (!drawn_) return;
  fmt::print(stream_, "\r\x1b[K");
  std::fflush(stream_);
  drawn_ = false;
}

}  // namespace oi::report
