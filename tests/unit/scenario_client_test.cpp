// The reference client's multi-device, catch-up and MUC behaviour where the scenarios do not
// reach it: forged carbons and archive results, messages with nothing to show, occupants
// without a real JID, refused sends and catch-ups, state export with rooms; and the stanza
// helpers behind it.
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "engine/client/reference_client.h"
#include "engine/client/stanzas.h"
#include "net/server.h"
#include "scenario/server_link.h"

using namespace oi;
using engine::client::ReceiveOutcome;

namespace {

constexpr const char* kRoom = "team@conference.example.org";

// One reference device logged in on a shared embedded service.
struct TestDevice {
  std::unique_ptr<engine::client::ClientDevice> client;
  std::unique_ptr<scenario::CellServerLink> link;

  // Hands everything queued for the device to it; returns the outcomes in order.
  std::vector<ReceiveOutcome> deliver() {
    std::vector<ReceiveOutcome> outcomes;
    for (int round = 0; round < 8; ++round) {
      std::deque<std::string> pending = link->take_pending();
      if (pending.empty()) break;
      for (const std::string& stanza : pending) outcomes.push_back(client->receive(stanza, *link));
    }
    return outcomes;
  }
};

engine::client::DeviceSpec spec_for(const std::string& jid, const std::string& resource,
                                    codec::Profile profile) {
  engine::client::DeviceSpec spec;
  spec.profile = profile;
  spec.jid = jid;
  spec.resource = resource;
  spec.pre_key_count = 25;
  return spec;
}

TestDevice make_device(net::Server& server, const std::string& jid, const std::string& resource,
                       codec::Profile profile = codec::Profile::omemo2) {
  engine::client::ReferenceImplementation reference;
  TestDevice device;
  device.client =
      reference.create_device(spec_for(jid, resource, profile),
                              crypto::RandomSource::seeded(1).derive(jid + "/" + resource));
  std::string full = jid + "/" + resource;
  device.link = std::make_unique<scenario::CellServerLink>(server, full);
  net::ResourceOptions options;
  options.carbons = true;
  REQUIRE(server.connect(full, options));
  REQUIRE(device.client->start(*device.link).ok);
  return device;
}

std::size_t count_kind(const std::vector<ReceiveOutcome>& outcomes, ReceiveOutcome::Kind kind) {
  return static_cast<std::size_t>(std::count_if(outcomes.begin(), outcomes.end(),
                                                [&](const auto& o) { return o.kind == kind; }));
}

// The first queued stanza containing `text` (removed from the queue), or "".
std::string take_stanza_with(TestDevice& device, const std::string& text) {
  std::string found;
  for (std::string& stanza : device.link->take_pending()) {
    if (found.empty() && stanza.find(text) != std::string::npos) found = std::move(stanza);
  }
  return found;
}

engine::client::SendRequest chat_to(const std::string& jid, const std::string& body) {
  engine::client::SendRequest request;
  request.recipients = {jid};
  request.body = body;
  return request;
}

engine::client::SendRequest groupchat(const std::string& body) {
  engine::client::SendRequest request;
  request.to = kRoom;
  request.type = "groupchat";
  request.body = body;
  return request;
}

}  // namespace

TEST_CASE("a carbon or an archive result from another account is ignored", "[scenario][client]") {
  net::Server server;
  TestDevice a1 = make_device(server, "alice@example.org", "a1");
  TestDevice b1 = make_device(server, "bob@example.org", "b1");
  b1.deliver();
  REQUIRE(b1.client->send(chat_to("alice@example.org", "genuine"), *b1.link).ok);
  std::string message = take_stanza_with(a1, "<encrypted");
  REQUIRE_FALSE(message.empty());
  // Mallory wraps Bob's message as a carbon (or an archive result) of her own.
  std::size_t start = message.find("<message");
  std::string inner = message.substr(start);
  for (const std::string& wrapper :
       {"<message from='mallory@example.org' to='alice@example.org/a1'><received "
        "xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>" +
            inner + "</forwarded></received></message>",
        "<message from='mallory@example.org' to='alice@example.org/a1'><result "
        "xmlns='urn:xmpp:mam:2' id='x'><forwarded xmlns='urn:xmpp:forward:0'>" +
            inner + "</forwarded></result></message>"}) {
    ReceiveOutcome outcome = a1.client->receive(wrapper, *a1.link);
    CHECK(outcome.kind == ReceiveOutcome::Kind::ignored);
    CHECK_FALSE(outcome.detail.empty());
  }
  // The genuine message still decrypts: the forged copies changed nothing.
  ReceiveOutcome genuine = a1.client->receive(message, *a1.link);
  CHECK(genuine.kind == ReceiveOutcome::Kind::message);
  CHECK(genuine.body == "genuine");
}

