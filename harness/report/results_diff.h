// `report diff OLD NEW`: what changed between two runs, case by case (matched by id).
//
// - a new failure: unexpected in NEW, and not unexpected in OLD (or absent from OLD);
// - a fixed case: unexpected in OLD, present in NEW and no longer unexpected;
// - a changed verdict: any other case whose verdict differs;
// - added / removed: ids only one run has (an added case that is unexpected is a new failure).
// Durations, messages and transcripts are not compared: two runs of the same seed differ only
// there (durations), so they diff empty.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "report/results.h"

namespace oi::report {

struct VerdictChange {
  std::string id;
  std::string old_verdict;  // empty when the case is new
  std::string new_verdict;  // empty when the case was removed
  std::vector<std::string> requirements;
  std::string message;  // NEW's message (OLD's for removed cases)
};

struct ResultsDiff {
  std::vector<VerdictChange> new_failures, fixed, changed, added, removed;

  bool is_empty() const;
};

ResultsDiff diff_results(const Results& old_results, const Results& new_results);

void print_diff_console(const ResultsDiff& diff, std::ostream& out);
std::string render_diff_markdown(const ResultsDiff& diff, const std::string& old_name,
                                 const std::string& new_name);

}  // namespace oi::report
