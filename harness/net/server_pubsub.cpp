// PEP over stanzas (XEP-0163 on XEP-0060): publish with publish-options, retrieval (all items,
// newest N, single items by id), retract, subscribe, owner configuration, delete and
// affiliations (the whitelist), and the event notifications: to the owner's resources and to
// contacts with a presence subscription, filtered by "+notify" (R-SRV-003, R-SRV-005), to
// explicit subscribers, and the last item on subscribe and on presence (R-SRV-004).

#include <charconv>

#include "net/jid.h"
#include "net/namespaces.h"
#include "net/server_impl.h"

namespace oi::net {

namespace {

pugi::xml_node add_pubsub(pugi::xml_node iq, std::string_view ns) {
  pugi::xml_node pubsub = iq.append_child("pubsub");
  pubsub.append_attribute("xmlns") = std::string(ns).c_str();
  return pubsub;
}

void append_payload(pugi::xml_node parent, const std::string& payload) {
  if (payload.empty()) return;
  pugi::xml_document document;
  if (document.load_buffer(payload.data(), payload.size(), pugi::parse_default,
                           pugi::encoding_utf8))
    for (pugi::xml_node c : document.children()) parent.append_copy(c);
}

std::vector<pugi::xml_node> element_children(pugi::xml_node node) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_element) out.push_back(c);
  return out;
}

std::optional<std::uint32_t> parse_max_items(std::string_view text) {
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string standalone_payload(pugi::xml_node payload) {
  pugi::xml_document document;
  return xml::print(xml::append_standalone(document, payload));
}

}  // namespace

Requester Server::Impl::requester_for(std::string_view requester_full, const std::string& owner) {
  Requester who;
  who.bare = bare_of(requester_full);
  who.is_owner = who.bare == owner;
  if (Account* a = account(owner))
    who.has_presence_subscription = a->roster.has_subscriber(who.bare);
  return who;
}

