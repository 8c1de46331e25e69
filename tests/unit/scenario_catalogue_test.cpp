#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "scenario/requirement_catalogue.h"
#include "scenario/verdict.h"

using namespace oi::scenario;

namespace {
std::filesystem::path write_temp(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << content;
  return path;
}
}  // namespace

TEST_CASE("the shipped catalogue loads every requirement and ambiguity", "[catalogue]") {
  RequirementCatalogue catalogue = load_requirement_catalogue(
      std::filesystem::path(OMEMO_INTEROP_SOURCE_DIR) / "scenarios/requirements.tsv");
  CHECK(catalogue.load_errors.empty());
  // The spec counts 47 legacy, 70 OMEMO 2 and 26 server requirements, plus A-01..A-34.
  auto count_prefix = [&](std::string_view prefix) {
    return std::count_if(catalogue.requirements.begin(), catalogue.requirements.end(),
                         [&](const Requirement& r) { return r.id.starts_with(prefix); });
  };
  CHECK(count_prefix("R-LEG-") == 47);
  CHECK(count_prefix("R-OM2-") == 70);
  CHECK(count_prefix("R-SRV-") == 26);
  CHECK(count_prefix("A-") == 34);
  const Requirement* device_id = catalogue.find("R-OM2-020");
  REQUIRE(device_id != nullptr);
  CHECK(device_id->level.starts_with("MUST"));
  CHECK(device_id->summary() == "Device id is in 1..2^31−1 and unique on the account.");
}

TEST_CASE("catalogue lines that do not parse are reported with file and line", "[catalogue]") {
  auto path = write_temp("oi_catalogue_test.tsv",
                         "# comment\n"
                         "R-LEG-001\tMUST\t§4.1\ta\tIdentity key is Curve25519.\n"
                         "R-LEG-1\tMUST\t§4.1\ta\tbad id\n"
                         "R-LEG-002\tMUST\tonly three\n"
                         "R-LEG-001\tMUST\t§4.1\ta\tduplicate\n");
  RequirementCatalogue catalogue = load_requirement_catalogue(path);
  REQUIRE(catalogue.requirements.size() == 1);
  REQUIRE(catalogue.load_errors.size() == 3);
  CHECK(catalogue.load_errors[0].ends_with(":3: 'R-LEG-1' is not a requirement id"));
  CHECK(catalogue.load_errors[1].ends_with(":4: expected 5 tab-separated fields, found 3"));
  CHECK(catalogue.load_errors[2].ends_with(":5: duplicate requirement id R-LEG-001"));
}

TEST_CASE("a missing catalogue file is one load error, not an exception", "[catalogue]") {
  RequirementCatalogue catalogue = load_requirement_catalogue("/nonexistent/requirements.tsv");
  CHECK(catalogue.requirements.empty());
  REQUIRE(catalogue.load_errors.size() == 1);
  CHECK(catalogue.load_errors[0].find("cannot open") != std::string::npos);
}

TEST_CASE("summary stops at the first sentence but not at e.g.", "[catalogue]") {
  Requirement requirement{"A-01", "", "", "", "Send 12, e.g. like Dino. Accept 16."};
  CHECK(requirement.summary() == "Send 12, e.g. like Dino.");
}

TEST_CASE("verdict names round-trip and classify", "[verdict]") {
  for (Verdict v : {Verdict::pass, Verdict::fail, Verdict::non_strict, Verdict::info,
                    Verdict::unsupported, Verdict::not_applicable, Verdict::timeout, Verdict::crash,
                    Verdict::error, Verdict::xfail, Verdict::xpass}) {
    CHECK(verdict_from_name(verdict_name(v)) == v);
  }
  CHECK(verdict_name(Verdict::non_strict) == "non-strict");
  CHECK_FALSE(verdict_from_name("passed").has_value());
  CHECK_FALSE(is_failure_verdict(Verdict::pass));
  CHECK_FALSE(is_failure_verdict(Verdict::info));
  // Unsupported, crash, timeout and error never count as success.
  CHECK(is_failure_verdict(Verdict::unsupported));
  CHECK(is_failure_verdict(Verdict::crash));
  CHECK(is_failure_verdict(Verdict::timeout));
  CHECK(is_failure_verdict(Verdict::error));
}
