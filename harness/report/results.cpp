#include "report/results.h"

namespace oi::report {

Summary Results::summary() const {
  Summary summary;
  summary.total = results.size();
  for (const CaseResult& result : results) {
    ++summary.by_verdict[std::string(scenario::verdict_name(result.verdict))];
    if (result.unexpected) ++summary.unexpected;
  }
  return summary;
}

bool is_unexpected(scenario::Verdict verdict, const std::string& expected) {
  if (expected.empty()) return scenario::is_failure_verdict(verdict);
  return scenario::verdict_name(verdict) != expected;
}

std::string area_of(const std::string& scenario) {
  if (scenario.starts_with("vectors/")) return "vectors";
  return scenario.substr(0, scenario.find('/'));
}

}  // namespace oi::report