void Server::Impl::handle_pubsub(const std::string& from, pugi::xml_node iq, pugi::xml_node pubsub,
                                 const std::string& owner) {
  Account& acc = *account(owner);
  bool is_owner = bare_of(from) == owner;
  bool is_set = std::string_view(iq.attribute("type").as_string()) == "set";
  const PepBehaviour& behaviour = config.pep;

  if (pugi::xml_node publish = xml::child(pubsub, "publish", ns::kPubsub); publish && is_set) {
    if (!is_owner) return reply_error(from, iq, pubsub_error("auth", "forbidden"));
    std::string node = publish.attribute("node").as_string();
    if (node.empty())
      return reply_error(from, iq, pubsub_error("modify", "bad-request", "nodeid-required"));
    auto items = xml::children(publish, "item", ns::kPubsub);
    if (items.size() != 1)
      return reply_error(from, iq,
                         pubsub_error("modify", "bad-request",
                                      items.empty() ? "item-required" : "invalid-payload"));
    auto payloads = element_children(items[0]);
    if (payloads.size() != 1)
      return reply_error(from, iq,
                         pubsub_error("modify", "bad-request",
                                      payloads.empty() ? "payload-required" : "invalid-payload"));
    std::optional<DataForm> options;
    if (pugi::xml_node po = xml::child(pubsub, "publish-options", ns::kPubsub)) {
      options = read_form(po);
      if (!options)
        return reply_error(
            from, iq, pubsub_error("modify", "bad-request", "", "publish-options without form"));
    }
    PubsubItem item;
    item.id = items[0].attribute("id").as_string();
    if (item.id.empty()) item.id = new_id("item-");  // server-assigned
    item.payload = standalone_payload(payloads[0]);
    item.publisher = from;
    item.published_ms = clock.now_ms();
    std::string id = item.id;
    auto outcome = acc.pep.publish(node, std::move(item), options, behaviour);
    if (auto* error = std::get_if<xml::StanzaError>(&outcome)) return reply_error(from, iq, *error);
    reply_result(from, iq, [&](pugi::xml_node result) {
      pugi::xml_node p = add_pubsub(result, ns::kPubsub).append_child("publish");
      p.append_attribute("node") = node.c_str();
      p.append_child("item").append_attribute("id") = id.c_str();
    });
    const PubsubNode& stored = *std::get<PubsubNode*>(outcome);
    if (const PubsubItem* kept = stored.find(id)) notify_items(owner, stored, *kept);
    return;
  }

  if (pugi::xml_node retract = xml::child(pubsub, "retract", ns::kPubsub); retract && is_set) {
    if (!is_owner) return reply_error(from, iq, pubsub_error("auth", "forbidden"));
    std::string node = retract.attribute("node").as_string();
    auto items = xml::children(retract, "item", ns::kPubsub);
    if (node.empty())
      return reply_error(from, iq, pubsub_error("modify", "bad-request", "nodeid-required"));
    if (items.size() != 1 || items[0].attribute("id").empty())
      return reply_error(from, iq, pubsub_error("modify", "bad-request", "item-required"));
    std::string id = items[0].attribute("id").as_string();
    auto outcome = acc.pep.retract(node, id);
    if (auto* error = std::get_if<xml::StanzaError>(&outcome)) return reply_error(from, iq, *error);
    reply_result(from, iq);
    std::string_view notify = retract.attribute("notify").as_string();
    const PubsubNode& found = *acc.pep.find(node);
    if (found.config.notify_retract || notify == "true" || notify == "1")
      notify_retract(owner, found, id);
    return;
  }

  if (pugi::xml_node subscribe = xml::child(pubsub, "subscribe", ns::kPubsub);
      subscribe && is_set) {
    std::string node = subscribe.attribute("node").as_string();
    auto jid = Jid::parse(subscribe.attribute("jid").as_string());
    if (!jid || jid->bare() != bare_of(from))
      return reply_error(from, iq, pubsub_error("modify", "bad-request", "invalid-jid"));
    if (auto error = acc.pep.check_access(node, requester_for(from, owner)))
      return reply_error(from, iq, *error);
    PubsubNode& found = *acc.pep.find(node);
    found.subscribers.insert(jid->full());
    reply_result(from, iq, [&](pugi::xml_node result) {
      pugi::xml_node s = add_pubsub(result, ns::kPubsub).append_child("subscription");
      s.append_attribute("node") = node.c_str();
      s.append_attribute("jid") = jid->full().c_str();
      s.append_attribute("subscription") = "subscribed";
    });
    if (!found.items.empty() && found.config.send_last_published_item != "never")
      send_item_event(jid->has_resource() ? jid->full() : from, owner, node, found.items.back(),
                      found.config.deliver_payloads);
    return;
  }

  if (pugi::xml_node unsubscribe = xml::child(pubsub, "unsubscribe", ns::kPubsub);
      unsubscribe && is_set) {
    std::string node = unsubscribe.attribute("node").as_string();
    PubsubNode* found = acc.pep.find(node);
    if (!found) return reply_error(from, iq, pubsub_error("cancel", "item-not-found"));
    std::string jid = unsubscribe.attribute("jid").as_string();
    if (bare_of(jid) != bare_of(from))
      return reply_error(from, iq, pubsub_error("modify", "bad-request", "invalid-jid"));
    if (found->subscribers.erase(jid) == 0)
      return reply_error(from, iq, pubsub_error("cancel", "unexpected-request", "not-subscribed"));
    return reply_result(from, iq);
  }

  if (pugi::xml_node items = xml::child(pubsub, "items", ns::kPubsub); items && !is_set) {
    std::string node = items.attribute("node").as_string();
    if (node.empty())
      return reply_error(from, iq, pubsub_error("modify", "bad-request", "nodeid-required"));
    if (auto error = acc.pep.check_access(node, requester_for(from, owner)))
      return reply_error(from, iq, *error);
    std::vector<std::string> ids;
    for (pugi::xml_node item : xml::children(items, "item", ns::kPubsub))
      ids.push_back(item.attribute("id").as_string());
    std::optional<std::uint32_t> max_items;
    if (pugi::xml_attribute attr = items.attribute("max_items")) {
      max_items = parse_max_items(attr.value());
      if (!max_items)
        return reply_error(from, iq, pubsub_error("modify", "bad-request", "", "bad max_items"));
    }
    auto found = acc.pep.items(node, ids, max_items);
    return reply_result(from, iq, [&](pugi::xml_node result) {
      pugi::xml_node out = add_pubsub(result, ns::kPubsub).append_child("items");
      out.append_attribute("node") = node.c_str();
      for (const auto& item : found) {
        pugi::xml_node e = out.append_child("item");
        e.append_attribute("id") = item.id.c_str();
        append_payload(e, item.payload);
      }
    });
  }

  reply_error(from, iq, pubsub_error("cancel", "feature-not-implemented"));
}

