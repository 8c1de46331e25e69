#include "report/results_diff.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <map>

#include "report/markdown_report.h"
#include "report/text_escape.h"

namespace oi::report {

bool ResultsDiff::is_empty() const {
  return new_failures.empty() && fixed.empty() && changed.empty() && added.empty() &&
         removed.empty();
}

ResultsDiff diff_results(const Results& old_results, const Results& new_results) {
  std::map<std::string, const CaseResult*> old_by_id, new_by_id;
  for (const CaseResult& result : old_results.results) old_by_id[result.id] = &result;
  for (const CaseResult& result : new_results.results) new_by_id[result.id] = &result;
  ResultsDiff diff;
  for (const CaseResult& now : new_results.results) {
    auto found = old_by_id.find(now.id);
    const CaseResult* before = found == old_by_id.end() ? nullptr : found->second;
    VerdictChange change{now.id, before ? std::string(scenario::verdict_name(before->verdict)) : "",
                         std::string(scenario::verdict_name(now.verdict)), now.requirements,
                         now.message};
    if (now.unexpected && (before == nullptr || !before->unexpected)) {
      diff.new_failures.push_back(std::move(change));
    } else if (before == nullptr) {
      diff.added.push_back(std::move(change));
    } else if (before->unexpected && !now.unexpected) {
      diff.fixed.push_back(std::move(change));
    } else if (before->verdict != now.verdict) {
      diff.changed.push_back(std::move(change));
    }
  }
  for (const CaseResult& before : old_results.results) {
    if (new_by_id.contains(before.id)) continue;
    diff.removed.push_back({before.id, std::string(scenario::verdict_name(before.verdict)), "",
                            before.requirements, before.message});
  }
  return diff;
}

namespace {

struct Section {
  const char* title;
  const std::vector<VerdictChange>* changes;
};

std::vector<Section> sections(const ResultsDiff& diff) {
  return {{"New failures", &diff.new_failures},
          {"Fixed", &diff.fixed},
          {"Changed verdicts", &diff.changed},
          {"Added cases", &diff.added},
          {"Removed cases", &diff.removed}};
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

}  // namespace

void print_diff_console(const ResultsDiff& diff, std::ostream& out) {
  if (diff.is_empty()) {
    fmt::print(out, "No change: every case has the same verdict.\n");
    return;
  }
  for (const Section& section : sections(diff)) {
    if (section.changes->empty()) continue;
    fmt::print(out, "{} ({}):\n", section.title, section.changes->size());
    for (const VerdictChange& change : *section.changes) {
      fmt::print(out, "  {} {} -> {}{}{}\n", valid_utf8(change.id),
                 change.old_verdict.empty() ? "(none)" : change.old_verdict,
                 change.new_verdict.empty() ? "(none)" : change.new_verdict,
                 change.requirements.empty() ? "" : " [" + joined(change.requirements) + "]",
                 change.message.empty() ? "" : ": " + valid_utf8(change.message));
    }
  }
  fmt::print(out, "{} new failures, {} fixed, {} changed, {} added, {} removed\n",
             diff.new_failures.size(), diff.fixed.size(), diff.changed.size(), diff.added.size(),
             diff.removed.size());
}

std::string render_diff_markdown(const ResultsDiff& diff, const std::string& old_name,
                                 const std::string& new_name) {
  std::string md = fmt::format("# omemo-interop: {} \u2192 {}\n\n", markdown_cell(old_name),
                               markdown_cell(new_name));
  md += fmt::format("**{} new failures**, {} fixed, {} changed verdicts, {} added, {} removed.\n",
                    diff.new_failures.size(), diff.fixed.size(), diff.changed.size(),
                    diff.added.size(), diff.removed.size());
  for (const Section& section : sections(diff)) {
    if (section.changes->empty()) continue;
    md += fmt::format(
        "\n## {}\n\n| case | before | after | requirements | message |\n"
        "|---|---|---|---|---|\n",
        section.title);
    for (const VerdictChange& change : *section.changes) {
      md += fmt::format("| {} | {} | {} | {} | {} |\n", markdown_cell(change.id),
                        change.old_verdict.empty() ? "\u2013" : change.old_verdict,
                        change.new_verdict.empty() ? "\u2013" : change.new_verdict,
                        markdown_cell(joined(change.requirements)), markdown_cell(change.message));
    }
  }
  return md;
}

}  // namespace oi::report
