// The embedded service's fault injection, transcript, virtual clock and determinism.
#include "net/jid.h"
#include "net/virtual_clock.h"
#include "net_test_support.h"

using namespace oi::net;
using namespace net_test;

namespace {

const std::string kAlicePhone = "alice@example.org/phone";
const std::string kBob = "bob@example.org";
const std::string kBobPhone = "bob@example.org/phone";

Server two_clients() {
  Server server;
  online(server, kAlicePhone);
  online(server, kBobPhone);
  server.drain(kAlicePhone);
  server.drain(kBobPhone);
  return server;
}

std::string text_message(const std::string& body) {
  return "<message to='bob@example.org/phone' type='chat' id='" + body + "'><body>" + body +
         "</body></message>";
}

std::vector<std::string> bodies(const std::vector<std::string>& stanzas) {
  std::vector<std::string> out;
  for (const auto& s : stanzas) {
    auto begin = s.find("<body>"), end = s.find("</body>");
    if (begin != std::string::npos && end != std::string::npos)
      out.push_back(s.substr(begin + 6, end - begin - 6));
  }
  return out;
}

// A scripted exchange exercising most paths, for the determinism check.
std::pair<std::string, std::vector<std::string>> script() {
  ServerConfig config;
  Server server(config);
  const std::string notify = std::string(kDevices) + "+notify";
  REQUIRE(server.create_account("alice@example.org"));
  REQUIRE(server.create_account(kBob));
  REQUIRE(server.add_contacts("alice@example.org", kBob));
  StanzaMatcher omemo_to_bob = match_stanzas(Direction::server_to_client, kBobPhone, "message");
  omemo_to_bob.contains_namespace = "urn:xmpp:omemo:2";
  server.faults().add(delay_rule("late", omemo_to_bob, std::chrono::seconds(3)));
  server.set_step("setup");
  online(server, kAlicePhone, {notify}, true);
  online(server, "alice@example.org/laptop", {notify}, true);
  server.set_step("publish");
  server.submit(kAlicePhone, publish_iq("p1", kDevices, "current", devices_payload({1, 2}),
                                        {{"pubsub#access_model", "open"}}));
  server.submit(kAlicePhone, publish_iq("p2", kBundles, "", bundle_payload(1)));
  server.set_step("send");
  server.submit(kAlicePhone, omemo_message(kBob));
  server.advance(std::chrono::seconds(1));
  online(server, kBobPhone, {notify});
  server.submit(kAlicePhone, omemo_message(kBobPhone));
  server.set_step("catch-up");
  server.advance(std::chrono::seconds(5));
  server.submit(kBobPhone, "<iq type='set' id='q'><query xmlns='urn:xmpp:mam:2'/></iq>");
  server.submit(kBobPhone, "<oops");
  std::vector<std::string> queues;
  for (const auto& jid : {kAlicePhone, std::string("alice@example.org/laptop"), kBobPhone})
    for (auto& s : drain(server, jid)) queues.push_back(jid + " " + s);
  return {server.transcript().to_text(), queues};
}

}  // namespace

TEST_CASE("fault: drop in either direction", "[net][faults]") {
  Server server = two_clients();
  server.faults().add(
      drop_rule("lose first", match_stanzas(Direction::client_to_server, "", "message")));
  server.submit(kAlicePhone, text_message("one"));
  server.submit(kAlicePhone, text_message("two"));
  CHECK(bodies(drain(server, kBobPhone)) == std::vector<std::string>{"two"});

  StanzaMatcher three = match_stanzas(Direction::server_to_client, kBob);
  three.contains_text = "three";
  server.faults().add(drop_rule("lose to bob", three));
  server.submit(kAlicePhone, text_message("three"));
  CHECK(drain(server, kBobPhone).empty());
  auto dropped = server.transcript().entries();
  CHECK(std::count_if(dropped.begin(), dropped.end(), [](const TranscriptEntry& e) {
          return e.disposition == Disposition::dropped;
        }) == 2);
  CHECK(server.transcript().entries().back().note == "lose to bob");
}

