// The runner's promises on the real suite: the same seed gives the same results, and shards
// merged give the unsharded run.
#include <catch2/catch.hpp>
#include <filesystem>

#include "engine/client/reference_client.h"
#include "report/merge.h"
#include "report/results_json.h"
#include "report/scenario_results.h"
#include "scenario/matrix.h"
#include "scenario/scenario_loader.h"
#include "scenario/suite_runner.h"

using namespace oi;

namespace {

// The session scenarios keep this test quick; they exercise every part of the runner.
constexpr const char* kScenarioGlob = "session/*";

report::Results run_suite(const std::vector<scenario::Scenario>& scenarios,
                          std::vector<std::uint8_t> seed, int shard, int shards, int jobs) {
  engine::client::ReferenceImplementation reference;
  scenario::ImplementationMap implementations{{"reference", &reference}};
  scenario::MatrixSelection selection;
  selection.scenario_glob = kScenarioGlob;
  std::vector<scenario::Cell> cells = scenario::shard_cells(
      scenario::expand_cells(scenarios, {{"reference", reference.profiles()}}, selection), shard,
      shards);
  scenario::RunSettings settings;
  settings.seed = std::move(seed);
  std::vector<scenario::CellResult> results =
      scenario::run_cells(cells, implementations, settings, jobs);
  report::Results out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    report::CaseResult result = report::cell_case(cells[i], results[i]);
    result.duration_ms = 0;  // the only field allowed to differ between runs
    out.results.push_back(std::move(result));
  }
  return out;
}

}  // namespace

TEST_CASE("the same seed gives the same results and transcripts, for any --jobs",
          "[scenario][suite]") {
  scenario::ScenarioSet set =
      scenario::load_scenarios(std::filesystem::path(OMEMO_INTEROP_SOURCE_DIR) / "scenarios");
  REQUIRE(set.errors.empty());
  report::Results first = run_suite(set.scenarios, {0x5e, 0xed}, 1, 1, 1);
  report::Results second = run_suite(set.scenarios, {0x5e, 0xed}, 1, 1, 2);
  REQUIRE_FALSE(first.results.empty());
  CHECK(report::results_to_json(first) == report::results_to_json(second));
  report::Results other_seed = run_suite(set.scenarios, {0x01}, 1, 1, 1);
  CHECK(report::results_to_json(first) != report::results_to_json(other_seed));
}

TEST_CASE("shards 1/2 and 2/2 merged equal the unsharded run", "[scenario][suite]") {
  scenario::ScenarioSet set =
      scenario::load_scenarios(std::filesystem::path(OMEMO_INTEROP_SOURCE_DIR) / "scenarios");
  report::Results whole = run_suite(set.scenarios, {0x5e, 0xed}, 1, 1, 1);
  report::Results shard1 = run_suite(set.scenarios, {0x5e, 0xed}, 1, 2, 1);
  report::Results shard2 = run_suite(set.scenarios, {0x5e, 0xed}, 2, 2, 1);
  CHECK(shard1.results.size() + shard2.results.size() == whole.results.size());
  report::Results merged = report::merge_results({shard2, shard1});
  CHECK(report::results_to_json(merged)["results"] == report::results_to_json(whole)["results"]);
}

TEST_CASE("merging refuses a case that differs between shards", "[report][merge]") {
  report::Results a, b;
  report::CaseResult result;
  result.id = "x/legacy/reference-reference";
  result.verdict = scenario::Verdict::pass;
  a.results.push_back(result);
  result.verdict = scenario::Verdict::fail;
  b.results.push_back(result);
  CHECK_THROWS_WITH(report::merge_results({a, b}), Catch::Contains("differs between shards"));
  CHECK(report::merge_results({a, a}).results.size() == 1);
}
