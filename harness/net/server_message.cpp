// Message routing (RFC 6121 §8): 1:1 to full or bare JIDs; carbons (XEP-0280, R-SRV-016/017/018);
// offline storage with <delay/> on login (R-SRV-020); the per-account archive with
// <stanza-id/> (XEP-0359, R-SRV-019). Unknown child elements are routed untouched (R-SRV-025).

#include "net/jid.h"
#include "net/namespaces.h"
#include "net/server_impl.h"

namespace oi::net {

namespace {

bool has_body(pugi::xml_node message) {
  return static_cast<bool>(xml::child(message, "body", ns::kClient));
}

bool has_hint(pugi::xml_node message, std::string_view hint) {
  return static_cast<bool>(xml::child(message, hint, ns::kHints));
}

// <private/> (XEP-0280 §6) or the <no-copy/> hint (XEP-0334) keeps a message out of carbons.
bool is_private(pugi::xml_node message) {
  return xml::child(message, "private", ns::kCarbons) || has_hint(message, "no-copy");
}

std::string type_of(pugi::xml_node message) {
  std::string type = message.attribute("type").as_string();
  return type.empty() ? "normal" : type;
}

// Removes <stanza-id/> elements a client put in with by= one of our archives (XEP-0359 §4).
void strip_stanza_ids(pugi::xml_node message, const std::string& by_a, const std::string& by_b) {
  for (pugi::xml_node id : xml::children(message, "stanza-id", ns::kStanzaId)) {
    std::string by = id.attribute("by").as_string();
    if (by == by_a || by == by_b) message.remove_child(id);
  }
}

void add_stanza_id(pugi::xml_node message, const std::string& id, const std::string& by) {
  pugi::xml_node e = message.append_child("stanza-id");
  e.append_attribute("xmlns") = std::string(ns::kStanzaId).c_str();
  e.append_attribute("id") = id.c_str();
  e.append_attribute("by") = by.c_str();
}

}  // namespace

void Server::Impl::handle_message(const std::string& from, pugi::xml_node message) {
  std::string type = type_of(message);
  std::string to_text = message.attribute("to").as_string();
  Jid to = to_text.empty() ? Jid::parse(bare_of(from)).value() : *Jid::parse(to_text);
  if (is_muc_jid(to)) return muc_message(from, message, to);
  if (!is_local_domain(to.domain())) {
    if (type != "error") reply_error(from, message, {"cancel", "remote-server-not-found"});
    return;
  }
  Account* recipient = to.local().empty() ? nullptr : account(to.bare());
  if (!recipient) {
    if (type == "chat" || type == "normal")
      reply_error(from, message, {"cancel", "service-unavailable"});
    return;
  }
  strip_stanza_ids(message, to.bare(), bare_of(from));
  if (type == "chat" || type == "normal") return deliver_chat(from, message, to);
  // error, groupchat, headline: only to an available resource; never stored.
  if (to.has_resource()) {
    if (Resource* r = resource(to.full()); r && r->available)
      to_client(to.full(), xml::print(message));
    return;
  }
  if (type == "headline")
    for (const auto& full : available_resources(to.bare())) to_client(full, xml::print(message));
}

void Server::Impl::deliver_chat(const std::string& from, pugi::xml_node message, const Jid& to) {
  std::string type = type_of(message);
  std::string sender_bare = bare_of(from);
  Account& recipient = *account(to.bare());
  bool self = recipient.bare == sender_bare;
  bool copies = config.carbons && !is_private(message) &&
                (type == "chat" || has_body(message) || config.carbons_copy_bodyless_normal);

  if (Account* sender = account(sender_bare); sender && !self)
    archive_message(*sender, message, recipient.bare);
  if (auto id = archive_message(recipient, message, self ? recipient.bare : sender_bare))
    add_stanza_id(message, *id, recipient.bare);
  std::string text = xml::print(message);

  Resource* addressed = to.has_resource() ? resource(to.full()) : nullptr;
  if (addressed && addressed->available) {
    to_client(to.full(), text);
    if (copies)
      for (const auto& full : available_resources(recipient.bare))
        if (full != to.full() && full != from && resource(full)->carbons)
          send_carbon(full, recipient.bare, "received", message);
  } else if (auto all = available_resources(recipient.bare); !all.empty()) {
    for (const auto& full : all) to_client(full, text);
  } else {
    bool storable =
        has_body(message) || (has_hint(message, "store") && config.offline_store_bodyless);
    if (config.offline_storage && storable && !has_hint(message, "no-store"))
      recipient.offline.push_back(OfflineMessage{text, clock.now_ms()});
    else
      reply_error(from, message, {"cancel", "service-unavailable", "recipient offline"});
  }

  if (copies && !self)
    for (const auto& full : available_resources(sender_bare))
      if (full != from && resource(full)->carbons) send_carbon(full, sender_bare, "sent", message);
}

void Server::Impl::send_carbon(const std::string& to, const std::string& account_jid,
                               const char* kind, pugi::xml_node message) {
  Outgoing out("message");
  out.attribute("from", account_jid);
  out.attribute("to", to);
  out.attribute("type", type_of(message));
  pugi::xml_node wrapper = out.stanza.append_child(kind);
  wrapper.append_attribute("xmlns") = std::string(ns::kCarbons).c_str();
  pugi::xml_node forwarded = wrapper.append_child("forwarded");
  forwarded.append_attribute("xmlns") = std::string(ns::kForward).c_str();
  xml::append_standalone(forwarded, message, true);
  to_client(to, out);
}

std::optional<std::string> Server::Impl::archive_message(Account& owner, pugi::xml_node message,
                                                         const std::string& with) {
  if (!config.mam) return std::nullopt;
  std::string type = type_of(message);
  if (type != "chat" && type != "normal") return std::nullopt;
  if (has_hint(message, "no-store") || has_hint(message, "no-permanent-store")) return std::nullopt;
  if (!has_body(message) && !(has_hint(message, "store") && config.mam_archive_bodyless))
    return std::nullopt;
  ArchivedMessage entry;
  entry.id = new_id("mam-");
  entry.time_ms = clock.now_ms();
  entry.with = with;
  entry.xml = xml::print(message);
  return owner.archive.append(std::move(entry)).id;
}

void Server::Impl::deliver_offline(Account& owner, const std::string& full) {
  std::vector<OfflineMessage> stored = std::move(owner.offline);
  owner.offline.clear();
  std::string domain = Jid::parse(owner.bare)->domain();
  for (const auto& m : stored) {
    pugi::xml_document document;
    if (!document.load_buffer(m.xml.data(), m.xml.size())) continue;
    pugi::xml_node message = document.document_element();
    xml::append_delay(message, domain, VirtualClock::format_timestamp(m.stored_ms));
    to_client(full, xml::print(message));
  }
}

}  // namespace oi::net
