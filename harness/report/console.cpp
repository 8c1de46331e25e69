#include "report/console.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <map>

#include "report/pair_matrix.h"
#include "report/terminal.h"
#include "report/text_escape.h"

namespace oi::report {

namespace {

std::string_view state_colour(CellState state) {
  switch (state) {
    case CellState::failure:
      return "1;31";
    case CellState::error:
      return "1;35";
    case CellState::known:
      return "33";
    case CellState::success:
      return "32";
    case CellState::none:
      return "0";
  }
  return "0";
}

// Per implementation pair and profile: cases, passing, predicted failures, unexpected.
void print_pair_table(const Results& results, std::ostream& out, bool colour) {
  std::vector<ProfileMatrix> matrices = profile_matrices(results);
  if (matrices.empty()) return;
  std::size_t width = 8;
  for (const ProfileMatrix& matrix : matrices) {
    for (const PairCell& cell : matrix.cells) {
      if (cell.counts.total == 0) continue;
      width = std::max(width, cell.producer.size() + cell.consumer.size() + 4);
    }
  }
  fmt::print(out, "\n{:<8} {:<{}} {:>6} {:>7} {:>6} {:>10}\n", "profile", "pair", width, "cases",
             "passing", "known", "unexpected");
  for (const ProfileMatrix& matrix : matrices) {
    for (const PairCell& cell : matrix.cells) {
      const CellCounts& counts = cell.counts;
      if (counts.total == 0) continue;
      CellState state = counts.state();
      std::string pair = valid_utf8(cell.producer) + " -> " + valid_utf8(cell.consumer);
      fmt::print(out, "{:<8} {:<{}} {:>6} {:>7} {:>6} {:>10}  {}\n",
                 matrix.profile.empty() ? "-" : matrix.profile, pair, width, counts.total,
                 counts.passed, counts.known, counts.unexpected,
                 paint(state_glyph(state), state_colour(state), colour));
    }
  }
}

}  // namespace

void print_console_report(const Results& results, std::ostream& out,
                          const ConsoleOptions& options) {
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
    fmt::print(out, "{:<{}}  {:>5} cases{}\n", valid_utf8(name), width, counts.total, breakdown);
  }
  print_pair_table(results, out, options.colour);

  Summary summary = results.summary();
  if (summary.unexpected > 0) {
    fmt::print(out, "\n{}\n", paint("Unexpected results:", "1;31", options.colour));
    for (const CaseResult& result : results.results) {
      if (!result.unexpected) continue;
      std::string requirements;
      for (const std::string& id : result.requirements) {
        requirements += (requirements.empty() ? "" : " ") + id;
      }
      fmt::print(out, "  {} [{}]{} {}\n", valid_utf8(result.id),
                 paint(scenario::verdict_name(result.verdict), "1;31", options.colour),
                 requirements.empty() ? "" : " {" + valid_utf8(requirements) + "}",
                 valid_utf8(result.message));
    }
  }
  std::size_t passed = summary.total - summary.unexpected;
  std::string totals = fmt::format("{} cases: {} as expected, {} unexpected", summary.total, passed,
                                   summary.unexpected);
  fmt::print(out, "\n{}", paint(totals, summary.unexpected == 0 ? "1;32" : "1;31", options.colour));
  for (const auto& [verdict, count] : summary.by_verdict) {
    fmt::print(out, "; {} {}", count, verdict);
  }
  fmt::print(out, "\n");
  if (!options.html_report.empty()) fmt::print(out, "HTML report: {}\n", options.html_report);
}

}  // namespace oi::report
