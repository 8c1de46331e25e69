// The service's virtual clock. Time moves only when the scenario advances it, so that two runs
// with the same steps stamp identical <delay/> elements and transcript times.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oi::net {

class VirtualClock {
 public:
  using Milliseconds = std::chrono::milliseconds;

  // 2026-01-01T00:00:00Z, as milliseconds since the Unix epoch.
  static constexpr std::int64_t kDefaultEpochMs = 1767225600000;

  explicit VirtualClock(std::int64_t start_ms = kDefaultEpochMs) : now_ms_(start_ms) {}

  // Milliseconds since the Unix epoch.
  std::int64_t now_ms() const { return now_ms_; }
  // Negative durations are ignored: virtual time never goes backwards.
  void advance(Milliseconds by);

  // XEP-0082 DateTime in UTC of the current time: 2026-01-01T00:00:00Z, with ".mmm" only when
  // the milliseconds are not zero.
  std::string timestamp() const { return format_timestamp(now_ms_); }
  static std::string format_timestamp(std::int64_t ms_since_epoch);
  // Parses the XEP-0082 DateTime forms (with or without fractional seconds, 'Z' or +hh:mm);
  // returns milliseconds since the epoch, nullopt when the text is not such a DateTime.
  static std::optional<std::int64_t> parse_timestamp(std::string_view text);

 private:
  std::int64_t now_ms_;
};

}  // namespace oi::net
