// The runner's multi-device, catch-up and MUC steps and expectations (room, join, leave,
// affiliation, catch-up, expect-no-display, expect-received via/no-finding): what they check,
// and that they fail when they should.
#include <catch2/catch.hpp>
#include <string>

#include "engine/client/reference_client.h"
#include "scenario/cell_runner.h"
#include "scenario/scenario_loader.h"

using namespace oi;

namespace {

const char* kRoles = R"(<roles><role name="A" jid="alice@example.org"/>
  <role name="B" jid="bob@example.org"/><role name="C" jid="carol@example.org"/></roles>)";

std::string scenario_text(const std::string& steps, const std::string& server = "") {
  return std::string(R"(<scenario xmlns="urn:omemo-interop:scenario:1" id="t/steps">)") +
         "<description>test</description>" + kRoles + server + "<steps>" + steps +
         "</steps></scenario>";
}

scenario::CellResult run(const std::string& steps, const std::string& server = "",
                         codec::Profile profile = codec::Profile::omemo2) {
  scenario::ScenarioLoad load = scenario::parse_scenario(scenario_text(steps, server), "t.xml");
  REQUIRE(load.errors.empty());
  engine::client::ReferenceImplementation reference;
  scenario::ImplementationMap implementations{{"reference", &reference}};
  scenario::Cell cell;
  cell.scenario = &*load.scenario;
  cell.profile = profile;
  cell.roles = {{"A", "reference"}, {"B", "reference"}, {"C", "reference"}};
  scenario::RunSettings settings;
  settings.seed = {0x5e, 0xed};
  return scenario::run_cell(cell, implementations, settings);
}

// The held flags of the checks, in order.
std::vector<bool> held(const scenario::CellResult& result) {
  std::vector<bool> out;
  for (const scenario::Check& check : result.checks) out.push_back(check.held);
  return out;
}

constexpr const char* kTwoDevices = R"(<device name="b1" role="B"/><device name="a1" role="A"/>)";

}  // namespace

TEST_CASE("the loader knows the new steps and checks their attributes", "[scenario][steps]") {
  CHECK(scenario::parse_scenario(scenario_text(R"(<device name="a1" role="A"/>
              <room jid="r@conference.example.org" owner="A" members="B" admins="C"
                    non-anonymous="true" members-only="false" persistent="true" name="R"/>
              <join device="a1" room="r@conference.example.org" nick="n" expect="ok"/>
              <affiliation device="a1" room="r@conference.example.org" jid="B" affiliation="none"/>
              <leave device="a1" room="r@conference.example.org"/>
              <catch-up device="a1" from="start" expect="error:server_error"/>
              <expect-no-display device="a1" requirement="R-OM2-050" level="should"/>
              <expect-received device="a1" via="archive" no-finding="*"/>)"),
                                 "t.xml")
            .errors.empty());
  scenario::ScenarioLoad bad =
      scenario::parse_scenario(scenario_text(R"(<catch-up device="x1"/><room jid="r@c"/>
              <join device="a1" room="r@c" colour="red"/>)"),
                               "t.xml");
  REQUIRE(bad.errors.size() == 4);
  CHECK_THAT(bad.errors[0], Catch::Contains("catch-up> device='x1' is not a device"));
  CHECK_THAT(bad.errors[1], Catch::Contains("needs the attribute 'owner'"));
  CHECK_THAT(bad.errors[2], Catch::Contains("has no attribute 'colour'"));
  CHECK_THAT(bad.errors[3], Catch::Contains("join> device='a1' is not a device"));
}

TEST_CASE("expect-no-display: a duplicate is not shown, a message or another error is",
          "[scenario][steps]") {
  for (codec::Profile profile : {codec::Profile::legacy, codec::Profile::omemo2}) {
    scenario::CellResult result = run(std::string(kTwoDevices) + R"(
      <send from="a1" to="B" body="x"/><deliver to="b1"/>
      <expect-received device="b1" body="x" via="live"/>
      <replay to="b1"/>
      <expect-no-display device="b1"/>
      <send from="a1" to="B" body="y"/><deliver to="b1"/>
      <expect-no-display device="b1"/>
      <expect-no-display device="b1"/>)",
                                      "", profile);
    CHECK(result.verdict == scenario::Verdict::fail);
    // send, received, duplicate not shown, send, "y" shown, nothing left.
    CHECK(held(result) == std::vector<bool>{true, true, true, true, false, true});
    CHECK_THAT(result.checks[4].message, Catch::Contains("body=\"y\""));
  }
}

