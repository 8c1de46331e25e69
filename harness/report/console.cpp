#include "report/console.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <map>

namespace oi::report {

void print_console_report(const Results& results, std::ostream& out) {
  struct SuiteCounts {
    std::map<std::string, std::size_t> by_verdict;
    std::size_t total = 0;
  };
  std::map<std::string, SuiteCounts> suites;
  std::size_t width = 0;
  for (const CaseResult& result : results.results) {
    SuiteCounts& counts = suites[result.scenario];
    ++counts.by_verdict[std::string(scenario::verdict_name(result.verdict))];
    ++counts.total;
    width = std::max(width, result.scenario.size());
  }
  for (const auto& [name, counts] : suites) {
    std::string breakdown;
    for (const auto& [verdict, count] : counts.by_verdict) {
      breakdown += fmt::format("  {} {}", count, verdict);
    }
    fmt::print(out, "{:<{}}  {:>5} cases{}\n", name, width, counts.total, breakdown);
  }

  Summary summary = results.summary();
  if (summary.unexpected > 0) {
    fmt::print(out, "\nUnexpected results:\n");
    for (const CaseResult& result : results.results) {
      if (!result.unexpected) continue;
      fmt::print(out, "  {} [{}] {}\n", result.id, scenario::verdict_name(result.verdict),
                 result.message);
    }
  }
  std::size_t passed = summary.total - summary.unexpected;
  fmt::print(out, "\n{} cases: {} as expected, {} unexpected", summary.total, passed,
             summary.unexpected);
  for (const auto& [verdict, count] : summary.by_verdict) {
    fmt::print(out, "; {} {}", count, verdict);
  }
  fmt::print(out, "\n");
}

}  // namespace oi::report
