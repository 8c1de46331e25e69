#include "net/virtual_clock.h"

#include <fmt/format.h>

namespace oi::net {

namespace {

using namespace std::chrono;

// Reads exactly `width` decimal digits at `pos`.
std::optional<int> read_digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

void VirtualClock::advance(Milliseconds by) {
  if (by.count() > 0) now_ms_ += by.count();
}

std::string VirtualClock::format_timestamp(std::int64_t ms_since_epoch) {
  sys_time<milliseconds> point{milliseconds{ms_since_epoch}};
  sys_days day = floor<days>(point);
  year_month_day date{day};
  hh_mm_ss<milliseconds> time{point - day};
  std::string out =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  time.hours().count(), time.minutes().count(), time.seconds().count());
  if (time.subseconds().count() != 0) out += fmt::format(".{:03}", time.subseconds().count());
  return out + "Z";
}

std::optional<std::int64_t> VirtualClock::parse_timestamp(std::string_view text) {
  // CCYY-MM-DDThh:mm:ss[.sss]TZD
  auto y = read_digits(text, 0, 4), mo = read_digits(text, 5, 2), d = read_digits(text, 8, 2);
  auto h = read_digits(text, 11, 2), mi = read_digits(text, 14, 2), s = read_digits(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':')
    return std::nullopt;
  year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok() || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t fraction_ms = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) fraction_ms = fraction_ms * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t i = digits; i < 3; ++i) fraction_ms *= 10;
  }
  std::int64_t offset_minutes = 0;
  if (pos < text.size() && text[pos] == 'Z') {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    auto oh = read_digits(text, pos + 1, 2), om = read_digits(text, pos + 4, 2);
    if (!oh || !om || text[pos + 3] != ':') return std::nullopt;
    offset_minutes = (*oh * 60 + *om) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  std::int64_t day_ms = sys_days{date}.time_since_epoch().count() * 86400000LL;
  return day_ms + ((*h * 60LL + *mi - offset_minutes) * 60LL + *s) * 1000LL + fraction_ms;
}

}  // namespace oi::net
