// Findings: what a codec parser reports about its input besides the value it produced.
//
// Every parser in codec/ returns a Parsed<T>: the value (when the input was usable at all) and
// the deviations it found, each tagged with a requirement ID from spec/requirements.md
// (R-LEG-*, R-OM2-*, R-SRV-*, or an ambiguity A-xx where only an ambiguity applies), a severity
// and the place in the original text. Two pseudo-IDs exist for input that is not even the right
// kind of text: "XML" (not well-formed XML) and "LINT" (nothing OMEMO-related recognised).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oi::codec {

// 1-based line and column (columns count Unicode code points); 0 means unknown.
struct SourceLocation {
  int line = 0;
  int column = 0;
  friend auto operator<=>(const SourceLocation&, const SourceLocation&) = default;
};

enum class Severity {
  must,    // a MUST broken, or input that is unusable
  should,  // a SHOULD / RECOMMENDED broken
  note,    // an accepted deviation from the canonical form that deployed clients send
};

// "must", "should", "note".
std::string_view severity_name(Severity severity);

struct Finding {
  std::string requirement;  // "R-LEG-002", "A-22", "XML", ...
  Severity severity = Severity::must;
  SourceLocation location;
  std::string message;  // the exact deviation: "<key rid='0'>: device id 0 is outside 1..2^31-1"
  friend bool operator==(const Finding&, const Finding&) = default;
};

template <class T>
struct Parsed {
  std::optional<T> value;  // nullopt when the input was unusable (then a `must` finding says why)
  std::vector<Finding> findings;
};

// True when some finding has severity `must`.
bool contains_must(const std::vector<Finding>& findings);

// True when some finding names `requirement` (exact match).
bool contains_requirement(const std::vector<Finding>& findings, std::string_view requirement);

// Stable sort by location (unknown locations first), then severity.
void sort_by_location(std::vector<Finding>& findings);

// "3:14 must R-LEG-002 <key rid='0'>: ..." — one line, for logs and test failure messages.
std::string format_finding(const Finding& finding);

}  // namespace oi::codec
