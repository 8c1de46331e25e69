#include <catch2/catch.hpp>
#include <sstream>

#include "report/results_diff.h"
#include "report_fixture.h"

using namespace oi::report;
using oi::scenario::Verdict;

namespace {
CaseResult* find(Results& results, const std::string& id) {
  for (CaseResult& result : results.results) {
    if (result.id == id) return &result;
  }
  FAIL("no case " << id);
  return nullptr;
}
}  // namespace

TEST_CASE("two identical runs diff empty, durations aside", "[report][diff]") {
  Results old_results = fixture::three_implementations();
  Results new_results = old_results;
  for (CaseResult& result : new_results.results) result.duration_ms += 12.5;
  ResultsDiff diff = diff_results(old_results, new_results);
  CHECK(diff.is_empty());
  std::ostringstream out;
  print_diff_console(diff, out);
  CHECK(out.str() == "No change: every case has the same verdict.\n");
}

TEST_CASE("diff sorts changes into new failures, fixed, changed, added, removed",
          "[report][diff]") {
  Results old_results = fixture::three_implementations();
  Results new_results = old_results;
  // A pass that now fails; a failure that now passes; a pass that is now info; a new and a
  // removed case.
  const std::string broken_id = "session/first-message/legacy/reference-alpha";
  const std::string repaired_id = "session/first-message/legacy/reference-beta";
  CaseResult* broken = find(new_results, broken_id);
  broken->verdict = Verdict::fail;
  broken->unexpected = true;
  CaseResult* repaired = find(new_results, repaired_id);
  repaired->verdict = Verdict::pass;
  repaired->unexpected = false;
  CaseResult* changed = find(new_results, "session/first-message/legacy/alpha-alpha");
  changed->verdict = Verdict::info;
  CaseResult added = *broken;
  added.id = "session/new/legacy/reference-alpha";
  added.verdict = Verdict::pass;
  added.unexpected = false;
  new_results.results.push_back(added);
  new_results.results.erase(new_results.results.begin());  // legacy/reference-reference

  ResultsDiff diff = diff_results(old_results, new_results);
  REQUIRE(diff.new_failures.size() == 1);
  CHECK(diff.new_failures[0].id == broken_id);
  CHECK(diff.new_failures[0].old_verdict == "pass");
  CHECK(diff.new_failures[0].new_verdict == "fail");
  REQUIRE(diff.fixed.size() == 1);
  CHECK(diff.fixed[0].id == repaired_id);
  REQUIRE(diff.changed.size() == 1);
  CHECK(diff.changed[0].new_verdict == "info");
  REQUIRE(diff.added.size() == 1);
  REQUIRE(diff.removed.size() == 1);
  CHECK(diff.removed[0].id == "session/first-message/legacy/reference-reference");

  std::ostringstream out;
  print_diff_console(diff, out);
  CHECK(out.str().find("New failures (1):\n  session/first-message/legacy/reference-alpha pass -> "
                       "fail [R-OM2-020]") != std::string::npos);
  CHECK(out.str().find("1 new failures, 1 fixed, 1 changed, 1 added, 1 removed") !=
        std::string::npos);
  std::string md = render_diff_markdown(diff, "old.json", "new.json");
  CHECK(md.find("**1 new failures**") != std::string::npos);
  CHECK(md.find("## Fixed") != std::string::npos);
}

TEST_CASE("a case new in NEW that is unexpected counts as a new failure", "[report][diff]") {
  Results old_results;
  Results new_results = fixture::three_implementations();
  ResultsDiff diff = diff_results(old_results, new_results);
  std::size_t unexpected = new_results.summary().unexpected;
  CHECK(diff.new_failures.size() == unexpected);
  CHECK(diff.added.size() == new_results.results.size() - unexpected);
}
