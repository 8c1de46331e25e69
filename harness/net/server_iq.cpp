// IQ dispatch and the small server-side IQ services: service discovery (R-SRV-001, R-SRV-006),
// the roster, carbons enabling (XEP-0280) and ping.
#include <fmt/format.h>

#include <algorithm>

#include "net/jid.h"
#include "net/namespaces.h"
#include "net/server_impl.h"

namespace oi::net {

namespace {

void add_feature(pugi::xml_node query, std::string_view feature) {
  query.append_child("feature").append_attribute("var") = std::string(feature).c_str();
}

void add_identity(pugi::xml_node query, const char* category, const char* type) {
  pugi::xml_node identity = query.append_child("identity");
  identity.append_attribute("category") = category;
  identity.append_attribute("type") = type;
}

pugi::xml_node add_query(pugi::xml_node iq, std::string_view ns) {
  pugi::xml_node query = iq.append_child("query");
  query.append_attribute("xmlns") = std::string(ns).c_str();
  return query;
}

std::size_t count_element_children(pugi::xml_node node) {
  std::size_t n = 0;
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_element) ++n;
  return n;
}

}  // namespace

void Server::Impl::handle_iq(const std::string& from, pugi::xml_node iq) {
  std::string_view type = iq.attribute("type").as_string();
  if (type == "result" || type == "error") {
    // Responses are routed to a bound full JID; anything else is dropped (RFC 6120 §8.2.3).
    auto to = Jid::parse(iq.attribute("to").as_string());
    if (to && to->has_resource() && resource(to->full())) to_client(to->full(), xml::print(iq));
    return;
  }
  if (type != "get" && type != "set")
    return reply_error(from, iq, {"modify", "bad-request", "iq type must be get or set"});
  if (iq.attribute("id").empty())
    return reply_error(from, iq, {"modify", "bad-request", "iq without id"});
  if (count_element_children(iq) != 1)
    return reply_error(from, iq, {"modify", "bad-request", "iq get/set needs exactly one child"});
  pugi::xml_node payload =
      iq.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; });
  std::string payload_ns = xml::namespace_of(payload);
  std::string_view payload_name = xml::local_name(payload);
  Jid sender = *Jid::parse(from);
  std::string to_text = iq.attribute("to").as_string();
  std::optional<Jid> to = to_text.empty() ? std::optional<Jid>() : Jid::parse(to_text);
  if (to && is_muc_jid(*to)) return muc_iq(from, iq, *to);
  if (to && to->has_resource()) {
    if (resource(to->full())) return to_client(to->full(), xml::print(iq));
    return reply_error(from, iq, {"cancel", "service-unavailable"});
  }
  if (to && to->local().empty()) {
    // The server itself.
    if (!is_local_domain(to->domain()))
      return reply_error(from, iq, {"cancel", "remote-server-not-found"});
    if (payload_ns == ns::kDiscoInfo && type == "get") return disco_info(from, iq, to->domain());
    if (payload_ns == ns::kDiscoItems && type == "get") return disco_items(from, iq, to->domain());
    if (payload_ns == ns::kPing && type == "get") return reply_result(from, iq);
    if (payload_ns == ns::kCarbons && type == "set" &&
        (payload_name == "enable" || payload_name == "disable"))
      return carbons_toggle(from, iq, payload_name == "enable");
    return reply_error(from, iq, {"cancel", "service-unavailable"});
  }
  // An account: the sender's own (no 'to', or its bare JID) or another one.
  std::string target = to ? to->bare() : sender.bare();
  bool own = target == sender.bare();
  if (!account(target)) return reply_error(from, iq, {"cancel", "service-unavailable"});
  if (payload_ns == ns::kPubsub) return handle_pubsub(from, iq, payload, target);
  if (payload_ns == ns::kPubsubOwner) return handle_pubsub_owner(from, iq, payload, target);
  if (payload_ns == ns::kDiscoInfo && type == "get") return disco_info(from, iq, target);
  if (payload_ns == ns::kDiscoItems && type == "get") return disco_items(from, iq, target);
  if (!own) return reply_error(from, iq, {"cancel", "service-unavailable"});
  if (payload_ns == ns::kRoster && payload_name == "query") return roster_query(from, iq, payload);
  if (payload_ns == ns::kCarbons && type == "set" &&
      (payload_name == "enable" || payload_name == "disable"))
    return carbons_toggle(from, iq, payload_name == "enable");
  if (payload_ns == ns::kMam && payload_name == "query" && type == "set") {
    if (!config.mam) return reply_error(from, iq, {"cancel", "service-unavailable"});
    return mam_query(from, iq, payload, account(target)->archive, target);
  }
  if (payload_ns == ns::kPing && type == "get") return reply_result(from, iq);
  return reply_error(from, iq, {"cancel", "service-unavailable"});
}