TEST_CASE("messages with nothing to show are ignored, not reported", "[scenario][client]") {
  net::Server server;
  TestDevice a1 = make_device(server, "alice@example.org", "a1");
  SECTION("a room's subject and a message error") {
    ReceiveOutcome subject = a1.client->receive(
        "<message from='team@conference.example.org' to='alice@example.org/a1' "
        "type='groupchat'><subject/></message>",
        *a1.link);
    CHECK(subject.kind == ReceiveOutcome::Kind::ignored);
    ReceiveOutcome error = a1.client->receive(
        "<message from='bob@example.org' type='error'><body>x</body><error type='cancel'>"
        "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>",
        *a1.link);
    CHECK(error.kind == ReceiveOutcome::Kind::ignored);
  }
  SECTION("a plaintext message is still reported as not encrypted") {
    ReceiveOutcome plain = a1.client->receive(
        "<message from='bob@example.org/b1' to='alice@example.org/a1' type='chat'>"
        "<body>hi</body></message>",
        *a1.link);
    CHECK(plain.kind == ReceiveOutcome::Kind::not_encrypted);
  }
}

TEST_CASE("MUC: refusals, unknown occupants and state export", "[scenario][client][muc]") {
  net::Server server;
  TestDevice a1 = make_device(server, "alice@example.org", "a1");
  TestDevice b1 = make_device(server, "bob@example.org", "b1");

  SECTION("a group message before joining is refused with not_joined") {
    engine::client::SendOutcome outcome = a1.client->send(groupchat("early"), *a1.link);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error_class == engine::client::kNotJoined);
  }

  SECTION("a semi-anonymous room is refused with anonymous_room") {
    net::RoomConfig config;
    config.non_anonymous = false;
    REQUIRE(server.create_room(kRoom, config, "alice@example.org", {"bob@example.org"}));
    REQUIRE(a1.client->join_room(kRoom, "alice", *a1.link).ok);
    a1.deliver();
    engine::client::SendOutcome outcome = a1.client->send(groupchat("hidden"), *a1.link);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error_class == engine::client::kAnonymousRoom);
  }

  SECTION("joined rooms") {
    REQUIRE(server.create_room(kRoom, {}, "alice@example.org", {"bob@example.org"}));
    REQUIRE(a1.client->join_room(kRoom, "alice", *a1.link).ok);
    a1.deliver();
    REQUIRE(b1.client->join_room(kRoom, "bob", *b1.link).ok);
    b1.deliver();
    a1.deliver();
    REQUIRE(b1.client->send(groupchat("from bob"), *b1.link).ok);
    std::string message = take_stanza_with(a1, "from=\"team@conference.example.org/bob\"");
    REQUIRE_FALSE(message.empty());

    SECTION("a group message from a nick without a real JID is an error") {
      std::string ghost = message;
      ghost.replace(ghost.find("/bob\""), 5, "/ghost\"");
      ReceiveOutcome outcome = a1.client->receive(ghost, *a1.link);
      CHECK(outcome.kind == ReceiveOutcome::Kind::error);
      CHECK(outcome.error_class == "bad_data");
    }

    SECTION("the room state survives export and import") {
      Bytes state = a1.client->export_state();
      engine::client::ReferenceImplementation reference;
      std::unique_ptr<engine::client::ClientDevice> copy =
          reference.create_device(spec_for("alice@example.org", "a1", codec::Profile::omemo2),
                                  crypto::RandomSource::seeded(1).derive("alice@example.org/a1"));
      REQUIRE(copy->import_state(state));
      CHECK(copy->export_state() == state);
      ReceiveOutcome outcome = copy->receive(message, *a1.link);
      CHECK(outcome.kind == ReceiveOutcome::Kind::message);
      CHECK(outcome.body == "from bob");
      CHECK(copy->send(groupchat("restored"), *a1.link).ok);
    }
  }
}