TEST_CASE("expect-received via names the route of the stanza", "[scenario][steps]") {
  scenario::CellResult result = run(std::string(kTwoDevices) + R"(
      <offline device="b1"/><send from="a1" to="B" body="x"/><online device="b1"/>
      <deliver to="b1"/><expect-received device="b1" body="x" via="live"/>
      <catch-up device="b1" from="start"/><expect-received device="b1" kind="error" error="replay" via="archive"/>)");
  // send, via live (wrong: it was delayed), the archive copy.
  CHECK(held(result) == std::vector<bool>{true, false, true});
  CHECK_THAT(result.checks[1].message, Catch::Contains("via delayed"));
}

TEST_CASE("catch-up: checked with expect, a step error without", "[scenario][steps]") {
  const char* server = R"(<server mam="false"/>)";
  scenario::CellResult expected = run(
      std::string(kTwoDevices) + R"(<catch-up device="b1" expect="error:server_error"/>)", server);
  CHECK(expected.verdict == scenario::Verdict::pass);
  scenario::CellResult wrong_class =
      run(std::string(kTwoDevices) + R"(<catch-up device="b1" expect="error:replay"/>)", server);
  CHECK(wrong_class.verdict == scenario::Verdict::fail);
  scenario::CellResult unexpected =
      run(std::string(kTwoDevices) + R"(<catch-up device="b1"/><expect-no-message device="b1"/>)",
          server);
  CHECK(unexpected.verdict == scenario::Verdict::error);
  CHECK_THAT(unexpected.message, Catch::Contains("<catch-up>"));
}

TEST_CASE("MUC steps: join refusals, bans and anonymous rooms", "[scenario][steps][muc]") {
  const std::string devices =
      R"(<device name="a1" role="A"/><device name="b1" role="B"/><device name="c1" role="C"/>)";
  SECTION("a non-member cannot join a members-only room") {
    scenario::CellResult result = run(devices + R"(
      <room jid="r@conference.example.org" owner="A" members="B"/>
      <join device="b1" room="r@conference.example.org"/>
      <join device="c1" room="r@conference.example.org" expect="error"/>
      <join device="c1" room="r@conference.example.org" expect="ok"/>)");
    CHECK(held(result) == std::vector<bool>{true, false});
  }
  SECTION("a join the room refuses, without expect, ends the cell with an error") {
    scenario::CellResult result = run(devices + R"(
      <room jid="r@conference.example.org" owner="A"/>
      <join device="c1" room="r@conference.example.org"/>
      <expect-no-message device="c1"/>)");
    CHECK(result.verdict == scenario::Verdict::error);
  }
  SECTION("after a ban the member's devices get no key; leave removes the occupant") {
    scenario::CellResult result = run(devices + R"(
      <room jid="r@conference.example.org" owner="A" members="B C"/>
      <join device="a1" room="r@conference.example.org"/>
      <join device="b1" room="r@conference.example.org"/>
      <join device="c1" room="r@conference.example.org"/>
      <affiliation device="a1" room="r@conference.example.org" jid="C" affiliation="outcast"/>
      <leave device="b1" room="r@conference.example.org"/>
      <send from="a1" to="r@conference.example.org" type="groupchat" body="x"/>
      <expect-wire from="a1" count="==0" xpath="//*[local-name()='key'][@rid='{c1.id}']"/>
      <expect-wire from="a1" count="==1" xpath="//*[local-name()='key'][@rid='{b1.id}']"/>
      <deliver to="b1"/><expect-no-message device="b1"/>)");
    CHECK(result.verdict == scenario::Verdict::pass);
  }
  SECTION("a semi-anonymous room: the send is refused with anonymous_room") {
    scenario::CellResult result = run(devices + R"(
      <room jid="r@conference.example.org" owner="A" members="B" non-anonymous="false"/>
      <join device="a1" room="r@conference.example.org"/>
      <send from="a1" to="r@conference.example.org" type="groupchat" body="x"
            expect="error:anonymous_room"/>
      <send from="a1" to="r@conference.example.org" type="groupchat" body="x"/>)");
    CHECK(held(result) == std::vector<bool>{true, false});
    CHECK_THAT(result.checks[1].message, Catch::Contains("anonymous_room"));
  }
}
