// The embedded service's MUC rooms as OMEMO group chats need them (R-SRV-021..024).
#include "net_test_support.h"

using namespace oi::net;
using namespace net_test;

namespace {

const std::string kRoom = "omemo@conference.example.org";
const std::string kAlicePhone = "alice@example.org/phone";
const std::string kBobPhone = "bob@example.org/phone";
const std::string kCarolPc = "carol@example.org/pc";
const std::string kEve = "eve@remote.example/x";

Server room_with_members() {
  Server server;
  for (const auto& jid : {kAlicePhone, kBobPhone, kCarolPc, kEve}) online(server, jid);
  REQUIRE(server.create_room(kRoom, RoomConfig{}, "alice@example.org",
                             {"bob@example.org", "carol@example.org"}));
  for (const auto& jid : {kAlicePhone, kBobPhone, kCarolPc, kEve}) server.drain(jid);
  return server;
}

void join(Server& server, const std::string& full, const std::string& nick) {
  server.submit(full, "<presence to='" + kRoom + "/" + nick +
                          "'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
}

}  // namespace

TEST_CASE("R-SRV-021: a room created by joining, configured non-anonymous and members-only",
          "[net][muc]") {
  Server server;
  online(server, kAlicePhone);
  server.drain(kAlicePhone);
  join(server, kAlicePhone, "alice");
  auto self = with(drain(server, kAlicePhone), "<status code=\"110\"/>");
  REQUIRE(self.size() == 1);
  CHECK(contains(self[0], "<status code=\"100\"/>"));
  CHECK(contains(self[0], "<status code=\"201\"/>"));
  CHECK(contains(self[0], "affiliation=\"owner\""));

  // The owner switches to semi-anonymous and back: status 173 then 172.
  auto configure = [&](const std::string& id, const std::string& whois) {
    server.submit(
        kAlicePhone,
        "<iq type='set' id='" + id + "' to='" + kRoom +
            "'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' "
            "type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/"
            "muc#roomconfig</value></field><field "
            "var='muc#roomconfig_whois'><value>" +
            whois +
            "</value></field><field var='muc#roomconfig_membersonly'><value>1</value>"
            "</field></x></query></iq>");
    return drain(server, kAlicePhone);
  };
  auto stanzas = configure("c1", "moderators");
  CHECK(contains(reply_to(stanzas, "c1"), "type=\"result\""));
  CHECK(with(stanzas, "<status code=\"173\"/>").size() == 1);
  stanzas = configure("c2", "anyone");
  CHECK(with(stanzas, "<status code=\"172\"/>").size() == 1);

  server.submit(kAlicePhone, "<iq type='get' id='d1' to='" + kRoom +
                                 "'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  std::string info = reply_to(drain(server, kAlicePhone), "d1");
  CHECK(contains(info, "<feature var=\"muc_nonanonymous\"/>"));
  CHECK(contains(info, "<feature var=\"muc_membersonly\"/>"));
  CHECK(server.room(kRoom)->config().non_anonymous);
}

TEST_CASE("R-SRV-023: occupant presence carries real JIDs; members-only keeps strangers out",
          "[net][muc]") {
  Server server = room_with_members();
  join(server, kAlicePhone, "alice");
  join(server, kBobPhone, "bob");
  auto alice = drain(server, kAlicePhone);
  CHECK(with(alice, "from=\"" + kRoom + "/bob\"").size() == 1);
  CHECK(with(alice, "jid=\"bob@example.org/phone\"").size() == 1);
  auto bob = drain(server, kBobPhone);
  CHECK(with(bob, "jid=\"alice@example.org/phone\"").size() == 1);
  CHECK(with(bob, "<status code=\"110\"/>").size() == 1);

  join(server, kEve, "eve");
  auto eve = drain(server, kEve);
  REQUIRE(eve.size() == 1);
  CHECK(contains(eve[0], "type=\"error\""));
  CHECK(contains(eve[0], "<registration-required"));
  CHECK(server.room(kRoom)->occupants().size() == 2);

  // Leaving is broadcast.
  server.submit(kBobPhone, "<presence to='" + kRoom + "/bob' type='unavailable'/>");
  CHECK(with(drain(server, kAlicePhone), "type=\"unavailable\"").size() == 1);
  CHECK(server.room(kRoom)->occupants().size() == 1);
}

TEST_CASE("R-SRV-022: a member retrieves the member, admin and owner lists", "[net][muc]") {
  Server server = room_with_members();
  REQUIRE(server.set_affiliation(kRoom, "dave@example.org", Affiliation::admin));
  auto list = [&](const std::string& from, const std::string& id, const std::string& affiliation) {
    server.submit(from, "<iq type='get' id='" + id + "' to='" + kRoom +
                            "'><query xmlns='http://jabber.org/protocol/muc#admin'><item "
                            "affiliation='" +
                            affiliation + "'/></query></iq>");
    return reply_to(drain(server, from), id);
  };
  std::string members = list(kBobPhone, "l1", "member");
  CHECK(contains(members, "jid=\"bob@example.org\""));
  CHECK(contains(members, "jid=\"carol@example.org\""));
  CHECK(contains(list(kBobPhone, "l2", "admin"), "jid=\"dave@example.org\""));
  CHECK(contains(list(kBobPhone, "l3", "owner"), "jid=\"alice@example.org\""));
  CHECK(contains(list(kEve, "l4", "member"), "<forbidden"));

  // The owner adds Eve as a member; she can then join.
  server.submit(kAlicePhone, "<iq type='set' id='a1' to='" + kRoom +
                                 "'><query xmlns='http://jabber.org/protocol/muc#admin'><item "
                                 "affiliation='member' jid='eve@remote.example'/></query></iq>");
  CHECK(contains(reply_to(drain(server, kAlicePhone), "a1"), "type=\"result\""));
  join(server, kEve, "eve");
  CHECK(with(drain(server, kEve), "<status code=\"110\"/>").size() == 1);
  // A member cannot change affiliations.
  server.submit(kBobPhone, "<iq type='set' id='a2' to='" + kRoom +
                               "'><query xmlns='http://jabber.org/protocol/muc#admin'><item "
                               "affiliation='none' jid='eve@remote.example'/></query></iq>");
  CHECK(contains(reply_to(drain(server, kBobPhone), "a2"), "<forbidden"));
}

TEST_CASE("R-SRV-024: groupchat is reflected to every occupant and archived intact", "[net][muc]") {
  Server server = room_with_members();
  join(server, kAlicePhone, "alice");
  join(server, kBobPhone, "bob");
  join(server, kCarolPc, "carol");
  for (const auto& jid : {kAlicePhone, kBobPhone, kCarolPc}) server.drain(jid);

  server.submit(kAlicePhone, omemo_message(kRoom, "groupchat"));
  for (const auto& jid : {kAlicePhone, kBobPhone, kCarolPc}) {
    auto got = drain(server, jid);
    REQUIRE(got.size() == 1);
    CHECK(contains(got[0], "from=\"" + kRoom + "/alice\""));
    CHECK(contains(got[0], "to=\"" + jid + "\""));
    CHECK(contains(got[0], "<payload>BBBB</payload>"));
    CHECK(contains(got[0], "<stanza-id xmlns=\"urn:xmpp:sid:0\""));
  }
  REQUIRE(server.room(kRoom)->archive().messages().size() == 1);
  CHECK(contains(server.room(kRoom)->archive().messages()[0].xml, "<key rid=\"2\""));

  // A non-occupant cannot post; the room archive is queried by a member.
  server.submit(kEve, omemo_message(kRoom, "groupchat"));
  CHECK(contains(drain(server, kEve).at(0), "<not-acceptable"));
  server.submit(kBobPhone,
                "<iq type='set' id='q1' to='" + kRoom + "'><query xmlns='urn:xmpp:mam:2'/></iq>");
  auto results = drain(server, kBobPhone);
  REQUIRE(results.size() == 2);
  CHECK(contains(results[0], "<encrypted xmlns=\"urn:xmpp:omemo:2\">"));
  CHECK(contains(results[0], "from=\"" + kRoom + "/alice\""));

  // A private message goes to the occupant's real JID.
  server.submit(kBobPhone,
                "<message to='" + kRoom + "/carol' type='chat'><body>pm</body></message>");
  auto carol = drain(server, kCarolPc);
  REQUIRE(carol.size() == 1);
  CHECK(contains(carol[0], "from=\"" + kRoom + "/bob\""));

  // Going offline leaves the room.
  REQUIRE(server.disconnect(kCarolPc));
  CHECK(server.room(kRoom)->occupants().size() == 2);
  CHECK(with(drain(server, kAlicePhone), "from=\"" + kRoom + "/carol\"").size() == 1);
}