TEST_CASE("catch-up: refused without MAM, paged after the last seen id", "[scenario][client]") {
  SECTION("no archive") {
    net::ServerConfig config;
    config.mam = false;
    net::Server server(config);
    TestDevice a1 = make_device(server, "alice@example.org", "a1");
    engine::client::SendOutcome outcome = a1.client->begin_catch_up({}, *a1.link);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error_class == engine::client::kServerError);
    a1.client->end_catch_up(*a1.link);
  }
  SECTION("pages through more than one page, then only what is new") {
    net::Server server;
    TestDevice a1 = make_device(server, "alice@example.org", "a1");
    TestDevice b1 = make_device(server, "bob@example.org", "b1");
    REQUIRE(server.disconnect("alice@example.org/a1"));
    for (int i = 0; i < 60; ++i) {
      REQUIRE(b1.client->send(chat_to("alice@example.org", std::to_string(i)), *b1.link).ok);
    }
    a1.link->take_pending();
    net::ResourceOptions options;
    options.carbons = true;
    REQUIRE(server.connect("alice@example.org/a1", options));
    a1.link->take_pending();  // the offline copies: left aside, the archive has them all
    REQUIRE(a1.client->begin_catch_up({}, *a1.link).ok);
    std::vector<ReceiveOutcome> outcomes = a1.deliver();
    a1.client->end_catch_up(*a1.link);
    CHECK(count_kind(outcomes, ReceiveOutcome::Kind::message) == 60);
    REQUIRE(b1.client->send(chat_to("alice@example.org", "new"), *b1.link).ok);
    a1.link->take_pending();  // not seen live: only the archive will show it
    REQUIRE(a1.client->begin_catch_up({}, *a1.link).ok);
    outcomes = a1.deliver();
    a1.client->end_catch_up(*a1.link);
    REQUIRE(count_kind(outcomes, ReceiveOutcome::Kind::message) == 1);
  }
}

TEST_CASE("stanza helpers for MAM and MUC", "[scenario][client][stanzas]") {
  using namespace engine::client;
  SECTION("unwrap_message reports the wrapper, the archive id and the stanza ids") {
    std::optional<IncomingMessage> incoming = unwrap_message(
        "<message from='alice@example.org' to='alice@example.org/a1'><result "
        "xmlns='urn:xmpp:mam:2' id='mam-7'><forwarded xmlns='urn:xmpp:forward:0'><delay "
        "xmlns='urn:xmpp:delay' stamp='2026-01-01T00:00:00Z'/><message from='bob@example.org/b1' "
        "to='alice@example.org' type='chat'><stanza-id xmlns='urn:xmpp:sid:0' id='mam-7' "
        "by='alice@example.org'/><body>x</body></message></forwarded></result></message>");
    REQUIRE(incoming);
    CHECK(incoming->is_archived);
    CHECK(incoming->wrapper_from == "alice@example.org");
    CHECK(incoming->archive_id == "mam-7");
    CHECK(incoming->stanza_ids.at("alice@example.org") == "mam-7");
    CHECK(incoming->has_body);
    CHECK_FALSE(incoming->has_subject);
    CHECK(incoming->delay_stamp == "2026-01-01T00:00:00Z");
  }
  SECTION("parse_mam_fin") {
    std::optional<MamFin> fin = parse_mam_fin(
        "<iq type='result' id='q'><fin xmlns='urn:xmpp:mam:2'><set "
        "xmlns='http://jabber.org/protocol/rsm'><first>a</first><last>b</last></set></fin></iq>");
    REQUIRE(fin);
    CHECK_FALSE(fin->complete);
    CHECK(fin->last == "b");
    CHECK_FALSE(parse_mam_fin("<iq type='error' id='q'/>"));
    std::string query = mam_query_request("q1", "qid", std::string("b"), 50);
    CHECK(query.find("<after>b</after>") != std::string::npos);
    CHECK(query.find("<max>50</max>") != std::string::npos);
  }
  SECTION("occupant presence and affiliation lists") {
    std::optional<MucPresence> presence = parse_muc_presence(
        "<presence from='team@conference.example.org/bob' to='alice@example.org/a1'><x "
        "xmlns='http://jabber.org/protocol/muc#user'><item affiliation='member' "
        "role='participant' jid='bob@example.org/b1'/><status code='100'/></x></presence>");
    REQUIRE(presence);
    CHECK(presence->room == kRoom);
    CHECK(presence->nick == "bob");
    CHECK(presence->real_jid == "bob@example.org/b1");
    CHECK(presence->status_codes == std::vector<int>{100});
    CHECK_FALSE(parse_muc_presence("<presence from='bob@example.org/b1'/>"));
    std::optional<MucPresence> refused = parse_muc_presence(
        "<presence from='team@conference.example.org/carol' type='error'><error type='auth'>"
        "<registration-required xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"
        "</presence>");
    REQUIRE(refused);
    CHECK(refused->error_condition == "registration-required");
    CHECK(affiliation_list_jids(
              "<iq type='result' id='m'><query xmlns='http://jabber.org/protocol/muc#admin'>"
              "<item affiliation='member' jid='bob@example.org'/><item affiliation='member' "
              "jid='carol@example.org/x'/></query></iq>") ==
          std::vector<std::string>{"bob@example.org", "carol@example.org"});
  }
}
