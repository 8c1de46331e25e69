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

}  // namespace

std::string bare_jid(const std::string& jid) {
  return jid.substr(0, jid.find('/'));
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
    pugi::xml_node form = pubsub.append_child("publish-options").append_child("x");
    form.append_attribute("xmlns") = kDataForms;
    form.append_attribute("type") = "submit";
    pugi::xml_node type_field = form.append_child("field");
    type_field.append_attribute("var") = "FORM_TYPE";
    type_field.append_attribute("type") = "hidden";
    type_field.append_child("value").text() = kPublishOptions;
    for (const PublishOption& option : options) {
      pugi::xml_node field = form.append_child("field");
      field.append_attribute("var") = option.var.c_str();
      field.append_child("value").text() = option.value.c_str();
    }
  }
  return print(document);
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
  if (pugi::xml_node result = child_in(message, "result", kMam)) {
    pugi::xml_node forwarded = child_in(result, "forwarded", kForward);
    incoming.delay_stamp = child_in(forwarded, "delay", kDelay).attribute("stamp").value();
    message = forwarded.child("message");
    incoming.is_archived = true;
  }
  if (!message) return std::nullopt;
  if (pugi::xml_node delay = child_in(message, "delay", kDelay)) {
    incoming.delay_stamp = delay.attribute("stamp").value();
  }
  incoming.from = message.attribute("from").value();
  incoming.to = message.attribute("to").value();
  incoming.type = message.attribute("type").value();
  std::ostringstream out;
  message.print(out, "", pugi::format_raw);
  incoming.message_xml = out.str();
  return incoming;
}

}  // namespace oi::engine::client
