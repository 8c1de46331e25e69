#include "codec/finding.h"

#include <fmt/format.h>

#include <algorithm>

namespace oi::codec {

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::must:
      return "must";
    case Severity::should:
      return "should";
    case Severity::note:
      return "note";
  }
  return "must";
}

bool contains_must(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::must; });
}

bool contains_requirement(const std::vector<Finding>& findings, std::string_view requirement) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.requirement == requirement; });
}

void sort_by_location(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.location != b.location) return a.location < b.location;
    return static_cast<int>(a.severity) < static_cast<int>(b.severity);
  });
}

std::string format_finding(const Finding& finding) {
  return fmt::format("{}:{} {} {} {}", finding.location.line, finding.location.column,
                     severity_name(finding.severity), finding.requirement, finding.message);
}

}  // namespace oi::codec