void Server::Impl::handle_pubsub_owner(const std::string& from, pugi::xml_node iq,
                                       pugi::xml_node pubsub, const std::string& owner) {
  if (bare_of(from) != owner) return reply_error(from, iq, pubsub_error("auth", "forbidden"));
  Account& acc = *account(owner);
  bool is_set = std::string_view(iq.attribute("type").as_string()) == "set";
  const PepBehaviour& behaviour = config.pep;

  if (pugi::xml_node configure = xml::child(pubsub, "configure", ns::kPubsubOwner)) {
    if (!behaviour.owner_configure) {
      auto error = pubsub_error("cancel", "feature-not-implemented", "unsupported");
      error.app_attribute = "feature";
      error.app_attribute_value = "config-node";
      return reply_error(from, iq, error);
    }
    std::string node = configure.attribute("node").as_string();
    const PubsubNode* found = acc.pep.find(node);
    if (!found) return reply_error(from, iq, pubsub_error("cancel", "item-not-found"));
    if (!is_set) {
      return reply_result(from, iq, [&](pugi::xml_node result) {
        pugi::xml_node c = add_pubsub(result, ns::kPubsubOwner).append_child("configure");
        c.append_attribute("node") = node.c_str();
        append_form(c, config_form(found->config));
      });
    }
    auto form = read_form(configure);
    if (!form)
      return reply_error(from, iq,
                         pubsub_error("modify", "bad-request", "", "configure without form"));
    if (form->type == "cancel") return reply_result(from, iq);
    if (auto error = acc.pep.configure(node, *form, behaviour))
      return reply_error(from, iq, *error);
    return reply_result(from, iq);
  }

  if (pugi::xml_node remove = xml::child(pubsub, "delete", ns::kPubsubOwner); remove && is_set) {
    std::string node = remove.attribute("node").as_string();
    const PubsubNode* found = acc.pep.find(node);
    if (!found) return reply_error(from, iq, pubsub_error("cancel", "item-not-found"));
    std::vector<std::string> recipients;
    if (found->config.notify_delete) recipients = notification_recipients(owner, *found);
    acc.pep.remove(node);
    reply_result(from, iq);
    notify_delete(owner, recipients, node);
    return;
  }

  if (pugi::xml_node affiliations = xml::child(pubsub, "affiliations", ns::kPubsubOwner)) {
    std::string node = affiliations.attribute("node").as_string();
    PubsubNode* found = acc.pep.find(node);
    if (!found) return reply_error(from, iq, pubsub_error("cancel", "item-not-found"));
    if (!is_set) {
      return reply_result(from, iq, [&](pugi::xml_node result) {
        pugi::xml_node a = add_pubsub(result, ns::kPubsubOwner).append_child("affiliations");
        a.append_attribute("node") = node.c_str();
        auto add = [&](const std::string& jid, const char* affiliation) {
          pugi::xml_node e = a.append_child("affiliation");
          e.append_attribute("jid") = jid.c_str();
          e.append_attribute("affiliation") = affiliation;
        };
        add(owner, "owner");
        for (const auto& jid : found->whitelist) add(jid, "member");
      });
    }
    for (pugi::xml_node e : xml::children(affiliations, "affiliation", ns::kPubsubOwner)) {
      std::string jid = bare_of(e.attribute("jid").as_string());
      std::string_view affiliation = e.attribute("affiliation").as_string();
      if (jid.empty() || jid == owner) continue;
      if (affiliation == "member" || affiliation == "publisher")
        found->whitelist.insert(jid);
      else if (affiliation == "none" || affiliation == "outcast")
        found->whitelist.erase(jid);
      else
        return reply_error(from, iq, pubsub_error("modify", "bad-request", "", "bad affiliation"));
    }
    return reply_result(from, iq);
  }

  reply_error(from, iq, pubsub_error("cancel", "feature-not-implemented"));
}