TEST_CASE("fault: duplicate, skip and count", "[net][faults]") {
  Server server = two_clients();
  // Let one match pass, then duplicate the next two.
  FaultRule rule =
      duplicate_rule("twice", match_stanzas(Direction::server_to_client, kBobPhone, "message"), 2);
  rule.skip = 1;
  server.faults().add(rule);
  for (const char* b : {"a", "b", "c", "d"}) server.submit(kAlicePhone, text_message(b));
  CHECK(bodies(drain(server, kBobPhone)) == std::vector<std::string>{"a", "b", "b", "c", "c", "d"});
  std::size_t duplicates = 0;
  for (const auto& e : server.transcript().entries())
    duplicates += e.disposition == Disposition::duplicated ? 1 : 0;
  CHECK(duplicates == 2);
}

TEST_CASE("fault: hold and release reorders", "[net][faults]") {
  Server server = two_clients();
  StanzaMatcher first = match_stanzas(Direction::server_to_client, kBobPhone);
  first.contains_text = "<body>1</body>";
  server.faults().add(hold_rule("hold", first));
  server.submit(kAlicePhone, text_message("1"));
  server.submit(kAlicePhone, text_message("2"));
  CHECK(bodies(drain(server, kBobPhone)) == std::vector<std::string>{"2"});
  REQUIRE(server.held().size() == 1);
  std::uint64_t handle = server.held()[0].handle;
  CHECK(server.release(handle));
  CHECK_FALSE(server.release(handle));
  CHECK(bodies(drain(server, kBobPhone)) == std::vector<std::string>{"1"});
  CHECK(server.transcript().entries().back().disposition == Disposition::released);

  // Client-to-server holds: the service processes the stanzas in release order.
  server.faults().add(
      hold_rule("hold c2s", match_stanzas(Direction::client_to_server, kAlicePhone, "message"), 3));
  for (const char* b : {"x", "y", "z"}) server.submit(kAlicePhone, text_message(b));
  CHECK(drain(server, kBobPhone).empty());
  std::vector<std::uint64_t> handles;
  for (const auto& h : server.held()) handles.push_back(h.handle);
  std::reverse(handles.begin(), handles.end());
  CHECK(server.release_all(handles) == 3);
  CHECK(bodies(drain(server, kBobPhone)) == std::vector<std::string>{"z", "y", "x"});
}

TEST_CASE("fault: delay releases on the virtual clock", "[net][faults]") {
  Server server = two_clients();
  StanzaMatcher late = match_stanzas(Direction::server_to_client, kBobPhone);
  late.contains_text = "<body>late</body>";
  server.faults().add(delay_rule("slow", late, std::chrono::seconds(10)));
  server.submit(kAlicePhone, text_message("late"));
  server.submit(kAlicePhone, text_message("early"));
  CHECK(bodies(drain(server, kBobPhone)) == std::vector<std::string>{"early"});
  server.advance(std::chrono::seconds(9));
  CHECK(drain(server, kBobPhone).empty());
  server.advance(std::chrono::seconds(1));
  CHECK(bodies(drain(server, kBobPhone)) == std::vector<std::string>{"late"});
  const auto& last = server.transcript().entries().back();
  CHECK(last.disposition == Disposition::released);
  CHECK(last.time_ms == VirtualClock::kDefaultEpochMs + 10000);
}

TEST_CASE("fault: tamper by callback and by XML transform", "[net][faults]") {
  Server server = two_clients();
  StanzaMatcher orig = match_stanzas(Direction::server_to_client, kBobPhone);
  orig.contains_text = "<body>orig</body>";
  server.faults().add(tamper_rule("rewrite", orig, [](std::string_view xml) {
    std::string out(xml);
    out.replace(out.find("<body>orig"), 10, "<body>evil");
    return out;
  }));
  server.submit(kAlicePhone, text_message("orig"));
  CHECK(bodies(drain(server, kBobPhone)) == std::vector<std::string>{"evil"});
  const auto& entry = server.transcript().entries().back();
  CHECK(entry.disposition == Disposition::tampered);
  CHECK(contains(entry.original, "<body>orig</body>"));
  CHECK(contains(entry.xml, "<body>evil</body>"));

  // A transform of the client's stanza before the service sees it: the <store/> hint is removed.
  StanzaMatcher omemo = match_stanzas(Direction::client_to_server, "", "message");
  omemo.contains_namespace = "urn:xmpp:omemo:2";
  server.faults().add(tamper_rule("strip store", omemo, xml_transform([](pugi::xml_node stanza) {
                                    stanza.remove_child("store");
                                  })));
  server.submit(kAlicePhone, omemo_message(kBobPhone));
  auto got = drain(server, kBobPhone);
  REQUIRE(got.size() == 1);
  CHECK_FALSE(contains(got[0], "urn:xmpp:hints"));
  CHECK_FALSE(contains(got[0], "stanza-id"));  // not archived without <store/>

  // A throwing tamper callback leaves the stanza as it was.
  server.faults().add(tamper_rule("broken", StanzaMatcher{}, [](std::string_view) -> std::string {
    throw std::runtime_error("x");
  }));
  server.submit(kAlicePhone, text_message("kept"));
  CHECK(bodies(drain(server, kBobPhone)) == std::vector<std::string>{"kept"});
}

