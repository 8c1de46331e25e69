// MUC rooms (XEP-0045) as OMEMO group chats need them: joining (members-only is enforced),
// occupant presence with real JIDs in non-anonymous rooms (R-SRV-023), status codes 100, 110,
// 172, 173 and 201 (R-SRV-021), groupchat reflection to every occupant including the sender
// and the room archive (R-SRV-024), private messages, affiliation lists a member may read in a
// non-anonymous room (R-SRV-022), owner configuration, disco and room MAM.

#include "net/data_form.h"
#include "net/jid.h"
#include "net/namespaces.h"
#include "net/server_impl.h"

namespace oi::net {

namespace {

bool has_hint(pugi::xml_node message, std::string_view hint) {
  return static_cast<bool>(xml::child(message, hint, ns::kHints));
}

void add_feature(pugi::xml_node query, std::string_view feature) {
  query.append_child("feature").append_attribute("var") = std::string(feature).c_str();
}

bool is_true(std::string_view value) {
  return value == "1" || value == "true";
}

}  // namespace

bool Server::Impl::is_muc_jid(const Jid& jid) const {
  return jid.domain() == config.muc_service && !jid.local().empty();
}

void Server::Impl::send_occupant_presence(const MucRoom& room, const Occupant& occupant,
                                          const std::string& viewer, std::vector<int> statuses,
                                          bool unavailable) {
  const Occupant* seen_by = room.occupant_by_real_jid(viewer);
  bool show_jid = room.config().non_anonymous || (seen_by && seen_by->role == Role::moderator) ||
                  occupant.real_jid == viewer;
  Outgoing out("presence");
  out.attribute("from", room.jid() + "/" + occupant.nick);
  out.attribute("to", viewer);
  if (unavailable) out.attribute("type", "unavailable");
  pugi::xml_node x = out.stanza.append_child("x");
  x.append_attribute("xmlns") = std::string(ns::kMucUser).c_str();
  pugi::xml_node item = x.append_child("item");
  item.append_attribute("affiliation") =
      std::string(affiliation_name(occupant.affiliation)).c_str();
  item.append_attribute("role") =
      std::string(role_name(unavailable ? Role::none : occupant.role)).c_str();
  if (show_jid) item.append_attribute("jid") = occupant.real_jid.c_str();
  for (int code : statuses) x.append_child("status").append_attribute("code") = code;
  to_client(viewer, out);
}

void Server::Impl::muc_presence(const std::string& from, pugi::xml_node presence, const Jid& to) {
  std::string type = presence.attribute("type").as_string();
  std::string room_jid = to.bare();
  if (type == "unavailable") return muc_leave(from, room_jid, presence);
  if (!type.empty()) return;
  if (!to.has_resource())
    return reply_error(from, presence, {"modify", "jid-malformed", "no nickname"});
  std::string sender = bare_of(from);
  bool created = false;
  auto it = rooms.find(room_jid);
  if (it == rooms.end()) {
    it = rooms.try_emplace(room_jid, room_jid, RoomConfig{}).first;
    it->second.set_affiliation(sender, Affiliation::owner);
    created = true;
  }
  MucRoom& room = it->second;
  const std::string& nick = to.resource();
  if (const Occupant* present = room.occupant_by_real_jid(from)) {
    if (present->nick != nick)
      return reply_error(from, presence,
                         {"modify", "not-acceptable", "nickname changes are not supported"});
    // A presence update from an occupant: broadcast it.
    Occupant copy = *present;
    for (const auto& [other_nick, occupant] : room.occupants())
      send_occupant_presence(room, copy, occupant.real_jid,
                             occupant.real_jid == from ? std::vector<int>{110} : std::vector<int>{},
                             false);
    return;
  }
  Affiliation affiliation = room.affiliation_of(sender);
  if (affiliation == Affiliation::outcast)
    return reply_error(from, presence, {"auth", "forbidden"});
  if (room.config().members_only && !room.is_member_or_above(sender))
    return reply_error(from, presence, {"auth", "registration-required"});
  if (const Occupant* taken = room.occupant(nick); taken && bare_of(taken->real_jid) != sender)
    return reply_error(from, presence, {"cancel", "conflict"});

  const Occupant& me = room.join(nick, from);
  if (Resource* r = resource(from)) r->rooms[room_jid] = nick;
  for (const auto& [other_nick, occupant] : room.occupants())
    if (other_nick != nick) send_occupant_presence(room, occupant, from, {}, false);
  for (const auto& [other_nick, occupant] : room.occupants())
    if (other_nick != nick) send_occupant_presence(room, me, occupant.real_jid, {}, false);
  std::vector<int> statuses;
  if (room.config().non_anonymous) statuses.push_back(100);
  statuses.push_back(110);
  if (created) statuses.push_back(201);
  send_occupant_presence(room, me, from, statuses, false);
  Outgoing subject("message");
  subject.attribute("from", room_jid);
  subject.attribute("to", from);
  subject.attribute("type", "groupchat");
  subject.attribute("id", new_id("subject-"));
  subject.stanza.append_child("subject");
  to_client(from, subject);
}

void Server::Impl::muc_leave(const std::string& full, const std::string& room_jid,
                             pugi::xml_node presence) {
  (void)presence;
  auto it = rooms.find(room_jid);
  if (it == rooms.end()) return;
  MucRoom& room = it->second;
  const Occupant* present = room.occupant_by_real_jid(full);
  if (!present) return;
  Occupant leaving = *present;
  room.leave(leaving.nick);
  if (Resource* r = resource(full)) r->rooms.erase(room_jid);
  send_occupant_presence(room, leaving, full, {110}, true);
  for (const auto& [nick, occupant] : room.occupants())
    send_occupant_presence(room, leaving, occupant.real_jid, {}, true);
  if (room.occupants().empty() && !room.config().persistent) rooms.erase(it);
}

void Server::Impl::muc_message(const std::string& from, pugi::xml_node message, const Jid& to) {
  std::string type = message.attribute("type").as_string();
  auto it = rooms.find(to.bare());
  if (it == rooms.end()) {
    if (type != "error") reply_error(from, message, {"cancel", "item-not-found"});
    return;
  }
  MucRoom& room = it->second;
  const Occupant* sender = room.occupant_by_real_jid(from);
  if (!sender) {
    if (type != "error")
      reply_error(from, message, {"modify", "not-acceptable", "not an occupant"});
    return;
  }
  std::string sender_jid = room.jid() + "/" + sender->nick;
  if (to.has_resource()) {
    // A private message: to the occupant's real JID, from the sender's room JID.
    const Occupant* target = room.occupant(to.resource());
    if (!target) return reply_error(from, message, {"cancel", "item-not-found"});
    message.attribute("from").set_value(sender_jid.c_str());
    message.attribute("to").set_value(target->real_jid.c_str());
    pugi::xml_node x = message.append_child("x");
    x.append_attribute("xmlns") = std::string(ns::kMucUser).c_str();
    return to_client(target->real_jid, xml::print(message));
  }
  if (type != "groupchat") {
    if (type != "error")
      reply_error(from, message, {"modify", "not-acceptable", "type must be groupchat"});
    return;
  }
  message.attribute("from").set_value(sender_jid.c_str());
  message.remove_attribute("to");
  for (pugi::xml_node id : xml::children(message, "stanza-id", ns::kStanzaId))
    if (std::string_view(id.attribute("by").as_string()) == room.jid()) message.remove_child(id);
  bool archivable = config.muc_mam && !has_hint(message, "no-store") &&
                    !has_hint(message, "no-permanent-store") &&
                    (xml::child(message, "body", ns::kClient) || has_hint(message, "store"));
  if (archivable) {
    ArchivedMessage entry;
    entry.id = new_id("muc-mam-");
    entry.time_ms = clock.now_ms();
    entry.with = sender_jid;
    entry.xml = xml::print(message);
    pugi::xml_node sid = message.append_child("stanza-id");
    sid.append_attribute("xmlns") = std::string(ns::kStanzaId).c_str();
    sid.append_attribute("id") = entry.id.c_str();
    sid.append_attribute("by") = room.jid().c_str();
    room.archive().append(std::move(entry));
  }
  pugi::xml_attribute to_attribute = message.append_attribute("to");
  std::vector<std::string> recipients;
  for (const auto& [nick, occupant] : room.occupants()) recipients.push_back(occupant.real_jid);
  for (const auto& real : recipients) {
    to_attribute.set_value(real.c_str());
    to_client(real, xml::print(message));
  }
}

void Server::Impl::muc_iq(const std::string& from, pugi::xml_node iq, const Jid& to) {
  auto it = rooms.find(to.bare());
  if (it == rooms.end() || to.has_resource())
    return reply_error(
        from, iq, {"cancel", it == rooms.end() ? "item-not-found" : "feature-not-implemented"});
  MucRoom& room = it->second;
  std::string requester = bare_of(from);
  Affiliation affiliation = room.affiliation_of(requester);
  bool is_set = std::string_view(iq.attribute("type").as_string()) == "set";
  pugi::xml_node payload =
      iq.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; });
  std::string payload_ns = xml::namespace_of(payload);

  if (payload_ns == ns::kDiscoInfo && !is_set) {
    return reply_result(from, iq, [&](pugi::xml_node result) {
      pugi::xml_node query = result.append_child("query");
      query.append_attribute("xmlns") = std::string(ns::kDiscoInfo).c_str();
      pugi::xml_node identity = query.append_child("identity");
      identity.append_attribute("category") = "conference";
      identity.append_attribute("type") = "text";
      if (!room.config().name.empty())
        identity.append_attribute("name") = room.config().name.c_str();
      add_feature(query, ns::kDiscoInfo);
      add_feature(query, ns::kMuc);
      add_feature(query, room.config().non_anonymous ? "muc_nonanonymous" : "muc_semianonymous");
      add_feature(query, room.config().members_only ? "muc_membersonly" : "muc_open");
      add_feature(query, room.config().persistent ? "muc_persistent" : "muc_temporary");
      if (config.muc_mam) add_feature(query, ns::kMam);
    });
  }

  if (payload_ns == ns::kMucAdmin && xml::local_name(payload) == "query") {
    auto items = xml::children(payload, "item", ns::kMucAdmin);
    if (items.empty()) return reply_error(from, iq, {"modify", "bad-request"});
    if (!is_set) {
      auto wanted = affiliation_from_name(items[0].attribute("affiliation").as_string());
      if (!wanted || *wanted == Affiliation::none)
        return reply_error(from, iq,
                           {"cancel", "feature-not-implemented", "only affiliation lists"});
      // XEP-0045 1.35: members may read the lists of a non-anonymous room (R-SRV-022).
      bool allowed = affiliation == Affiliation::owner || affiliation == Affiliation::admin ||
                     (room.config().non_anonymous && affiliation == Affiliation::member);
      if (!allowed) return reply_error(from, iq, {"auth", "forbidden"});
      return reply_result(from, iq, [&](pugi::xml_node result) {
        pugi::xml_node query = result.append_child("query");
        query.append_attribute("xmlns") = std::string(ns::kMucAdmin).c_str();
        for (const auto& jid : room.with_affiliation(*wanted)) {
          pugi::xml_node item = query.append_child("item");
          item.append_attribute("affiliation") = std::string(affiliation_name(*wanted)).c_str();
          item.append_attribute("jid") = jid.c_str();
        }
      });
    }
    if (affiliation != Affiliation::owner && affiliation != Affiliation::admin)
      return reply_error(from, iq, {"auth", "forbidden"});
    std::vector<std::pair<std::string, Affiliation>> changes;
    for (pugi::xml_node item : items) {
      auto jid = Jid::parse(item.attribute("jid").as_string());
      auto value = affiliation_from_name(item.attribute("affiliation").as_string());
      if (!jid || !value) return reply_error(from, iq, {"modify", "bad-request"});
      bool touches_owners = *value == Affiliation::owner || *value == Affiliation::admin ||
                            room.affiliation_of(jid->bare()) == Affiliation::owner ||
                            room.affiliation_of(jid->bare()) == Affiliation::admin;
      if (touches_owners && affiliation != Affiliation::owner)
        return reply_error(from, iq, {"auth", "forbidden"});
      changes.emplace_back(jid->bare(), *value);
    }
    for (const auto& [jid, value] : changes) room.set_affiliation(jid, value);
    reply_result(from, iq);
    // Occupants who lost the right to be in the room leave it (status 301 / 321).
    for (const auto& [jid, value] : changes) {
      bool removed = value == Affiliation::outcast ||
                     (room.config().members_only && value == Affiliation::none);
      if (!removed) continue;
      std::vector<Occupant> gone;
      for (const auto& [nick, occupant] : room.occupants())
        if (bare_of(occupant.real_jid) == jid) gone.push_back(occupant);
      for (const Occupant& occupant : gone) {
        room.leave(occupant.nick);
        if (Resource* r = resource(occupant.real_jid)) r->rooms.erase(room.jid());
        int code = value == Affiliation::outcast ? 301 : 321;
        send_occupant_presence(room, occupant, occupant.real_jid, {110, code}, true);
        for (const auto& [nick, other] : room.occupants())
          send_occupant_presence(room, occupant, other.real_jid, {code}, true);
      }
    }
    return;
  }

  if (payload_ns == ns::kMucOwner && xml::local_name(payload) == "query") {
    if (affiliation != Affiliation::owner) return reply_error(from, iq, {"auth", "forbidden"});
    if (!is_set) {
      return reply_result(from, iq, [&](pugi::xml_node result) {
        pugi::xml_node query = result.append_child("query");
        query.append_attribute("xmlns") = std::string(ns::kMucOwner).c_str();
        DataForm form;
        form.type = "form";
        form.form_type = std::string(ns::kMucRoomConfig);
        form.fields["muc#roomconfig_membersonly"] = {room.config().members_only ? "1" : "0"};
        form.fields["muc#roomconfig_persistentroom"] = {room.config().persistent ? "1" : "0"};
        form.fields["muc#roomconfig_roomname"] = {room.config().name};
        form.fields["muc#roomconfig_whois"] = {room.config().non_anonymous ? "anyone"
                                                                           : "moderators"};
        append_form(query, form);
      });
    }
    auto form = read_form(payload);
    if (!form) return reply_error(from, iq, {"modify", "bad-request", "no form"});
    if (form->type == "cancel") return reply_result(from, iq);
    RoomConfig updated = room.config();
    if (auto v = form->value("muc#roomconfig_membersonly")) updated.members_only = is_true(*v);
    if (auto v = form->value("muc#roomconfig_persistentroom")) updated.persistent = is_true(*v);
    if (auto v = form->value("muc#roomconfig_roomname")) updated.name = *v;
    if (auto v = form->value("muc#roomconfig_whois")) {
      if (*v != "anyone" && *v != "moderators")
        return reply_error(from, iq, {"modify", "not-acceptable", "bad whois"});
      updated.non_anonymous = *v == "anyone";
    }
    bool whois_changed = updated.non_anonymous != room.config().non_anonymous;
    room.config() = updated;
    reply_result(from, iq);
    if (whois_changed) {
      for (const auto& [nick, occupant] : room.occupants()) {
        Outgoing out("message");
        out.attribute("from", room.jid());
        out.attribute("to", occupant.real_jid);
        out.attribute("type", "groupchat");
        out.attribute("id", new_id("config-"));
        pugi::xml_node x = out.stanza.append_child("x");
        x.append_attribute("xmlns") = std::string(ns::kMucUser).c_str();
        x.append_child("status").append_attribute("code") = updated.non_anonymous ? 172 : 173;
        to_client(occupant.real_jid, out);
      }
    }
    return;
  }

  if (payload_ns == ns::kMam && xml::local_name(payload) == "query" && is_set) {
    if (!config.muc_mam) return reply_error(from, iq, {"cancel", "service-unavailable"});
    if (!room.occupant_by_real_jid(from) && !room.is_member_or_above(requester))
      return reply_error(from, iq, {"auth", "forbidden"});
    return mam_query(from, iq, payload, room.archive(), room.jid());
  }

  reply_error(from, iq, {"cancel", "service-unavailable"});
}

}  // namespace oi::net
