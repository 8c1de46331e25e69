// The embedded service's message routing: 1:1, carbons (R-SRV-016/017/018), offline storage
// (R-SRV-020), the archive and MAM catch-up (R-SRV-019), untouched payloads (R-SRV-025),
// presence subscriptions and IQ routing.
#include "net_test_support.h"

using namespace oi::net;
using namespace net_test;

namespace {

const std::string kAlicePhone = "alice@example.org/phone";
const std::string kAliceLaptop = "alice@example.org/laptop";
const std::string kAliceTablet = "alice@example.org/tablet";
const std::string kBob = "bob@example.org";
const std::string kBobPhone = "bob@example.org/phone";
const std::string kBobLaptop = "bob@example.org/laptop";

void drain_all(Server& server) {
  for (const auto& account : server.accounts())
    for (const auto& full : server.resources(account)) server.drain(full);
}

}  // namespace

TEST_CASE("R-SRV-025: 1:1 routing keeps every child element and stamps the sender",
          "[net][routing]") {
  Server server;
  online(server, kAlicePhone);
  online(server, kBobPhone);
  online(server, kBobLaptop);
  drain_all(server);
  std::string extra =
      "<store xmlns='urn:xmpp:hints'/><encryption xmlns='urn:xmpp:eme:0' "
      "namespace='urn:xmpp:omemo:2'/><x xmlns='urn:example:unknown'><y a='1'>t</y></x>";
  // A forged 'from' is replaced by the bound full JID.
  std::string stanza = omemo_message(kBobPhone, "chat", extra);
  stanza.insert(8, " from='mallory@example.org/x'");
  server.submit(kAlicePhone, stanza);
  auto phone = drain(server, kBobPhone);
  REQUIRE(phone.size() == 1);
  CHECK(contains(phone[0], "from=\"alice@example.org/phone\""));
  CHECK_FALSE(contains(phone[0], "mallory"));
  CHECK(contains(phone[0], "<key rid=\"2\" kex=\"true\">AAAA</key>"));
  CHECK(contains(phone[0], "<payload>BBBB</payload>"));
  CHECK(
      contains(phone[0], "<encryption xmlns=\"urn:xmpp:eme:0\" namespace=\"urn:xmpp:omemo:2\"/>"));
  CHECK(contains(phone[0], "<x xmlns=\"urn:example:unknown\"><y a=\"1\">t</y></x>"));
  CHECK(drain(server, kBobLaptop).empty());  // full JID: only that resource (no carbons)

  // To the bare JID: every available resource.
  server.submit(kAlicePhone, omemo_message(kBob));
  CHECK(drain(server, kBobPhone).size() == 1);
  CHECK(drain(server, kBobLaptop).size() == 1);

  // Unknown accounts and remote domains bounce.
  server.submit(kAlicePhone, omemo_message("nobody@example.org"));
  CHECK(contains(drain(server, kAlicePhone).at(0), "<service-unavailable"));
  server.submit(kAlicePhone, omemo_message("x@unknown.example"));
  CHECK(contains(drain(server, kAlicePhone).at(0), "<remote-server-not-found"));
}

