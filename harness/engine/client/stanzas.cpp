#include "engine/client/stanzas.h"

#include <pugixml.hpp>
#include <sstream>

#include "codec/hints.h"

namespace oi::engine::client {

namespace {

constexpr const char* kPubsub = "http://jabber.org/protocol/pubsub";
constexpr const char* kDataForms = "jabber:x:data";
constexpr const char* kPublishOptions = "http://jabber.org/protocol/pubsub#publish-options";
constexpr const char* kCarbons = "urn:xmpp:carbons:2";
constexpr const char* kForward = "urn:xmpp:forward:0";
constexpr const char* kMam = "urn:xmpp:mam:2";
constexpr const char* kDelay = "urn:xmpp:delay";
constexpr const char* kRsm = "http://jabber.org/protocol/rsm";
constexpr const char* kStanzaId = "urn:xmpp:sid:0";
constexpr const char* kDiscoInfo = "http://jabber.org/protocol/disco#info";
constexpr const char* kMuc = "http://jabber.org/protocol/muc";
constexpr const char* kMucUser = "http://jabber.org/protocol/muc#user";
constexpr const char* kMucAdmin = "http://jabber.org/protocol/muc#admin";
constexpr const char* kStanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

std::string print(const pugi::xml_document& document) {
  std::ostringstream out;
  document.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  return out.str();
}

std::optional<pugi::xml_document> parse(const std::string& xml) {
  std::optional<pugi::xml_document> document(std::in_place);
  if (!document->load_buffer(xml.data(), xml.size())) return std::nullopt;
  return document;
}

// Matches a child by local name and (when given) by its xmlns attribute.
pugi::xml_node child_in(pugi::xml_node parent, const char* name, const char* ns) {
  for (pugi::xml_node child : parent.children(name)) {
    if (ns == nullptr || std::string_view(child.attribute("xmlns").value()) == ns) return child;
  }
  return {};
}

// The status codes of a muc#user <x> child of `stanza`.
std::vector<int> muc_status_codes_of(pugi::xml_node stanza) {
  std::vector<int> codes;
  for (pugi::xml_node status : child_in(stanza, "x", kMucUser).children("status")) {
    codes.push_back(status.attribute("code").as_int());
  }
  return codes;
}

// <iq type to id> with one <query xmlns> child; returns the query.
pugi::xml_node iq_with_query(pugi::xml_document& document, const char* type, const std::string& to,
                             const std::string& id, const char* ns) {
  pugi::xml_node iq = document.append_child("iq");
  iq.append_attribute("type") = type;
  if (!to.empty()) iq.append_attribute("to") = to.c_str();
  iq.append_attribute("id") = id.c_str();
  pugi::xml_node query = iq.append_child("query");
  query.append_attribute("xmlns") = ns;
  return query;
}

// <x xmlns='jabber:x:data' type='submit'> with a hidden FORM_TYPE and one field per option.
void append_submitted_form(pugi::xml_node parent, const char* form_type,
                           const std::vector<PublishOption>& options) {
  pugi::xml_node form = parent.append_child("x");
  form.append_attribute("xmlns") = kDataForms;
  form.append_attribute("type") = "submit";
  pugi::xml_node type_field = form.append_child("field");
  type_field.append_attribute("var") = "FORM_TYPE";
  type_field.append_attribute("type") = "hidden";
  type_field.append_child("value").text() = form_type;
  for (const PublishOption& option : options) {
    pugi::xml_node field = form.append_child("field");
    field.append_attribute("var") = option.var.c_str();
    field.append_child("value").text() = option.value.c_str();
  }
}

}  // namespace

std::string bare_jid(const std::string& jid) {
  return jid.substr(0, jid.find('/'));
}

std::string jid_resource(const std::string& jid) {
  std::size_t slash = jid.find('/');
  return slash == std::string::npos ? std::string() : jid.substr(slash + 1);
}

std::string items_request(const std::string& id, const std::string& owner, const std::string& node,
                          const std::optional<std::string>& item_id) {
  pugi::xml_document document;
  pugi::xml_node iq = document.append_child("iq");
  iq.append_attribute("type") = "get";
  iq.append_attribute("to") = owner.c_str();
  iq.append_attribute("id") = id.c_str();
  pugi::xml_node pubsub = iq.append_child("pubsub");
  pubsub.append_attribute("xmlns") = kPubsub;
  pugi::xml_node items = pubsub.append_child("items");
  items.append_attribute("node") = node.c_str();
  if (item_id) {
    items.append_child("item").append_attribute("id") = item_id->c_str();
  } else {
    items.append_attribute("max_items") = "1";  // the newest item only
  }
  return print(document);
}

std::string publish_request(const std::string& id, const std::string& publish_xml,
                            const std::vector<PublishOption>& options) {
  pugi::xml_document document;
  pugi::xml_node iq = document.append_child("iq");
  iq.append_attribute("type") = "set";
  iq.append_attribute("id") = id.c_str();
  pugi::xml_node pubsub = iq.append_child("pubsub");
  pubsub.append_attribute("xmlns") = kPubsub;
  pugi::xml_document publish;
  publish.load_buffer(publish_xml.data(), publish_xml.size());
  pugi::xml_node publish_element = pubsub.append_copy(publish.document_element());
  publish_element.remove_attribute("xmlns");  // inherits the pubsub namespace
  if (!options.empty()) {
    append_submitted_form(pubsub.append_child("publish-options"), kPublishOptions, options);
  }
  return print(document);
}

std::string configure_request(const std::string& id, const std::string& node,
                              const std::vector<PublishOption>& options) {
  pugi::xml_document document;
  pugi::xml_node iq = document.append_child("iq");
  iq.append_attribute("type") = "set";
  iq.append_attribute("id") = id.c_str();
  pugi::xml_node pubsub = iq.append_child("pubsub");
  pubsub.append_attribute("xmlns") = "http://jabber.org/protocol/pubsub#owner";
  pugi::xml_node configure = pubsub.append_child("configure");
  configure.append_attribute("node") = node.c_str();
  append_submitted_form(configure, "http://jabber.org/protocol/pubsub#node_config", options);
  return print(document);
}

bool is_pep_event(const std::string& stanza_xml) {
  auto document = parse(stanza_xml);
  if (!document) return false;
  pugi::xml_node root = document->document_element();
  return std::string_view(root.name()) == "message" &&
         child_in(root, "event", "http://jabber.org/protocol/pubsub#event");
}

bool is_iq_result(const std::string& stanza_xml) {
  auto document = parse(stanza_xml);
  return document && std::string_view(document->document_element().name()) == "iq" &&
         std::string_view(document->document_element().attribute("type").value()) == "result";
}

std::string iq_error_condition(const std::string& stanza_xml) {
  auto document = parse(stanza_xml);
  if (!document) return "malformed";
  pugi::xml_node error = document->document_element().child("error");
  for (pugi::xml_node condition : error.children()) {
    if (condition.type() == pugi::node_element &&
        std::string_view(condition.attribute("xmlns").value()) ==
            "urn:ietf:params:xml:ns:xmpp-stanzas") {
      return condition.name();
    }
  }
  return error ? "undefined-condition" : "";
}

std::string message_stanza(const OutgoingMessage& message) {
  pugi::xml_document document;
  pugi::xml_node stanza = document.append_child("message");
  stanza.append_attribute("to") = message.to.c_str();
  stanza.append_attribute("id") = message.id.c_str();
  stanza.append_attribute("type") = message.type.c_str();
  pugi::xml_document encrypted;
  encrypted.load_buffer(message.encrypted_xml.data(), message.encrypted_xml.size());
  stanza.append_copy(encrypted.document_element());
  codec::append_store_hint(stanza);
  codec::append_encryption_hint(stanza, codec::encryption_hint_for(message.profile));
  if (message.fallback_body) stanza.append_child("body").text() = message.fallback_body->c_str();
  if (message.plaintext_body_beside) {
    stanza.append_child("body").text() = message.plaintext_body_beside->c_str();
  }
  return print(document);
}

std::optional<IncomingMessage> unwrap_message(const std::string& stanza_xml) {
  auto document = parse(stanza_xml);
  if (!document) return std::nullopt;
  pugi::xml_node message = document->document_element();
  if (std::string_view(message.name()) != "message") return std::nullopt;
  IncomingMessage incoming;
  // Carbons: <sent|received xmlns=carbons><forwarded><message/></forwarded>.
  for (const char* wrapper : {"sent", "received"}) {
    if (pugi::xml_node carbon = child_in(message, wrapper, kCarbons)) {
      message = child_in(carbon, "forwarded", kForward).child("message");
      incoming.is_carbon = true;
      break;
    }
  }
  // MAM: <result xmlns=mam><forwarded><delay/><message/></forwarded></result>.
  incoming.wrapper_from = document->document_element().attribute("from").value();
  if (pugi::xml_node result = child_in(message, "result", kMam)) {
    pugi::xml_node forwarded = child_in(result, "forwarded", kForward);
    incoming.delay_stamp = child_in(forwarded, "delay", kDelay).attribute("stamp").value();
    incoming.archive_id = result.attribute("id").value();
    message = forwarded.child("message");
    incoming.is_archived = true;
  }
  if (!message) return std::nullopt;
  if (pugi::xml_node delay = child_in(message, "delay", kDelay)) {
    incoming.delay_stamp = delay.attribute("stamp").value();
  }
  for (pugi::xml_node id : message.children("stanza-id")) {
    if (std::string_view(id.attribute("xmlns").value()) == kStanzaId) {
      incoming.stanza_ids[id.attribute("by").value()] = id.attribute("id").value();
    }
  }
  incoming.muc_status_codes = muc_status_codes_of(message);
  for (pugi::xml_node body : message.children("body")) {
    std::string_view ns = body.attribute("xmlns").value();
    if (ns.empty() || ns == "jabber:client") incoming.has_body = true;
  }
  incoming.has_subject = static_cast<bool>(message.child("subject"));
  incoming.from = message.attribute("from").value();
  incoming.to = message.attribute("to").value();
  incoming.type = message.attribute("type").value();
  std::ostringstream out;
  message.print(out, "", pugi::format_raw);
  incoming.message_xml = out.str();
  return incoming;
}

}  // namespace oi::engine::client

