// Bad input never crashes the embedded service and never throws out of it: malformed XML,
// random bytes, and random mutations of valid stanzas are submitted by a bound client; each
// malformed stanza gets a <bad-request/> reply and a `rejected` transcript entry. Run under
// the sanitizer build, this is the service's robustness check.
#include <random>

#include "net_test_support.h"

using namespace oi::net;
using namespace net_test;

namespace {

const std::string kAlicePhone = "alice@example.org/phone";
const std::string kBobPhone = "bob@example.org/phone";

std::vector<std::string> fixtures() {
  return {
      publish_iq("p1", kDevices, "current", devices_payload({1, 2}),
                 {{"pubsub#access_model", "open"}, {"pubsub#max_items", "max"}}),
      items_iq("i1", "bob@example.org", kDevices, "<item id='current'/>", " max_items='1'"),
      configure_iq("c1", kDevices, {{"pubsub#max_items", "3"}}),
      omemo_message("bob@example.org"),
      omemo_message("omemo@conference.example.org", "groupchat"),
      "<presence to='omemo@conference.example.org/a'><x xmlns='http://jabber.org/protocol/muc'/>"
      "</presence>",
      "<presence to='bob@example.org' type='subscribe'/>",
      "<iq type='set' id='q'><query xmlns='urn:xmpp:mam:2'><set "
      "xmlns='http://jabber.org/protocol/rsm'><max>2</max><before/></set></query></iq>",
      "<iq type='get' id='a' to='omemo@conference.example.org'><query "
      "xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='member'/></query></iq>",
      "<iq type='set' id='r'><query xmlns='jabber:iq:roster'><item jid='bob@example.org'/></query>"
      "</iq>",
  };
}

}  // namespace

TEST_CASE("robustness: malformed stanzas get bad-request and a rejected entry",
          "[net][robustness]") {
  Server server;
  online(server, kAlicePhone);
  server.drain(kAlicePhone);
  const std::vector<std::string> bad = {
      "",
      "not xml",
      "<iq",
      "<message><body>unclosed</message>",
      "<iq type='get' id='x'/><iq/>",
      "<?xml version='1.0'?>",
      "text<message/>",
      "<message to='a@b' to='c@d'/>",
      std::string("<message>\0</message>", 20),
      "<presence xmlns:p='urn:p'><p:x/></presence",
  };
  for (const auto& text : bad) {
    std::size_t before = server.transcript().size();
    server.submit(kAlicePhone, text);
    auto replies = drain(server, kAlicePhone);
    INFO(text);
    REQUIRE(replies.size() == 1);
    CHECK(contains(replies[0], "<bad-request"));
    CHECK(server.transcript().entries()[before].disposition == Disposition::rejected);
  }
  // Well-formed but wrong: unknown stanza kinds, foreign namespaces, bad JIDs, an unbound sender.
  server.submit(kAlicePhone, "<foo/>");
  CHECK(contains(drain(server, kAlicePhone).at(0), "<feature-not-implemented"));
  server.submit(kAlicePhone, "<message xmlns='urn:other' to='bob@example.org'/>");
  CHECK(contains(drain(server, kAlicePhone).at(0), "<bad-request"));
  server.submit(kAlicePhone, "<message to='@@'/>");
  CHECK(contains(drain(server, kAlicePhone).at(0), "<jid-malformed"));
  server.submit("ghost@example.org/x", "<message to='bob@example.org'/>");
  CHECK(contains(drain(server, "ghost@example.org/x").at(0), "<not-authorized"));
  server.submit(kAlicePhone, "<iq type='bogus' id='1'><ping xmlns='urn:xmpp:ping'/></iq>");
  CHECK(contains(drain(server, kAlicePhone).at(0), "<bad-request"));

  // Deep nesting, through the fault matcher as well as the service.
  StanzaMatcher omemo;
  omemo.contains_namespace = "urn:xmpp:omemo:2";
  server.faults().add(drop_rule("never", omemo));
  std::string deep = "<message to='bob@example.org'>";
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  for (int i = 0; i < 100000; ++i) deep += "</a>";
  deep += "<body>urn:xmpp:omemo:2</body></message>";
  online(server, kBobPhone);
  server.drain(kBobPhone);
  REQUIRE_NOTHROW(server.submit(kAlicePhone, deep));
  CHECK(server.drain(kBobPhone).size() == 1);
  std::string repeated = "<message to='bob@example.org'>";
  for (int i = 0; i < 1000; ++i) repeated += "<a><b x='1' x='2'/></a>";
  server.submit(kAlicePhone, repeated + "</message>");
  CHECK(contains(drain(server, kAlicePhone).back(), "<bad-request"));
}

TEST_CASE("robustness: random bytes and mutated stanzas never crash the service",
          "[net][robustness]") {
  Server server;
  online(server, kAlicePhone);
  online(server, kBobPhone);
  REQUIRE(server.add_contacts("alice@example.org", "bob@example.org"));
  REQUIRE(server.create_room("omemo@conference.example.org", RoomConfig{}, "alice@example.org"));
  std::mt19937 random(12345);
  auto fixture_list = fixtures();
  std::size_t submitted = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    if (round % 4 == 0) {
      std::size_t length = random() % 200;
      for (std::size_t i = 0; i < length; ++i) text.push_back(static_cast<char>(random() % 256));
    } else {
      text = fixture_list[random() % fixture_list.size()];
      int edits = 1 + static_cast<int>(random() % 4);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        std::size_t at = random() % text.size();
        switch (random() % 4) {
          case 0:
            text.erase(at, 1 + random() % 8);
            break;
          case 1:
            text.insert(at, 1, "<>/='\"&x"[random() % 8]);
            break;
          case 2:
            text[at] = static_cast<char>(random() % 256);
            break;
          default:
            text.insert(at, text.substr(random() % text.size(), random() % 16));
            break;
        }
      }
    }
    const std::string& from = round % 2 ? kAlicePhone : kBobPhone;
    REQUIRE_NOTHROW(server.submit(from, text));
    ++submitted;
    server.drain(kAlicePhone);
    server.drain(kBobPhone);
  }
  CHECK(server.transcript().size() >= submitted);
}
