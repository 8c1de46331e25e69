// `lint_xml` over the fixture stanzas in tests/data/stanzas and over hand-made bad input.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "codec/lint.h"

using namespace oi::codec;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(OMEMO_INTEROP_SOURCE_DIR) + "/tests/data/stanzas/" + name,
                   std::ios::binary);
  REQUIRE(in);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string dump(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) out += format_finding(f) + "\n";
  return out;
}

bool has(const std::vector<Finding>& findings, std::string_view requirement, Severity severity,
         std::string_view text = {}) {
  for (const Finding& f : findings)
    if (f.requirement == requirement && f.severity == severity &&
        f.message.find(text) != std::string::npos)
      return true;
  return false;
}

bool only_notes(const std::vector<Finding>& findings) {
  for (const Finding& f : findings)
    if (f.severity != Severity::note) return false;
  return true;
}

}  // namespace

TEST_CASE("lint: canonical fixtures of both profiles", "[codec][lint]") {
  struct Case {
    const char* file;
    Profile profile;
    const char* element;
  };
  for (const Case& c : {Case{"legacy_message.xml", Profile::legacy, "message"},
                        Case{"legacy_devicelist_items.xml", Profile::legacy, "iq"},
                        Case{"legacy_bundle_items.xml", Profile::legacy, "iq"},
                        Case{"omemo2_message.xml", Profile::omemo2, "message"},
                        Case{"omemo2_devicelist_publish.xml", Profile::omemo2, "iq"},
                        Case{"omemo2_bundle_publish.xml", Profile::omemo2, "iq"},
                        Case{"omemo2_envelope.xml", Profile::omemo2, "envelope"}}) {
    LintResult result = lint_xml(fixture(c.file));
    INFO(c.file << "\n" << dump(result.findings));
    CHECK(result.profile == c.profile);
    CHECK(result.element == c.element);
    CHECK(only_notes(result.findings));
  }
  // Conversations sends name='OMEMO'; otherwise the legacy fixture is canonical.
  LintResult legacy = lint_xml(fixture("legacy_message.xml"));
  REQUIRE(legacy.findings.size() == 1);
  CHECK(legacy.findings[0].requirement == "A-25");
  CHECK(legacy.findings[0].location == SourceLocation{11, 3});
  CHECK(lint_xml(fixture("omemo2_message.xml")).findings.empty());
}

TEST_CASE("lint: lenient fixtures give notes with locations", "[codec][lint]") {
  LintResult dino = lint_xml(fixture("legacy_message_dino_style.xml"));
  INFO(dump(dino.findings));
  CHECK(only_notes(dino.findings));
  CHECK(has(dino.findings, "A-23", Severity::note, "<key> comes after <iv>"));
  CHECK(has(dino.findings, "A-03", Severity::note, "prekey='1'"));
  CHECK(has(dino.findings, "A-22", Severity::note, "whitespace"));
  for (const Finding& f : dino.findings) CHECK(f.location.line > 0);
  // Sorted by location.
  for (std::size_t i = 1; i < dino.findings.size(); ++i)
    CHECK_FALSE(dino.findings[i].location < dino.findings[i - 1].location);

  LintResult om2 = lint_xml(fixture("omemo2_message_lenient.xml"));
  INFO(dump(om2.findings));
  CHECK(om2.profile == Profile::omemo2);
  CHECK(only_notes(om2.findings));
  CHECK(has(om2.findings, "A-04", Severity::note, "kex='1'"));
  CHECK(has(om2.findings, "A-04", Severity::note, "legacy attribute prekey"));
  CHECK(has(om2.findings, "A-23", Severity::note));
  CHECK(has(om2.findings, "A-22", Severity::note));
  CHECK(has(om2.findings, "A-25", Severity::note));

  LintResult event = lint_xml(fixture("legacy_devicelist_event_dino.xml"));
  INFO(dump(event.findings));
  CHECK(event.element == "message");
  CHECK(event.profile == Profile::legacy);
  CHECK_FALSE(contains_must(event.findings));
  CHECK(has(event.findings, "R-LEG-006", Severity::should, "5f2c6e1b9a3d4"));
  CHECK(has(event.findings, "R-LEG-009", Severity::note, "label='Phone'"));

  LintResult envelope = lint_xml(fixture("omemo2_envelope_lenient.xml"));
  INFO(dump(envelope.findings));
  CHECK(only_notes(envelope.findings));
  CHECK(has(envelope.findings, "A-23", Severity::note) == false);  // affixes have no order
}

TEST_CASE("lint: malformed XML and unrecognised roots", "[codec][lint]") {
  LintResult malformed = lint_xml("<message>\n  <body>hi</bod>\n</message>");
  REQUIRE(malformed.findings.size() == 1);
  CHECK(malformed.findings[0].requirement == "XML");
  CHECK(malformed.findings[0].severity == Severity::must);
  CHECK(malformed.findings[0].location.line == 2);
  CHECK_FALSE(malformed.profile);

  LintResult unknown = lint_xml("<presence/>");
  CHECK(has(unknown.findings, "LINT", Severity::must, "is not a <message>"));
  CHECK(unknown.element.empty());
  CHECK(
      has(lint_xml("<encrypted xmlns='urn:xmpp:omemo:1'/>").findings, "R-OM2-068", Severity::must));
  CHECK(has(lint_xml("<iq type='result'/>").findings, "LINT", Severity::must, "no OMEMO content"));
  CHECK(has(lint_xml("<list xmlns='eu.siacs.conversations.axolotl'/><x/>").findings, "LINT",
            Severity::note, "more than one top-level element"));
  CHECK(has(lint_xml("").findings, "XML", Severity::must));
}

TEST_CASE("lint: bare elements, wrappers and protobuf deviations in <key>", "[codec][lint]") {
  LintResult list = lint_xml("<devices xmlns='urn:xmpp:omemo:2'><device id='1'/></devices>");
  CHECK(list.element == "device list");
  CHECK(list.profile == Profile::omemo2);
  CHECK(lint_xml("<encryption xmlns='urn:xmpp:eme:0' namespace='urn:xmpp:omemo:2'/>").profile ==
        Profile::omemo2);
  CHECK(lint_xml("<bundle xmlns='eu.siacs.conversations.axolotl'/>").element == "bundle");

  std::string carbon =
      "<message from='romeo@montague.example' to='romeo@montague.example/garden'>"
      "<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>" +
      fixture("omemo2_message.xml") + "</forwarded></sent></message>";
  LintResult forwarded = lint_xml(carbon);
  INFO(dump(forwarded.findings));
  CHECK(forwarded.element == "forwarded message");
  CHECK(forwarded.profile == Profile::omemo2);
  CHECK(forwarded.findings.empty());

  // A SignalMessage cut short: "truncated" at a byte offset, reported at the <key>.
  LintResult truncated = lint_xml(
      "<encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='5'>\n"
      "<key rid='6'>MwohBXY2dOx5z+qLjhUD</key><iv>kdQ3LWvXwNP8y3yY</iv></header></encrypted>");
  INFO(dump(truncated.findings));
  CHECK(truncated.element == "encrypted");
  CHECK(has(truncated.findings, "R-LEG-034", Severity::must,
            "<key rid='6'>: SignalMessage: truncated length-delimited field at byte 1"));
  CHECK(truncated.findings[0].location == SourceLocation{2, 1});
}
