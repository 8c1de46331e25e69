// Presence (RFC 6121 §4): initial presence (broadcast, probes, offline messages, the last PEP
// items), unavailable presence, directed presence, and the subscription handshake (§3).

#include "net/jid.h"
#include "net/namespaces.h"
#include "net/server_impl.h"

namespace oi::net {

namespace {

// Sends a copy of the presence text addressed to `to`.
void send_presence_copy(Server::Impl& impl, const std::string& presence, const std::string& to) {
  pugi::xml_document document;
  if (!document.load_buffer(presence.data(), presence.size())) return;
  pugi::xml_node stanza = document.document_element();
  if (pugi::xml_attribute attr = stanza.attribute("to"))
    attr.set_value(to.c_str());
  else
    stanza.append_attribute("to") = to.c_str();
  impl.to_client(to, xml::print(stanza));
}

void send_simple(Server::Impl& impl, const std::string& from, const std::string& to,
                 const char* type) {
  Outgoing out("presence");
  out.attribute("from", from);
  out.attribute("to", to);
  out.attribute("type", type);
  impl.to_client(to, out);
}

}  // namespace

void Server::Impl::handle_presence(const std::string& from, pugi::xml_node presence) {
  std::string type = presence.attribute("type").as_string();
  std::string to_text = presence.attribute("to").as_string();
  if (!to_text.empty()) {
    Jid to = *Jid::parse(to_text);
    if (is_muc_jid(to)) return muc_presence(from, presence, to);
    if (type == "subscribe" || type == "subscribed" || type == "unsubscribe" ||
        type == "unsubscribed")
      return subscription_presence(from, presence, to, type);
    if (type == "probe" || type == "error") return;
    // Directed presence.
    if (to.has_resource()) {
      if (Resource* r = resource(to.full()); r && r->available)
        to_client(to.full(), xml::print(presence));
    } else {
      for (const auto& full : available_resources(to.bare())) to_client(full, xml::print(presence));
    }
    return;
  }
  Resource& r = *resource(from);
  if (type.empty()) return become_available(r, presence);
  if (type == "unavailable") return become_unavailable(r, presence);
  if (type != "error")
    reply_error(from, presence, {"modify", "bad-request", "presence type needs a 'to'"});
}

void Server::Impl::become_available(Resource& r, pugi::xml_node presence) {
  bool initial = !r.available;
  r.available = true;
  r.presence = xml::print(presence);
  std::string full = r.full;  // `r` may move when other resources are touched
  std::string own = bare_of(full);
  Account& acc = *account(own);
  for (const auto& contact : acc.roster.subscribers())
    for (const auto& to : available_resources(contact)) send_presence_copy(*this, r.presence, to);
  for (const auto& to : available_resources(own)) send_presence_copy(*this, r.presence, to);
  if (!initial) return;
  for (const auto& contact : acc.roster.subscriptions()) probe(contact, full);
  for (const auto& other : available_resources(own))
    if (other != full) send_presence_copy(*this, resource(other)->presence, full);
  for (const auto& requester : acc.roster.pending_inbound())
    send_simple(*this, requester, own, "subscribe");
  if (!acc.offline.empty()) deliver_offline(acc, full);
  send_last_items(full, resource(full)->features);
}

void Server::Impl::become_unavailable(Resource& r, pugi::xml_node presence) {
  if (!r.available) return;
  std::string full = r.full;
  auto joined = r.rooms;
  for (const auto& [room, nick] : joined) muc_leave(full, room, presence);
  Resource& self = *resource(full);
  self.available = false;
  self.presence.clear();
  Outgoing out("presence");
  out.attribute("from", full);
  out.attribute("type", "unavailable");
  if (pugi::xml_node status = xml::child(presence, "status", ns::kClient))
    out.stanza.append_copy(status);
  std::string text = xml::print(out.stanza);
  std::string own = bare_of(full);
  for (const auto& contact : account(own)->roster.subscribers())
    for (const auto& to : available_resources(contact)) send_presence_copy(*this, text, to);
  for (const auto& to : available_resources(own)) send_presence_copy(*this, text, to);
}

void Server::Impl::probe(const std::string& contact, const std::string& full) {
  for (const auto& source : available_resources(contact))
    send_presence_copy(*this, resource(source)->presence, full);
}

void Server::Impl::subscription_presence(const std::string& from, pugi::xml_node presence,
                                         const Jid& to, std::string_view type) {
  (void)presence;
  std::string user = bare_of(from);
  std::string contact = to.bare();
  if (contact == user) return;
  Account& u = *account(user);
  Account* c = account(contact);
  auto to_contact = [&](const char* kind) {
    for (const auto& full : available_resources(contact)) send_simple(*this, user, full, kind);
  };
  if (type == "subscribe") {
    if (!u.roster.is_subscribed_to(contact)) u.roster.ensure(contact).ask_subscribe = true;
    if (!c) return;
    if (c->roster.has_subscriber(user)) {
      u.roster.grant_to(contact);
      for (const auto& full : available_resources(user))
        send_simple(*this, contact, full, "subscribed");
      return;
    }
    c->roster.pending_inbound().insert(user);
    to_contact("subscribe");
    return;
  }
  if (!c) return;
  if (type == "subscribed") {
    if (!u.roster.pending_inbound().contains(contact)) return;  // nothing to approve
    u.roster.grant_from(contact);
    c->roster.grant_to(user);
    to_contact("subscribed");
    for (const auto& full : available_resources(contact)) {
      probe(user, full);
      send_last_items(full, resource(full)->features, user);
    }
    return;
  }
  if (type == "unsubscribe") {
    u.roster.revoke_to(contact);
    c->roster.revoke_from(user);
    to_contact("unsubscribe");
    for (const auto& source : available_resources(contact))
      for (const auto& full : available_resources(user))
        send_simple(*this, source, full, "unavailable");
    return;
  }
  // unsubscribed
  u.roster.revoke_from(contact);
  u.roster.pending_inbound().erase(contact);
  c->roster.revoke_to(user);
  to_contact("unsubscribed");
  for (const auto& source : available_resources(user))
    for (const auto& full : available_resources(contact))
      send_simple(*this, source, full, "unavailable");
}

}  // namespace oi::net