namespace oi::engine::client {

std::string mam_query_request(const std::string& id, const std::string& queryid,
                              const std::optional<std::string>& after, std::size_t max) {
  pugi::xml_document document;
  pugi::xml_node query = iq_with_query(document, "set", "", id, kMam);
  query.append_attribute("queryid") = queryid.c_str();
  pugi::xml_node form = query.append_child("x");
  form.append_attribute("xmlns") = kDataForms;
  form.append_attribute("type") = "submit";
  pugi::xml_node type_field = form.append_child("field");
  type_field.append_attribute("var") = "FORM_TYPE";
  type_field.append_attribute("type") = "hidden";
  type_field.append_child("value").text() = kMam;
  pugi::xml_node set = query.append_child("set");
  set.append_attribute("xmlns") = kRsm;
  set.append_child("max").text() = std::to_string(max).c_str();
  if (after) set.append_child("after").text() = after->c_str();
  return print(document);
}

std::optional<MamFin> parse_mam_fin(const std::string& iq_xml) {
  auto document = parse(iq_xml);
  if (!document) return std::nullopt;
  pugi::xml_node iq = document->document_element();
  if (std::string_view(iq.name()) != "iq" ||
      std::string_view(iq.attribute("type").value()) != "result") {
    return std::nullopt;
  }
  pugi::xml_node fin = child_in(iq, "fin", kMam);
  if (!fin) return std::nullopt;
  MamFin out;
  std::string_view complete = fin.attribute("complete").value();
  out.complete = complete == "true" || complete == "1";
  out.last = child_in(fin, "set", kRsm).child("last").text().get();
  return out;
}

std::string disco_info_request(const std::string& id, const std::string& to) {
  pugi::xml_document document;
  iq_with_query(document, "get", to, id, kDiscoInfo);
  return print(document);
}

std::vector<std::string> disco_features(const std::string& iq_xml) {
  std::vector<std::string> features;
  auto document = parse(iq_xml);
  if (!document || !is_iq_result(iq_xml)) return features;
  pugi::xml_node query = child_in(document->document_element(), "query", kDiscoInfo);
  for (pugi::xml_node feature : query.children("feature")) {
    features.emplace_back(feature.attribute("var").value());
  }
  return features;
}

std::string affiliation_list_request(const std::string& id, const std::string& room,
                                     const std::string& affiliation) {
  pugi::xml_document document;
  pugi::xml_node query = iq_with_query(document, "get", room, id, kMucAdmin);
  query.append_child("item").append_attribute("affiliation") = affiliation.c_str();
  return print(document);
}

std::string affiliation_set_request(const std::string& id, const std::string& room,
                                    const std::string& jid, const std::string& affiliation) {
  pugi::xml_document document;
  pugi::xml_node query = iq_with_query(document, "set", room, id, kMucAdmin);
  pugi::xml_node item = query.append_child("item");
  item.append_attribute("affiliation") = affiliation.c_str();
  item.append_attribute("jid") = jid.c_str();
  return print(document);
}

std::vector<std::string> affiliation_list_jids(const std::string& iq_xml) {
  std::vector<std::string> jids;
  auto document = parse(iq_xml);
  if (!document || !is_iq_result(iq_xml)) return jids;
  pugi::xml_node query = child_in(document->document_element(), "query", kMucAdmin);
  for (pugi::xml_node item : query.children("item")) {
    std::string jid = bare_jid(item.attribute("jid").value());
    if (!jid.empty()) jids.push_back(std::move(jid));
  }
  return jids;
}

std::string join_presence(const std::string& room, const std::string& nick) {
  pugi::xml_document document;
  pugi::xml_node presence = document.append_child("presence");
  presence.append_attribute("to") = (room + "/" + nick).c_str();
  presence.append_child("x").append_attribute("xmlns") = kMuc;
  return print(document);
}

std::string leave_presence(const std::string& room, const std::string& nick) {
  pugi::xml_document document;
  pugi::xml_node presence = document.append_child("presence");
  presence.append_attribute("to") = (room + "/" + nick).c_str();
  presence.append_attribute("type") = "unavailable";
  return print(document);
}

std::optional<MucPresence> parse_muc_presence(const std::string& stanza_xml) {
  auto document = parse(stanza_xml);
  if (!document) return std::nullopt;
  pugi::xml_node presence = document->document_element();
  if (std::string_view(presence.name()) != "presence") return std::nullopt;
  std::string from = presence.attribute("from").value();
  MucPresence out;
  out.room = bare_jid(from);
  out.nick = jid_resource(from);
  out.type = presence.attribute("type").value();
  if (out.nick.empty()) return std::nullopt;
  if (out.type == "error") {
    for (pugi::xml_node condition : presence.child("error").children()) {
      if (condition.type() == pugi::node_element &&
          std::string_view(condition.attribute("xmlns").value()) == kStanzas) {
        out.error_condition = condition.name();
        break;
      }
    }
    return out;
  }
  pugi::xml_node x = child_in(presence, "x", kMucUser);
  if (!x) return std::nullopt;
  pugi::xml_node item = x.child("item");
  out.real_jid = item.attribute("jid").value();
  out.affiliation = item.attribute("affiliation").value();
  out.role = item.attribute("role").value();
  out.status_codes = muc_status_codes_of(presence);
  return out;
}

}  // namespace oi::engine::client