TEST_CASE("transcript: order, direction, endpoint, time and step", "[net][transcript]") {
  Server server;
  server.set_step("s1");
  online(server, kAlicePhone);
  online(server, kBobPhone);
  server.advance(std::chrono::milliseconds(1500));
  server.set_step("s2");
  server.submit(kAlicePhone, text_message("hello"));
  const auto& entries = server.transcript().entries();
  for (std::size_t i = 0; i < entries.size(); ++i) CHECK(entries[i].seq == i + 1);
  auto step2 = server.transcript().for_step("s2");
  REQUIRE(step2.size() == 2);
  CHECK(step2[0]->direction == Direction::client_to_server);
  CHECK(step2[0]->endpoint == kAlicePhone);
  CHECK(step2[0]->xml == text_message("hello"));  // exactly what the client sent
  CHECK(step2[1]->direction == Direction::server_to_client);
  CHECK(step2[1]->endpoint == kBobPhone);
  CHECK(step2[1]->time_ms == VirtualClock::kDefaultEpochMs + 1500);
  CHECK(server.transcript().for_step("s1").front()->xml == "<presence/>");
  CHECK(server.transcript().for_endpoint(kBob).size() >= 3);
  auto queued = server.drain(kBobPhone);
  CHECK(queued.back().transcript_seq == step2[1]->seq);
  CHECK(contains(server.transcript().to_text(),
                 "2026-01-01T00:00:01.500Z [s2] s2c bob@example.org/phone delivered <message"));
}

TEST_CASE("determinism: the same inputs give the same transcript and queues", "[net][transcript]") {
  auto first = script();
  auto second = script();
  CHECK(first.first == second.first);
  CHECK(first.second == second.second);
  CHECK(contains(first.first, "delayed"));
  CHECK(contains(first.first, "released"));
  CHECK(contains(first.first, "rejected"));
}

TEST_CASE("virtual clock formats and parses XEP-0082 times; JIDs", "[net][clock]") {
  CHECK(VirtualClock::format_timestamp(0) == "1970-01-01T00:00:00Z");
  CHECK(VirtualClock::format_timestamp(VirtualClock::kDefaultEpochMs + 61001) ==
        "2026-01-01T00:01:01.001Z");
  CHECK(VirtualClock::parse_timestamp("2026-01-01T00:01:01.001Z") ==
        VirtualClock::kDefaultEpochMs + 61001);
  CHECK(VirtualClock::parse_timestamp("2026-01-01T02:00:00+02:00") ==
        VirtualClock::kDefaultEpochMs);
  CHECK_FALSE(VirtualClock::parse_timestamp("2026-13-01T00:00:00Z"));
  CHECK_FALSE(VirtualClock::parse_timestamp("yesterday"));
  VirtualClock clock;
  clock.advance(std::chrono::milliseconds(-5));
  CHECK(clock.now_ms() == VirtualClock::kDefaultEpochMs);

  auto jid = Jid::parse("a@b.c/r/s");
  REQUIRE(jid);
  CHECK(jid->bare() == "a@b.c");
  CHECK(jid->resource() == "r/s");
  CHECK_FALSE(Jid::parse("@b.c"));
  CHECK_FALSE(Jid::parse("a@b.c/"));
  CHECK_FALSE(Jid::parse("a b@c"));
  CHECK(Jid::parse("example.org")->local().empty());
}