void Server::Impl::disco_info(const std::string& from, pugi::xml_node iq, std::string_view target) {
  std::string node = xml::child(iq, "query", ns::kDiscoInfo).attribute("node").as_string();
  reply_result(from, iq, [&](pugi::xml_node result) {
    pugi::xml_node query = add_query(result, ns::kDiscoInfo);
    if (!node.empty()) query.append_attribute("node") = node.c_str();
    if (target == config.muc_service) {
      add_identity(query, "conference", "text");
      add_feature(query, ns::kDiscoInfo);
      add_feature(query, ns::kDiscoItems);
      add_feature(query, ns::kMuc);
      return;
    }
    if (target.find('@') == std::string_view::npos) {
      add_identity(query, "server", "im");
      add_feature(query, ns::kDiscoInfo);
      add_feature(query, ns::kDiscoItems);
      add_feature(query, ns::kPing);
      add_feature(query, ns::kRoster);
      if (config.carbons) {
        add_feature(query, ns::kCarbons);
        add_feature(query, ns::kCarbonsRules);
      }
      if (config.offline_storage) add_feature(query, "msgoffline");
      return;
    }
    // An account: the PEP service (XEP-0163 §defaults, XEP-0060 §10 features).
    add_identity(query, "account", "registered");
    add_identity(query, "pubsub", "pep");
    add_feature(query, ns::kDiscoInfo);
    add_feature(query, ns::kDiscoItems);
    const PepBehaviour& pep = config.pep;
    std::vector<std::string> features = {
        "access-open",    "access-presence",     "access-whitelist",       "auto-create",
        "auto-subscribe", "delete-nodes",        "filtered-notifications", "item-ids",
        "last-published", "modify-affiliations", "persistent-items",       "presence-notifications",
        "publish",        "retract-items",       "retrieve-items",         "subscribe"};
    if (pep.owner_configure) features.push_back("config-node");
    if (pep.owner_configure && pep.accepts_max_keyword) features.push_back("config-node-max");
    if (pep.publish_options == PublishOptionsSupport::honoured)
      features.push_back("publish-options");
    std::sort(features.begin(), features.end());
    for (const auto& f : features) add_feature(query, fmt::format("{}#{}", ns::kPubsub, f));
    if (config.mam) add_feature(query, ns::kMam);
  });
}

void Server::Impl::disco_items(const std::string& from, pugi::xml_node iq,
                               std::string_view target) {
  std::string requester = bare_of(from);
  reply_result(from, iq, [&](pugi::xml_node result) {
    pugi::xml_node query = add_query(result, ns::kDiscoItems);
    auto add_item = [&](const std::string& jid, const std::string& node) {
      pugi::xml_node item = query.append_child("item");
      item.append_attribute("jid") = jid.c_str();
      if (!node.empty()) item.append_attribute("node") = node.c_str();
    };
    if (target == config.muc_service) {
      for (const auto& [jid, room] : rooms) add_item(jid, "");
    } else if (target.find('@') == std::string_view::npos) {
      add_item(config.muc_service, "");
    } else if (Account* owner = account(target)) {
      Requester who = requester_for(from, owner->bare);
      for (const auto& [name, node] : owner->pep.nodes())
        if (owner->pep.may_read(name, who)) add_item(owner->bare, name);
    }
  });
}

void Server::Impl::roster_query(const std::string& from, pugi::xml_node iq, pugi::xml_node query) {
  Account& owner = *account(bare_of(from));
  if (std::string_view(iq.attribute("type").as_string()) == "get") {
    return reply_result(from, iq, [&](pugi::xml_node result) {
      pugi::xml_node out = add_query(result, ns::kRoster);
      for (const auto& [jid, item] : owner.roster.items()) {
        pugi::xml_node e = out.append_child("item");
        e.append_attribute("jid") = jid.c_str();
        e.append_attribute("subscription") =
            std::string(subscription_name(item.subscription)).c_str();
        if (item.ask_subscribe) e.append_attribute("ask") = "subscribe";
        if (!item.name.empty()) e.append_attribute("name") = item.name.c_str();
      }
    });
  }
  auto items = xml::children(query, "item", ns::kRoster);
  if (items.size() != 1)
    return reply_error(from, iq, {"modify", "bad-request", "roster set needs one item"});
  auto contact = Jid::parse(items[0].attribute("jid").as_string());
  if (!contact || contact->has_resource())
    return reply_error(from, iq, {"modify", "bad-request", "roster item needs a bare jid"});
  if (std::string_view(items[0].attribute("subscription").as_string()) == "remove") {
    owner.roster.remove(contact->bare());
    if (Account* other = account(contact->bare())) {
      other->roster.revoke_from(owner.bare);
      other->roster.revoke_to(owner.bare);
    }
  } else {
    owner.roster.ensure(contact->bare()).name = items[0].attribute("name").as_string();
  }
  reply_result(from, iq);
}

void Server::Impl::carbons_toggle(const std::string& from, pugi::xml_node iq, bool enable) {
  if (!config.carbons) return reply_error(from, iq, {"cancel", "service-unavailable"});
  resource(from)->carbons = enable;
  reply_result(from, iq);
}

}  // namespace oi::net
