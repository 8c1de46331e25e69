// The scenario loader: a bad file gives file:line:column errors and no scenario; good files load.
#include "scenario/scenario_loader.h"

#include <catch2/catch.hpp>

#include "scenario/cell.h"

using namespace oi::scenario;

namespace {

std::string scenario_text(const std::string& steps) {
  return "<scenario xmlns='urn:omemo-interop:scenario:1' id='t/x'>\n"
         "<description>d</description>\n"
         "<requirements>R-LEG-001</requirements>\n"
         "<roles><role name='A' jid='a@example.org'/></roles>\n"
         "<steps>\n" +
         steps + "</steps>\n</scenario>\n";
}

}  // namespace

TEST_CASE("a well-formed scenario loads with defaults", "[scenario][loader]") {
  ScenarioLoad load = parse_scenario(
      scenario_text("<device name='a1' role='A'/>\n<send from='a1' to='A' body='x'/>\n"), "t.xml");
  REQUIRE(load.errors.empty());
  REQUIRE(load.scenario.has_value());
  CHECK(load.scenario->profiles.size() == 2);
  REQUIRE(load.scenario->steps.size() == 2);
  CHECK(load.scenario->steps[1].kind == "send");
  CHECK(load.scenario->steps[1].place.line == 7);
}

TEST_CASE("loader errors name file, line and column", "[scenario][loader]") {
  SECTION("not well-formed XML") {
    ScenarioLoad load = parse_scenario("<scenario>\n<oops", "bad.xml");
    REQUIRE_FALSE(load.scenario.has_value());
    REQUIRE(load.errors.size() == 1);
    CHECK(load.errors[0].starts_with("bad.xml:2:"));
    CHECK(load.errors[0].find("not well-formed XML") != std::string::npos);
  }
  SECTION("an unknown step, a missing attribute, an unknown attribute, an undeclared device") {
    ScenarioLoad load = parse_scenario(scenario_text("<device name='a1' role='A'/>\n"
                                                     "<teleport/>\n"
                                                     "<send from='a1'/>\n"
                                                     "<deliver to='a1' colour='red'/>\n"
                                                     "<deliver to='zz'/>\n"),
                                       "s.xml");
    REQUIRE_FALSE(load.scenario.has_value());
    REQUIRE(load.errors.size() == 4);
    CHECK(load.errors[0] == "s.xml:7:1: unknown step <teleport>");
    CHECK(load.errors[1] == "s.xml:8:1: <send> needs the attribute 'to'");
    CHECK(load.errors[2] == "s.xml:9:1: <deliver> has no attribute 'colour'");
    CHECK(load.errors[3] == "s.xml:10:1: <deliver> to='zz' is not a device declared before");
  }
  SECTION("a bad requirement id and an unknown role") {
    ScenarioLoad load = parse_scenario(
        "<scenario xmlns='urn:omemo-interop:scenario:1' id='t/y'><description>d</description>"
        "<requirements>R-LEG-1</requirements><roles><role name='A' jid='a@x'/></roles>"
        "<steps><device name='b1' role='B'/></steps></scenario>",
        "r.xml");
    REQUIRE(load.errors.size() == 2);
    CHECK(load.errors[0].find("'R-LEG-1' is not a requirement id") != std::string::npos);
    CHECK(load.errors[1].find("unknown role 'B'") != std::string::npos);
  }
}

TEST_CASE("cell verdicts follow the levels of the failed checks", "[scenario][verdict]") {
  CHECK(verdict_from_checks({}) == Verdict::error);  // a case with no check is not a pass
  CHECK(verdict_from_checks({{"R-LEG-001", "must", true, ""}}) == Verdict::pass);
  CHECK(verdict_from_checks({{"", "info", false, ""}}) == Verdict::info);
  CHECK(verdict_from_checks({{"", "info", false, ""}, {"", "should", false, ""}}) ==
        Verdict::non_strict);
  CHECK(verdict_from_checks({{"", "should", false, ""}, {"", "must", false, ""}}) == Verdict::fail);
}

TEST_CASE("the shipped scenarios all load", "[scenario][loader]") {
  ScenarioSet set = load_scenarios(std::filesystem::path(OMEMO_INTEROP_SOURCE_DIR) / "scenarios");
  for (const std::string& error : set.errors) INFO(error);
  CHECK(set.errors.empty());
  CHECK(set.scenarios.size() >= 100);
}