TEST_CASE("R-SRV-016: bodyless encrypted chat messages are carbon-copied, sent and received",
          "[net][routing][carbons]") {
  Server server;
  online(server, kAlicePhone, {}, true);
  online(server, kAliceLaptop);  // enables carbons by IQ below
  online(server, kAliceTablet);  // never enables carbons
  online(server, kBobPhone, {}, true);
  online(server, kBobLaptop, {}, true);
  drain_all(server);
  server.submit(kAliceLaptop, "<iq type='set' id='c1'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
  CHECK(contains(reply_to(drain(server, kAliceLaptop), "c1"), "type=\"result\""));

  server.submit(kAlicePhone, omemo_message(kBobPhone));
  auto bob_phone = drain(server, kBobPhone);
  REQUIRE(bob_phone.size() == 1);
  auto bob_laptop = drain(server, kBobLaptop);
  REQUIRE(bob_laptop.size() == 1);
  CHECK(contains(bob_laptop[0],
                 "<received xmlns=\"urn:xmpp:carbons:2\"><forwarded "
                 "xmlns=\"urn:xmpp:forward:0\"><message xmlns=\"jabber:client\""));
  CHECK(contains(bob_laptop[0], "from=\"bob@example.org\""));
  CHECK(contains(bob_laptop[0], "<encrypted xmlns=\"urn:xmpp:omemo:2\">"));
  auto alice_laptop = drain(server, kAliceLaptop);
  REQUIRE(alice_laptop.size() == 1);
  CHECK(contains(alice_laptop[0], "<sent xmlns=\"urn:xmpp:carbons:2\">"));
  CHECK(contains(alice_laptop[0], "to=\"bob@example.org/phone\""));
  CHECK(drain(server, kAlicePhone).empty());   // the sender itself gets no copy
  CHECK(drain(server, kAliceTablet).empty());  // carbons not enabled

  // Disabling stops the copies.
  server.submit(kAliceLaptop, "<iq type='set' id='c2'><disable xmlns='urn:xmpp:carbons:2'/></iq>");
  drain(server, kAliceLaptop);
  server.submit(kAlicePhone, omemo_message(kBobPhone));
  CHECK(drain(server, kAliceLaptop).empty());
}

TEST_CASE("R-SRV-018: <private/> and <no-copy/> keep a message out of carbons",
          "[net][routing][carbons]") {
  Server server;
  online(server, kAlicePhone, {}, true);
  online(server, kAliceLaptop, {}, true);
  online(server, kBobPhone, {}, true);
  online(server, kBobLaptop, {}, true);
  drain_all(server);
  server.submit(kAlicePhone,
                omemo_message(kBobPhone, "chat",
                              "<store xmlns='urn:xmpp:hints'/><private xmlns='urn:xmpp:carbons:2'/>"
                              "<no-copy xmlns='urn:xmpp:hints'/>"));
  CHECK(drain(server, kBobPhone).size() == 1);
  CHECK(drain(server, kBobLaptop).empty());
  CHECK(drain(server, kAliceLaptop).empty());
}

TEST_CASE("R-SRV-017: bodyless type='normal' is not copied unless the server does so",
          "[net][routing][carbons]") {
  Server server;
  online(server, kAlicePhone, {}, true);
  online(server, kBobPhone, {}, true);
  online(server, kBobLaptop, {}, true);
  drain_all(server);
  server.submit(kAlicePhone, omemo_message(kBobPhone, "normal"));
  CHECK(drain(server, kBobPhone).size() == 1);
  CHECK(drain(server, kBobLaptop).empty());
  server.submit(kAlicePhone, "<message to='bob@example.org/phone'><body>hi</body></message>");
  drain(server, kBobPhone);
  CHECK(drain(server, kBobLaptop).size() == 1);  // normal with a body is copied
  server.config().carbons_copy_bodyless_normal = true;
  server.submit(kAlicePhone, omemo_message(kBobPhone, "normal"));
  CHECK(drain(server, kBobLaptop).size() == 1);

  // No carbons at all: the enable request fails and nothing is copied.
  server.config().carbons = false;
  server.submit(kBobPhone, "<iq type='set' id='c1'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
  CHECK(contains(reply_to(drain(server, kBobPhone), "c1"), "<service-unavailable"));
  server.submit(kAlicePhone, omemo_message(kBobPhone));
  CHECK(drain(server, kBobLaptop).empty());
}

TEST_CASE("R-SRV-020: bodyless <store/> messages wait offline and arrive with <delay/>",
          "[net][routing][offline]") {
  Server server;
  online(server, kAlicePhone);
  REQUIRE(server.create_account(kBob));
  drain_all(server);
  server.advance(std::chrono::minutes(90));
  server.submit(kAlicePhone, omemo_message(kBob));
  server.submit(kAlicePhone, omemo_message(kBobPhone));  // unavailable full JID: as to the bare
  CHECK(drain(server, kAlicePhone).empty());
  CHECK(server.offline_messages(kBob).size() == 2);
  // Without <store/> a bodyless message is not stored: the sender learns it.
  server.submit(kAlicePhone, omemo_message(kBob, "chat", ""));
  CHECK(contains(drain(server, kAlicePhone).at(0), "<service-unavailable"));

  server.advance(std::chrono::hours(5));
  online(server, kBobPhone);
  auto messages = with(drain(server, kBobPhone), "<encrypted");
  REQUIRE(messages.size() == 2);
  for (const auto& m : messages) {
    CHECK(contains(m,
                   "<delay xmlns=\"urn:xmpp:delay\" from=\"example.org\" "
                   "stamp=\"2026-01-01T01:30:00Z\"/>"));
    CHECK(contains(m, "<key rid=\"2\" kex=\"true\">AAAA</key>"));
  }
  CHECK(server.offline_messages(kBob).empty());
  online(server, kBobLaptop);
  CHECK(with(drain(server, kBobLaptop), "<encrypted").empty());  // delivered once

  // The server gaps: bodyless messages dropped from storage, or no storage at all.
  REQUIRE(server.disconnect(kBobPhone));
  REQUIRE(server.disconnect(kBobLaptop));
  server.config().offline_store_bodyless = false;
  server.submit(kAlicePhone, omemo_message(kBob));
  CHECK(contains(drain(server, kAlicePhone).at(0), "<service-unavailable"));
  server.submit(kAlicePhone, "<message to='bob@example.org' type='chat'><body>b</body></message>");
  CHECK(server.offline_messages(kBob).size() == 1);
  server.config().offline_storage = false;
  server.submit(kAlicePhone, "<message to='bob@example.org' type='chat'><body>c</body></message>");
  CHECK(contains(drain(server, kAlicePhone).at(0), "<service-unavailable"));
}

TEST_CASE("R-SRV-019: the archive keeps <encrypted> and MAM catch-up replays it with <delay/>",
          "[net][routing][mam]") {
  Server server;
  online(server, kAlicePhone);
  online(server, kBobPhone);
  drain_all(server);
  server.submit(kAlicePhone, omemo_message(kBobPhone));
  server.advance(std::chrono::seconds(30));
  server.submit(kAlicePhone, omemo_message(kBobPhone));
  server.submit(kAlicePhone, omemo_message(kBobPhone, "chat", ""));  // no <store/>: not archived
  auto live = drain(server, kBobPhone);
  REQUIRE(live.size() == 3);
  CHECK(contains(live[0], "<stanza-id xmlns=\"urn:xmpp:sid:0\""));
  CHECK(contains(live[0], "by=\"bob@example.org\""));
  CHECK_FALSE(contains(live[2], "stanza-id"));
  REQUIRE(server.archive(kBob)->messages().size() == 2);
  CHECK(server.archive("alice@example.org")->messages().size() == 2);

  // A new device catches up.
  online(server, kBobLaptop);
  drain(server, kBobLaptop);
  server.submit(kBobLaptop,
                "<iq type='set' id='q1'><query xmlns='urn:xmpp:mam:2' "
                "queryid='f1'/></iq>");
  auto results = drain(server, kBobLaptop);
  REQUIRE(results.size() == 3);
  for (int i = 0; i < 2; ++i) {
    CHECK(contains(results[i], "<result xmlns=\"urn:xmpp:mam:2\" queryid=\"f1\""));
    CHECK(contains(results[i], "<forwarded xmlns=\"urn:xmpp:forward:0\"><delay "));
    CHECK(contains(results[i],
                   "<encrypted xmlns=\"urn:xmpp:omemo:2\"><header sid=\"1\"><keys "
                   "jid=\"bob@example.org/phone\"><key rid=\"2\" "
                   "kex=\"true\">AAAA</key></keys></header><payload>BBBB</payload>"
                   "</encrypted>"));
  }
  CHECK(contains(results[0], "stamp=\"2026-01-01T00:00:00Z\""));
  CHECK(contains(results[1], "stamp=\"2026-01-01T00:00:30Z\""));
  CHECK(contains(results[2], "<fin xmlns=\"urn:xmpp:mam:2\" queryid=\"f1\" complete=\"true\">"));

  // Paging: after the first id, at most one; and a start filter.
  std::string first = server.archive(kBob)->messages()[0].id;
  server.submit(kBobLaptop,
                "<iq type='set' id='q2'><query xmlns='urn:xmpp:mam:2'><set "
                "xmlns='http://jabber.org/protocol/rsm'><max>1</max><after>" +
                    first + "</after></set></query></iq>");
  results = drain(server, kBobLaptop);
  REQUIRE(results.size() == 2);
  CHECK(contains(results[0], "stamp=\"2026-01-01T00:00:30Z\""));
  server.submit(kBobLaptop,
                "<iq type='set' id='q3'><query xmlns='urn:xmpp:mam:2'><x xmlns='jabber:x:data' "
                "type='submit'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value>"
                "</field><field var='start'><value>2026-01-01T00:00:10Z</value></field></x>"
                "</query></iq>");
  CHECK(drain(server, kBobLaptop).size() == 2);

  // Without MAM.
  server.config().mam = false;
  server.submit(kBobLaptop, "<iq type='set' id='q4'><query xmlns='urn:xmpp:mam:2'/></iq>");
  CHECK(contains(reply_to(drain(server, kBobLaptop), "q4"), "<service-unavailable"));
}

TEST_CASE("presence subscriptions by stanza and presence broadcast", "[net][routing][presence]") {
  Server server;
  online(server, kAlicePhone);
  online(server, kBobPhone);
  drain_all(server);
  server.submit(kAlicePhone, "<presence to='bob@example.org' type='subscribe'/>");
  auto bob = drain(server, kBobPhone);
  REQUIRE(bob.size() == 1);
  CHECK(contains(bob[0], "type=\"subscribe\""));
  CHECK(server.roster("alice@example.org")->find(kBob)->ask_subscribe);
  server.submit(kBobPhone, "<presence to='alice@example.org' type='subscribed'/>");
  auto alice = drain(server, kAlicePhone);
  CHECK(with(alice, "type=\"subscribed\"").size() == 1);
  CHECK(with(alice, "from=\"bob@example.org/phone\"").size() == 1);  // Bob's presence follows
  CHECK(server.roster("alice@example.org")->is_subscribed_to(kBob));
  CHECK(server.roster(kBob)->has_subscriber("alice@example.org"));

  // Roster retrieval.
  server.submit(kAlicePhone, "<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
  CHECK(contains(reply_to(drain(server, kAlicePhone), "r1"),
                 "<item jid=\"bob@example.org\" subscription=\"to\"/>"));

  // Bob going offline is seen by Alice.
  REQUIRE(server.disconnect(kBobPhone));
  CHECK(with(drain(server, kAlicePhone), "type=\"unavailable\"").size() == 1);
  CHECK_FALSE(server.is_connected(kBobPhone));
}

TEST_CASE("IQs to a full JID are routed and the answer comes back", "[net][routing]") {
  Server server;
  online(server, kAlicePhone);
  online(server, kBobPhone);
  drain_all(server);
  server.submit(kAlicePhone,
                "<iq type='get' id='v1' to='bob@example.org/phone'><query "
                "xmlns='jabber:iq:version'/></iq>");
  auto bob = drain(server, kBobPhone);
  REQUIRE(bob.size() == 1);
  CHECK(contains(bob[0], "from=\"alice@example.org/phone\""));
  server.submit(kBobPhone, "<iq type='result' id='v1' to='alice@example.org/phone'/>");
  auto alice = drain(server, kAlicePhone);
  REQUIRE(alice.size() == 1);
  CHECK(contains(alice[0], "from=\"bob@example.org/phone\""));
  server.submit(kAlicePhone,
                "<iq type='get' id='v2' to='bob@example.org/gone'><query "
                "xmlns='jabber:iq:version'/></iq>");
  CHECK(contains(reply_to(drain(server, kAlicePhone), "v2"), "<service-unavailable"));
  server.submit(kAlicePhone, "<iq type='get' id='v3'><unknown xmlns='urn:example'/></iq>");
  CHECK(contains(reply_to(drain(server, kAlicePhone), "v3"), "<service-unavailable"));
  server.submit(kAlicePhone, "<iq type='get' id='v4'><a xmlns='x'/><b xmlns='y'/></iq>");
  CHECK(contains(reply_to(drain(server, kAlicePhone), "v4"), "<bad-request"));
}
