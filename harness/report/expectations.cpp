#include "report/expectations.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <fstream>

namespace oi::report {

using scenario::Verdict;

std::vector<std::string> alternatives(const std::string& verdicts) {
  std::vector<std::string> names;
  for (std::size_t start = 0;;) {
    std::size_t bar = verdicts.find('|', start);
    names.push_back(verdicts.substr(start, bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return names;
}

ExpectationFile load_expectations(const std::filesystem::path& file) {
  ExpectationFile loaded;
  std::ifstream in(file);
  if (!in) {
    loaded.errors.push_back(fmt::format("{}: cannot open file", file.string()));
    return loaded;
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line.starts_with('#')) continue;
    std::vector<std::string> fields;
    for (std::size_t start = 0;;) {
      std::size_t tab = line.find('\t', start);
      fields.push_back(line.substr(start, tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    std::string place = fmt::format("{}:{}", file.string(), number);
    if (fields.size() < 3 || fields.size() > 4 || fields[0].empty() || fields[2].empty()) {
      loaded.errors.push_back(
          fmt::format("{}: expected <glob> TAB <verdict> TAB <reason> [TAB <link>]", place));
      continue;
    }
    bool known = true;
    for (const std::string& alternative : alternatives(fields[1])) {
      if (!scenario::verdict_from_name(alternative)) {
        loaded.errors.push_back(fmt::format("{}: unknown verdict '{}'", place, alternative));
        known = false;
      }
    }
    if (!known) continue;
    loaded.entries.push_back(
        {fields[0], fields[1], fields[2], fields.size() == 4 ? fields[3] : "", place});
  }
  return loaded;
}

void apply_expectations(const std::vector<Expectation>& entries, std::vector<CaseResult>& results) {
  for (CaseResult& result : results) {
    for (const Expectation& entry : entries) {
      if (fnmatch(entry.glob.c_str(), result.id.c_str(), 0) != 0) continue;
      // Of several alternatives ("fail|pass": a result that varies between runs), the one that
      // describes the actual verdict applies; when none does, the first.
      std::vector<std::string> names = alternatives(entry.verdict);
      std::string verdict = names.front();
      bool is_failure = result.verdict == Verdict::fail || result.verdict == Verdict::non_strict;
      for (const std::string& name : names) {
        bool name_is_failure = name == "fail" || name == "non-strict";
        if (name == scenario::verdict_name(result.verdict) || (name_is_failure && is_failure)) {
          verdict = name;
          break;
        }
      }
      bool expects_failure = verdict == "fail" || verdict == "non-strict";
      if (expects_failure && result.verdict == Verdict::pass) {
        result.verdict = Verdict::xpass;
        result.expected = "xfail";
      } else if (expects_failure &&
                 (result.verdict == Verdict::fail || result.verdict == Verdict::non_strict)) {
        result.verdict = Verdict::xfail;
        result.expected = "xfail";
      } else {
        result.expected = verdict;
      }
      result.unexpected = is_unexpected(result.verdict, result.expected);
      result.expectation_reason = entry.reason;
      result.expectation_link = entry.link;
      result.message += fmt::format(" [expected {} ({}): {}{}{}]", entry.verdict, entry.place,
                                    entry.reason, entry.link.empty() ? "" : " ", entry.link);
      break;
    }
  }
}

}  // namespace oi::report