std::vector<std::string> Server::Impl::notification_recipients(const std::string& owner,
                                                               const PubsubNode& node) {
  std::set<std::string> out;
  std::string feature = node.name + "+notify";
  Account& acc = *account(owner);
  for (const auto& full : available_resources(owner))
    if (resource(full)->features.contains(feature)) out.insert(full);
  for (const auto& contact : acc.roster.subscribers()) {
    Requester who{contact, false, true};
    if (!acc.pep.may_read(node.name, who)) continue;
    for (const auto& full : available_resources(contact))
      if (resource(full)->features.contains(feature)) out.insert(full);
  }
  for (const auto& subscriber : node.subscribers) {
    if (!acc.pep.may_read(node.name, requester_for(subscriber, owner))) continue;
    if (subscriber.find('/') != std::string::npos) {
      if (Resource* r = resource(subscriber); r && r->available) out.insert(subscriber);
    } else {
      for (const auto& full : available_resources(subscriber)) out.insert(full);
    }
  }
  return {out.begin(), out.end()};
}

void Server::Impl::send_item_event(const std::string& to, const std::string& owner,
                                   const std::string& node, const PubsubItem& item,
                                   bool with_payload) {
  Outgoing out("message");
  out.attribute("from", owner);
  out.attribute("to", to);
  out.attribute("type", "headline");
  out.attribute("id", new_id("event-"));
  pugi::xml_node event = out.stanza.append_child("event");
  event.append_attribute("xmlns") = std::string(ns::kPubsubEvent).c_str();
  pugi::xml_node items = event.append_child("items");
  items.append_attribute("node") = node.c_str();
  pugi::xml_node e = items.append_child("item");
  e.append_attribute("id") = item.id.c_str();
  if (with_payload) append_payload(e, item.payload);
  to_client(to, out);
}

void Server::Impl::notify_items(const std::string& owner, const PubsubNode& node,
                                const PubsubItem& item) {
  // Copies: delivering may run fault rules, which must not see a node being modified.
  PubsubItem copy = item;
  std::string name = node.name;
  bool payloads = node.config.deliver_payloads;
  for (const auto& to : notification_recipients(owner, node))
    send_item_event(to, owner, name, copy, payloads);
}

void Server::Impl::notify_retract(const std::string& owner, const PubsubNode& node,
                                  const std::string& id) {
  std::string name = node.name;
  for (const auto& to : notification_recipients(owner, node)) {
    Outgoing out("message");
    out.attribute("from", owner);
    out.attribute("to", to);
    out.attribute("type", "headline");
    out.attribute("id", new_id("event-"));
    pugi::xml_node event = out.stanza.append_child("event");
    event.append_attribute("xmlns") = std::string(ns::kPubsubEvent).c_str();
    pugi::xml_node items = event.append_child("items");
    items.append_attribute("node") = name.c_str();
    items.append_child("retract").append_attribute("id") = id.c_str();
    to_client(to, out);
  }
}

void Server::Impl::notify_delete(const std::string& owner,
                                 const std::vector<std::string>& recipients,
                                 const std::string& node) {
  for (const auto& to : recipients) {
    Outgoing out("message");
    out.attribute("from", owner);
    out.attribute("to", to);
    out.attribute("type", "headline");
    out.attribute("id", new_id("event-"));
    pugi::xml_node event = out.stanza.append_child("event");
    event.append_attribute("xmlns") = std::string(ns::kPubsubEvent).c_str();
    event.append_child("delete").append_attribute("node") = node.c_str();
    to_client(to, out);
  }
}

void Server::Impl::send_last_items(const std::string& full, const std::set<std::string>& features,
                                   const std::string& only_owner) {
  std::string own = bare_of(full);
  Account* self = account(own);
  if (!self) return;
  std::vector<std::string> owners = {own};
  for (const auto& contact : self->roster.subscriptions())
    if (Account* c = account(contact); c && c->roster.has_subscriber(own))
      owners.push_back(contact);
  for (const auto& owner : owners) {
    if (!only_owner.empty() && owner != only_owner) continue;
    Account& acc = *account(owner);
    Requester who = requester_for(full, owner);
    std::vector<std::pair<std::string, PubsubItem>> last;
    std::vector<bool> payloads;
    for (const auto& [name, node] : acc.pep.nodes()) {
      if (node.items.empty() || !features.contains(name + "+notify")) continue;
      if (node.config.send_last_published_item != "on_sub_and_presence") continue;
      if (!acc.pep.may_read(name, who)) continue;
      last.emplace_back(name, node.items.back());
      payloads.push_back(node.config.deliver_payloads);
    }
    for (std::size_t i = 0; i < last.size(); ++i)
      send_item_event(full, owner, last[i].first, last[i].second, payloads[i]);
  }
}

}  // namespace oi::net
