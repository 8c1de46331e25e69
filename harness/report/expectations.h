// Expectation files: known results with reasons, so that CI stays green on known gaps and turns
// red on changes. One entry per line, tab-separated:
//
//   <case glob>  <expected verdict>  <reason a developer of that implementation would accept>
//   [link]
//
// '#' starts a comment line. The glob is matched (fnmatch) against case ids. The verdict may
// name alternatives, "fail|pass", for a result that varies between runs of the same seed (an
// implementation whose choices depend on memory addresses); the reason must say why.
//
// Scoring (DESIGN.md): an entry expecting `fail` (or `non-strict`) turns a matching fail into
// `xfail` and a pass into `xpass` (unexpected). unsupported, crash, timeout and error never
// satisfy an expectation that something must fail. An entry expecting any other verdict is
// met when the verdict equals it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "report/results.h"

namespace oi::report {

struct Expectation {
  std::string glob;
  std::string verdict;
  std::string reason;
  std::string link;
  std::string place;  // "file:line"
};

struct ExpectationFile {
  std::vector<Expectation> entries;
  std::vector<std::string> errors;  // "file:line: message"; other lines still load
};

ExpectationFile load_expectations(const std::filesystem::path& file);

// "fail|pass" -> {"fail", "pass"}.
std::vector<std::string> alternatives(const std::string& verdicts);

// Applies the first matching entry to each result: sets expected, adjusts the verdict (xfail,
// xpass), recomputes unexpected, records the entry's reason and link, and appends them to the
// message.
void apply_expectations(const std::vector<Expectation>& entries, std::vector<CaseResult>& results);

}  // namespace oi::report
