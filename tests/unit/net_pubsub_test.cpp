// The embedded service's PEP (R-SRV-001..015): publish-options, access models, item ids,
// max_items, notifications filtered by +notify, the last item, owner configuration.
#include "net_test_support.h"

using namespace oi::net;
using namespace net_test;

namespace {

const std::string kAlice = "alice@example.org";
const std::string kAlicePhone = "alice@example.org/phone";
const std::string kAliceLaptop = "alice@example.org/laptop";
const std::string kBob = "bob@example.org";
const std::string kBobPhone = "bob@example.org/phone";
const std::string kStranger = "eve@remote.example/x";

const std::map<std::string, std::string> kOpen = {{"pubsub#access_model", "open"}};
const std::map<std::string, std::string> kOpenMax = {{"pubsub#access_model", "open"},
                                                     {"pubsub#max_items", "max"}};

}  // namespace

TEST_CASE("R-SRV-001/006: the account answers disco#info as a PEP service with publish-options",
          "[net][pep]") {
  Server server;
  online(server, kAlicePhone);
  server.submit(kAlicePhone,
                "<iq type='get' id='d1' to='alice@example.org'><query "
                "xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  std::string reply = reply_to(drain(server, kAlicePhone), "d1");
  CHECK(contains(reply, "category=\"pubsub\" type=\"pep\""));
  CHECK(contains(reply, "http://jabber.org/protocol/pubsub#publish-options"));
  CHECK(contains(reply, "http://jabber.org/protocol/pubsub#config-node-max"));
  CHECK(contains(reply, "http://jabber.org/protocol/pubsub#persistent-items"));

  server.config().pep.publish_options = PublishOptionsSupport::ignored;
  server.submit(kAlicePhone,
                "<iq type='get' id='d2'><query "
                "xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  reply = reply_to(drain(server, kAlicePhone), "d2");
  CHECK(contains(reply, "type=\"pep\""));
  CHECK_FALSE(contains(reply, "publish-options"));
}

TEST_CASE("R-SRV-002/008: publishing auto-creates the node with the publish-options applied",
          "[net][pep]") {
  Server server;
  online(server, kAlicePhone);
  server.submit(kAlicePhone, publish_iq("p1", kBundles, "1001", bundle_payload(1), kOpenMax));
  std::string reply = reply_to(drain(server, kAlicePhone), "p1");
  CHECK(contains(reply, "type=\"result\""));
  CHECK(contains(reply, "<item id=\"1001\"/>"));
  auto config = server.node_config(kAlice, kBundles);
  REQUIRE(config);
  CHECK(config->access_model == AccessModel::open);
  CHECK_FALSE(config->max_items.has_value());  // 'max'

  // Verified the way a prober does: the owner fetches the node configuration.
  server.submit(kAlicePhone,
                "<iq type='get' id='c1'><pubsub "
                "xmlns='http://jabber.org/protocol/pubsub#owner'><configure node='" +
                    std::string(kBundles) + "'/></pubsub></iq>");
  reply = reply_to(drain(server, kAlicePhone), "c1");
  CHECK(contains(reply, "<field var=\"pubsub#access_model\"><value>open</value></field>"));
  CHECK(contains(reply, "<field var=\"pubsub#max_items\"><value>max</value></field>"));

  // Without options the defaults apply (XEP-0163: presence access).
  server.submit(kAlicePhone, publish_iq("p2", kDevices, "current", devices_payload({1})));
  drain(server, kAlicePhone);
  CHECK(server.node_config(kAlice, kDevices)->access_model == AccessModel::presence);

  // R-SRV-011: items persist while the account has no resource at all.
  REQUIRE(server.disconnect(kAlicePhone));
  online(server, kAlicePhone);
  CHECK(server.node_items(kAlice, kBundles).size() == 1);
  server.submit(kAlicePhone, items_iq("i1", "", kBundles));
  CHECK(contains(reply_to(drain(server, kAlicePhone), "i1"), "<item id=\"1001\"><bundle"));

  // A server whose default access model is open (a per-scenario knob).
  ServerConfig open_config;
  open_config.pep.default_access_model = AccessModel::open;
  Server open_server(open_config);
  online(open_server, kAlicePhone);
  open_server.submit(kAlicePhone, publish_iq("p3", kDevices, "current", devices_payload({1})));
  CHECK(open_server.node_config(kAlice, kDevices)->access_model == AccessModel::open);
}

TEST_CASE("R-SRV-007: a mismatching precondition is a conflict and the item is not stored",
          "[net][pep]") {
  Server server;
  online(server, kAlicePhone);
  server.submit(kAlicePhone, publish_iq("p1", kDevices, "current", devices_payload({1})));
  drain(server, kAlicePhone);
  REQUIRE(server.node_config(kAlice, kDevices)->access_model == AccessModel::presence);

  server.submit(kAlicePhone, publish_iq("p2", kDevices, "current", devices_payload({1, 2}), kOpen));
  std::string reply = reply_to(drain(server, kAlicePhone), "p2");
  CHECK(contains(reply, "type=\"error\""));
  CHECK(contains(reply, "<conflict xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/>"));
  CHECK(contains(reply,
                 "<precondition-not-met xmlns=\"http://jabber.org/protocol/pubsub#errors\"/>"));
  auto items = server.node_items(kAlice, kDevices);
  REQUIRE(items.size() == 1);
  CHECK(contains(items[0].payload, "<device id=\"1\"/>"));
  CHECK_FALSE(contains(items[0].payload, "id=\"2\""));
  CHECK(server.node_config(kAlice, kDevices)->access_model == AccessModel::presence);

  // A matching precondition publishes.
  server.submit(kAlicePhone, publish_iq("p3", kDevices, "current", devices_payload({1, 2}),
                                        {{"pubsub#access_model", "presence"}}));
  CHECK(contains(reply_to(drain(server, kAlicePhone), "p3"), "type=\"result\""));
  CHECK(contains(server.node_items(kAlice, kDevices)[0].payload, "id=\"2\""));
}

TEST_CASE("R-SRV-009: an unknown publish-options field is rejected and creates nothing",
          "[net][pep]") {
  Server server;
  online(server, kAlicePhone);
  server.submit(kAlicePhone,
                publish_iq("p1", kDevices, "current", devices_payload({1}),
                           {{"pubsub#access_model", "open"}, {"pubsub#no_such_field", "1"}}));
  std::string reply = reply_to(drain(server, kAlicePhone), "p1");
  CHECK(contains(reply, "type=\"error\""));
  CHECK(contains(reply, "precondition-not-met"));
  CHECK(contains(reply, "pubsub#no_such_field"));
  CHECK_FALSE(server.node_config(kAlice, kDevices));

  // And 'max' where the server refuses the keyword (A-06: Prosody before 0.12).
  server.config().pep.accepts_max_keyword = false;
  server.submit(kAlicePhone, publish_iq("p2", kBundles, "7", bundle_payload(7), kOpenMax));
  CHECK(contains(reply_to(drain(server, kAlicePhone), "p2"), "precondition-not-met"));
  CHECK(server.node_items(kAlice, kBundles).empty());
}

TEST_CASE("R-SRV-010: access models open, presence and whitelist seen from a stranger",
          "[net][pep]") {
  Server server;
  online(server, kAlicePhone);
  online(server, kBobPhone);
  online(server, kStranger);
  server.submit(kAlicePhone, publish_iq("p1", kDevices, "current", devices_payload({1}), kOpen));
  server.submit(kAlicePhone, publish_iq("p2", kBundles, "1", bundle_payload(1), kOpenMax));
  server.submit(kAlicePhone,
                publish_iq("p3", "urn:example:private", "current", "<x xmlns='urn:example'/>"));
  drain(server, kAlicePhone);

  // A stranger on another domain, no roster entry: open nodes and a single bundle item.
  server.submit(kStranger, items_iq("s1", kAlice, kDevices));
  std::string reply = reply_to(drain(server, kStranger), "s1");
  CHECK(contains(reply, "type=\"result\""));
  CHECK(contains(reply, "<device id=\"1\"/>"));
  server.submit(kStranger, items_iq("s2", kAlice, kBundles, "<item id='1'/>"));
  CHECK(contains(reply_to(drain(server, kStranger), "s2"), "<bundle"));

  // Presence access: the stranger is refused, a contact with a subscription reads.
  server.submit(kStranger, items_iq("s3", kAlice, "urn:example:private"));
  reply = reply_to(drain(server, kStranger), "s3");
  CHECK(contains(reply, "<not-authorized"));
  CHECK(contains(reply, "presence-subscription-required"));
  REQUIRE(server.add_contacts(kAlice, kBob));
  server.submit(kBobPhone, items_iq("b1", kAlice, "urn:example:private"));
  CHECK(contains(reply_to(drain(server, kBobPhone), "b1"), "<x xmlns=\"urn:example\"/>"));

  // Whitelist: closed to the contact until the owner adds them.
  server.submit(kAlicePhone,
                configure_iq("c1", "urn:example:private", {{"pubsub#access_model", "whitelist"}}));
  CHECK(contains(reply_to(drain(server, kAlicePhone), "c1"), "type=\"result\""));
  server.submit(kBobPhone, items_iq("b2", kAlice, "urn:example:private"));
  reply = reply_to(drain(server, kBobPhone), "b2");
  CHECK(contains(reply, "<not-allowed"));
  CHECK(contains(reply, "closed-node"));
  server.submit(kAlicePhone,
                "<iq type='set' id='a1'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'>"
                "<affiliations node='urn:example:private'><affiliation jid='bob@example.org' "
                "affiliation='member'/></affiliations></pubsub></iq>");
  CHECK(contains(reply_to(drain(server, kAlicePhone), "a1"), "type=\"result\""));
  server.submit(kBobPhone, items_iq("b3", kAlice, "urn:example:private"));
  CHECK(contains(reply_to(drain(server, kBobPhone), "b3"), "type=\"result\""));

  // A node that does not exist.
  server.submit(kStranger, items_iq("s4", kAlice, "urn:example:none"));
  CHECK(contains(reply_to(drain(server, kStranger), "s4"), "<item-not-found"));
}

TEST_CASE("R-SRV-003/005: notifications follow +notify, to contacts and the owner's resources",
          "[net][pep]") {
  Server server;
  const std::string notify = std::string(kDevices) + "+notify";
  online(server, kAlicePhone, {notify});
  online(server, kAliceLaptop, {notify});
  online(server, kBobPhone, {notify});
  online(server, "bob@example.org/watch");          // no +notify
  online(server, "carol@example.org/a", {notify});  // no subscription
  REQUIRE(server.add_contacts(kAlice, kBob));
  REQUIRE(server.add_contacts(kAlice, "carol@example.org"));  // set up, then undone by stanza
  server.submit("carol@example.org/a", "<presence to='alice@example.org' type='unsubscribe'/>");
  REQUIRE_FALSE(server.roster(kAlice)->has_subscriber("carol@example.org"));
  for (const auto& jid : {kAlicePhone, kAliceLaptop, kBobPhone,
                          std::string("bob@example.org/watch"), std::string("carol@example.org/a")})
    drain(server, jid);

  server.submit(kAlicePhone, publish_iq("p1", kDevices, "current", devices_payload({7}), kOpen));
  auto phone = drain(server, kAlicePhone);
  CHECK(with(phone, "http://jabber.org/protocol/pubsub#event").size() == 1);
  auto laptop = drain(server, kAliceLaptop);  // R-SRV-005
  REQUIRE(with(laptop, "pubsub#event").size() == 1);
  CHECK(contains(laptop[0], "<device id=\"7\"/>"));
  auto bob = drain(server, kBobPhone);  // R-SRV-003
  REQUIRE(with(bob, "pubsub#event").size() == 1);
  CHECK(contains(bob[0], "from=\"alice@example.org\""));
  CHECK(contains(bob[0], "<item id=\"current\">"));
  CHECK(drain(server, "bob@example.org/watch").empty());  // no +notify, no event
  CHECK(drain(server, "carol@example.org/a").empty());    // no subscription, no event
}

TEST_CASE("R-SRV-004: the last item goes to newly available resources and new subscribers",
          "[net][pep]") {
  Server server;
  const std::string notify = std::string(kDevices) + "+notify";
  REQUIRE(server.create_account(kAlice));
  REQUIRE(server.create_account(kBob));
  REQUIRE(server.add_contacts(kAlice, kBob));
  online(server, kAlicePhone);
  server.submit(kAlicePhone, publish_iq("p1", kDevices, "current", devices_payload({1}), kOpen));
  server.submit(kAlicePhone, publish_iq("p2", kDevices, "current", devices_payload({1, 2}), kOpen));
  drain(server, kAlicePhone);

  // Bob comes online with +notify: exactly the last item.
  online(server, kBobPhone, {notify});
  auto events = with(drain(server, kBobPhone), "pubsub#event");
  REQUIRE(events.size() == 1);
  CHECK(contains(events[0], "<device id=\"2\"/>"));

  // Including the account owner's own new resource.
  online(server, kAliceLaptop, {notify});
  CHECK(with(drain(server, kAliceLaptop), "pubsub#event").size() == 1);

  // A caps change that adds +notify.
  online(server, "bob@example.org/tablet");
  CHECK(with(drain(server, "bob@example.org/tablet"), "pubsub#event").empty());
  REQUIRE(server.set_features("bob@example.org/tablet", {notify}));
  CHECK(with(drain(server, "bob@example.org/tablet"), "pubsub#event").size() == 1);

  // An explicit subscription from a stranger to the open node.
  online(server, kStranger);
  server.submit(kStranger,
                "<iq type='set' id='s1' to='alice@example.org'><pubsub "
                "xmlns='http://jabber.org/protocol/pubsub'><subscribe node='" +
                    std::string(kDevices) + "' jid='" + kStranger + "'/></pubsub></iq>");
  auto stranger = drain(server, kStranger);
  CHECK(contains(reply_to(stranger, "s1"), "subscription=\"subscribed\""));
  CHECK(with(stranger, "pubsub#event").size() == 1);
  // Later publishes reach the explicit subscriber too.
  server.submit(kAlicePhone, publish_iq("p3", kDevices, "current", devices_payload({3}), kOpen));
  CHECK(with(drain(server, kStranger), "<device id=\"3\"/>").size() == 1);
}

TEST_CASE("R-SRV-012: max_items=max keeps 20 bundle items", "[net][pep]") {
  Server server;
  online(server, kAlicePhone);
  for (int i = 1; i <= 20; ++i)
    server.submit(kAlicePhone, publish_iq("p" + std::to_string(i), kBundles, std::to_string(i),
                                          bundle_payload(i), kOpenMax));
  auto replies = drain(server, kAlicePhone);
  CHECK(with(replies, "type=\"error\"").empty());
  CHECK(server.node_items(kAlice, kBundles).size() == 20);
  online(server, kBobPhone);
  server.submit(kBobPhone, items_iq("i1", kAlice, kBundles));
  std::string reply = reply_to(drain(server, kBobPhone), "i1");
  std::size_t count = 0;
  for (std::size_t at = reply.find("<bundle"); at != std::string::npos;
       at = reply.find("<bundle", at + 1))
    ++count;
  CHECK(count == 20);
}

TEST_CASE("R-SRV-014 / A-05: item id 'current' overwrites; max_items='1' gives the newest",
          "[net][pep]") {
  Server server;
  server.config().pep.default_max_items = 10;  // a server keeping several items
  online(server, kAlicePhone);
  server.submit(kAlicePhone, publish_iq("p1", kDevices, "current", devices_payload({1})));
  server.submit(kAlicePhone, publish_iq("p2", kDevices, "current", devices_payload({1, 2})));
  drain(server, kAlicePhone);
  auto items = server.node_items(kAlice, kDevices);
  REQUIRE(items.size() == 1);
  CHECK(items[0].id == "current");
  CHECK(contains(items[0].payload, "id=\"2\""));

  // No id (libomemo/lurch) and an empty id (Converse): the server assigns distinct ids.
  server.submit(kAlicePhone, publish_iq("p3", kDevices, "", devices_payload({3})));
  server.submit(kAlicePhone,
                "<iq type='set' id='p4'><pubsub "
                "xmlns='http://jabber.org/protocol/pubsub'><publish node='" +
                    std::string(kDevices) + "'><item id=''>" + devices_payload({4}) +
                    "</item></publish></pubsub></iq>");
  auto replies = drain(server, kAlicePhone);
  items = server.node_items(kAlice, kDevices);
  REQUIRE(items.size() == 3);
  CHECK(items[1].id != items[2].id);
  CHECK_FALSE(items[1].id.empty());
  CHECK(contains(reply_to(replies, "p3"), "<item id=\"" + items[1].id + "\"/>"));

  // max_items='1' returns only the newest.
  server.submit(kAlicePhone, items_iq("i1", "", kDevices, "", " max_items='1'"));
  std::string reply = reply_to(drain(server, kAlicePhone), "i1");
  CHECK(contains(reply, "<device id=\"4\"/>"));
  CHECK_FALSE(contains(reply, "<device id=\"3\"/>"));
  CHECK_FALSE(contains(reply, "id=\"current\""));
}

TEST_CASE("R-SRV-015: a single item is fetched by id", "[net][pep]") {
  Server server;
  online(server, kAlicePhone);
  for (int i = 1; i <= 3; ++i)
    server.submit(kAlicePhone, publish_iq("p" + std::to_string(i), kBundles,
                                          std::to_string(100 + i), bundle_payload(i), kOpenMax));
  drain(server, kAlicePhone);
  online(server, kStranger);
  server.submit(kStranger, items_iq("i1", kAlice, kBundles, "<item id='102'/>"));
  std::string reply = reply_to(drain(server, kStranger), "i1");
  CHECK(contains(reply, "<item id=\"102\"><bundle"));
  CHECK(contains(reply, "<spk id=\"2\">"));
  CHECK_FALSE(contains(reply, "id=\"101\""));
  CHECK_FALSE(contains(reply, "id=\"103\""));
  // An unknown id gives an empty <items/>.
  server.submit(kStranger, items_iq("i2", kAlice, kBundles, "<item id='999'/>"));
  reply = reply_to(drain(server, kStranger), "i2");
  CHECK(contains(reply, "type=\"result\""));
  CHECK_FALSE(contains(reply, "<item "));
}

TEST_CASE("max_items caps (A-06): a server keeping one item loses the other bundles",
          "[net][pep]") {
  ServerConfig config;
  config.pep.max_items_cap = 1;
  Server server(config);
  online(server, kAlicePhone);
  server.submit(kAlicePhone, publish_iq("p1", kBundles, "1", bundle_payload(1), kOpenMax));
  server.submit(kAlicePhone, publish_iq("p2", kBundles, "2", bundle_payload(2), kOpenMax));
  auto replies = drain(server, kAlicePhone);
  CHECK(contains(reply_to(replies, "p1"), "type=\"result\""));
  CHECK(contains(reply_to(replies, "p2"), "type=\"result\""));
  auto items = server.node_items(kAlice, kBundles);
  REQUIRE(items.size() == 1);
  CHECK(items[0].id == "2");
  // A numeric request beyond the cap is stored as the cap.
  REQUIRE(server.configure_node(kAlice, "urn:example:n", [] {
    DataForm form;
    form.fields["pubsub#max_items"] = {"50"};
    return form;
  }()));
  CHECK(server.node_config(kAlice, "urn:example:n")->max_items == 1u);
  CHECK(describe_deviations(server.config()) == std::vector<std::string>{"pep.max_items_cap=1"});
}

TEST_CASE("publish-options ignored or rejected (server gaps)", "[net][pep]") {
  ServerConfig config;
  config.pep.publish_options = PublishOptionsSupport::ignored;
  Server ignoring(config);
  online(ignoring, kAlicePhone);
  ignoring.submit(kAlicePhone, publish_iq("p1", kDevices, "current", devices_payload({1}), kOpen));
  CHECK(contains(reply_to(drain(ignoring, kAlicePhone), "p1"), "type=\"result\""));
  CHECK(ignoring.node_config(kAlice, kDevices)->access_model == AccessModel::presence);

  config.pep.publish_options = PublishOptionsSupport::rejected;
  Server rejecting(config);
  online(rejecting, kAlicePhone);
  rejecting.submit(kAlicePhone, publish_iq("p1", kDevices, "current", devices_payload({1}), kOpen));
  std::string reply = reply_to(drain(rejecting, kAlicePhone), "p1");
  CHECK(contains(reply, "<feature-not-implemented"));
  CHECK(contains(reply, "feature=\"publish-options\""));
  CHECK_FALSE(rejecting.node_config(kAlice, kDevices));
}

TEST_CASE("R-SRV-013: the owner reconfigures access_model and max_items", "[net][pep]") {
  Server server;
  online(server, kAlicePhone);
  server.submit(kAlicePhone, publish_iq("p1", kBundles, "1", bundle_payload(1)));
  server.submit(kAlicePhone, configure_iq("c0", kBundles, {{"pubsub#max_items", "5"}}));
  for (int i = 2; i <= 4; ++i)
    server.submit(kAlicePhone, publish_iq("p" + std::to_string(i), kBundles, std::to_string(i),
                                          bundle_payload(i)));
  drain(server, kAlicePhone);
  REQUIRE(server.node_items(kAlice, kBundles).size() == 4);

  // The Conversations fallback: precondition fails, configure, retry.
  server.submit(kAlicePhone, publish_iq("p5", kBundles, "5", bundle_payload(5), kOpenMax));
  CHECK(contains(reply_to(drain(server, kAlicePhone), "p5"), "precondition-not-met"));
  server.submit(kAlicePhone, configure_iq("c1", kBundles, kOpenMax));
  CHECK(contains(reply_to(drain(server, kAlicePhone), "c1"), "type=\"result\""));
  server.submit(kAlicePhone, publish_iq("p6", kBundles, "5", bundle_payload(5), kOpenMax));
  CHECK(contains(reply_to(drain(server, kAlicePhone), "p6"), "type=\"result\""));
  CHECK(server.node_config(kAlice, kBundles)->access_model == AccessModel::open);

  // Lowering max_items drops the oldest items.
  server.submit(kAlicePhone, configure_iq("c2", kBundles, {{"pubsub#max_items", "2"}}));
  drain(server, kAlicePhone);
  auto items = server.node_items(kAlice, kBundles);
  REQUIRE(items.size() == 2);
  CHECK(items[0].id == "4");
  CHECK(items[1].id == "5");

  // Bad values and unknown fields change nothing.
  server.submit(kAlicePhone, configure_iq("c3", kBundles, {{"pubsub#access_model", "roster"}}));
  CHECK(contains(reply_to(drain(server, kAlicePhone), "c3"), "<not-acceptable"));
  server.submit(kAlicePhone, configure_iq("c4", kBundles, {{"pubsub#bogus", "1"}}));
  CHECK(contains(reply_to(drain(server, kAlicePhone), "c4"), "<not-acceptable"));
  CHECK(server.node_config(kAlice, kBundles)->access_model == AccessModel::open);

  // Only the owner; and a server without owner configuration.
  online(server, kBobPhone);
  server.submit(kBobPhone, "<iq type='set' id='x1' to='alice@example.org'>" +
                               configure_iq("", kBundles, kOpen).substr(21));
  CHECK(contains(reply_to(drain(server, kBobPhone), "x1"), "<forbidden"));
  server.config().pep.owner_configure = false;
  server.submit(kAlicePhone, configure_iq("c5", kBundles, kOpen));
  std::string reply = reply_to(drain(server, kAlicePhone), "c5");
  CHECK(contains(reply, "<feature-not-implemented"));
  CHECK(contains(reply, "feature=\"config-node\""));
}

TEST_CASE("retract and delete notify subscribers", "[net][pep]") {
  Server server;
  const std::string notify = std::string(kDevices) + "+notify";
  REQUIRE(server.create_account(kAlice));
  REQUIRE(server.create_account(kBob));
  REQUIRE(server.add_contacts(kAlice, kBob));
  online(server, kAlicePhone);
  online(server, kBobPhone, {notify});
  server.submit(kAlicePhone, publish_iq("p1", kDevices, "current", devices_payload({1}), kOpen));
  drain(server, kAlicePhone);
  drain(server, kBobPhone);
  server.submit(kAlicePhone,
                "<iq type='set' id='r1'><pubsub "
                "xmlns='http://jabber.org/protocol/pubsub'><retract node='" +
                    std::string(kDevices) + "'><item id='current'/></retract></pubsub></iq>");
  CHECK(contains(reply_to(drain(server, kAlicePhone), "r1"), "type=\"result\""));
  CHECK(with(drain(server, kBobPhone), "<retract id=\"current\"/>").size() == 1);
  CHECK(server.node_items(kAlice, kDevices).empty());
  server.submit(kAlicePhone,
                "<iq type='set' id='r2'><pubsub "
                "xmlns='http://jabber.org/protocol/pubsub'><retract node='" +
                    std::string(kDevices) + "'><item id='current'/></retract></pubsub></iq>");
  CHECK(contains(reply_to(drain(server, kAlicePhone), "r2"), "<item-not-found"));
  server.submit(kAlicePhone,
                "<iq type='set' id='d1'><pubsub "
                "xmlns='http://jabber.org/protocol/pubsub#owner'><delete node='" +
                    std::string(kDevices) + "'/></pubsub></iq>");
  CHECK(contains(reply_to(drain(server, kAlicePhone), "d1"), "type=\"result\""));
  CHECK(with(drain(server, kBobPhone), "<delete node=").size() == 1);
  CHECK_FALSE(server.node_config(kAlice, kDevices));
  // Only the owner publishes.
  server.submit(kBobPhone,
                "<iq type='set' id='x' to='alice@example.org'>" +
                    publish_iq("", kDevices, "current", devices_payload({9})).substr(21));
  CHECK(contains(reply_to(drain(server, kBobPhone), "x"), "<forbidden"));
}
