#include "stanza_xml.h"

#include <pugixml.hpp>
#include <sstream>
#include <stdexcept>

namespace lurch_adapter {
namespace {

constexpr const char* kPubsubNs = "http://jabber.org/protocol/pubsub";
constexpr const char* kPubsubEventNs = "http://jabber.org/protocol/pubsub#event";
constexpr const char* kCarbonsNs = "urn:xmpp:carbons:2";

std::string serialise(const pugi::xml_node& node) {
  std::ostringstream out;
  node.print(out, "", pugi::format_raw | pugi::format_no_declaration);
  return out.str();
}

pugi::xml_node child_in(const pugi::xml_node& parent, const char* name, const char* ns) {
  for (pugi::xml_node child : parent.children(name))
    if (std::string(child.attribute("xmlns").as_string()) == ns) return child;
  return {};
}

void parse_or_throw(pugi::xml_document& doc, const std::string& xml, const char* what) {
  // Whitespace-only text is kept, as libpurple's parser keeps it in the xmlnode tree it hands
  // to lurch (and lurch to libomemo as a string).
  pugi::xml_parse_result parsed =
      doc.load_string(xml.c_str(), pugi::parse_default | pugi::parse_ws_pcdata);
  if (!parsed) {
    throw std::invalid_argument(std::string(what) + " is not well-formed XML at offset " +
                                std::to_string(parsed.offset) + ": " + parsed.description());
  }
}

}  // namespace

std::string pep_items_request(const std::string& id, const std::string& to,
                              const std::string& node) {
  pugi::xml_document doc;
  pugi::xml_node iq = doc.append_child("iq");
  iq.append_attribute("type") = "get";
  iq.append_attribute("id") = id.c_str();
  iq.append_attribute("to") = to.c_str();
  pugi::xml_node pubsub = iq.append_child("pubsub");
  pubsub.append_attribute("xmlns") = kPubsubNs;
  pugi::xml_node items = pubsub.append_child("items");
  items.append_attribute("node") = node.c_str();
  items.append_attribute("max_items") = "1";
  return serialise(iq);
}

std::string pep_publish_request(const std::string& id, const std::string& publish_xml) {
  pugi::xml_document doc;
  pugi::xml_node iq = doc.append_child("iq");
  iq.append_attribute("type") = "set";
  iq.append_attribute("id") = id.c_str();
  pugi::xml_node pubsub = iq.append_child("pubsub");
  pubsub.append_attribute("xmlns") = kPubsubNs;
  // libomemo's bytes go in as they are, between the serialised <pubsub ...> and </pubsub>.
  std::string wrapped = serialise(iq);
  std::string::size_type end_of_open = wrapped.rfind("/>");
  return wrapped.substr(0, end_of_open) + ">" + publish_xml + "</pubsub></iq>";
}

std::optional<std::string> pubsub_result_items(const std::string& iq_reply) {
  pugi::xml_document doc;
  parse_or_throw(doc, iq_reply, "iq reply");
  pugi::xml_node iq = doc.document_element();
  if (std::string(iq.attribute("type").as_string()) != "result") return std::nullopt;
  pugi::xml_node pubsub = child_in(iq, "pubsub", kPubsubNs);
  if (!pubsub) return std::nullopt;
  pugi::xml_node items = pubsub.child("items");
  if (!items) return std::nullopt;
  return serialise(items);
}

std::string iq_type(const std::string& iq_reply) {
  pugi::xml_document doc;
  parse_or_throw(doc, iq_reply, "iq reply");
  return doc.document_element().attribute("type").as_string();
}

std::optional<IncomingMessage> parse_incoming_message(const std::string& stanza,
                                                      const std::string& own_bare_jid) {
  pugi::xml_document doc;
  parse_or_throw(doc, stanza, "stanza");
  pugi::xml_node message = doc.document_element();
  if (std::string(message.name()) != "message") return std::nullopt;

  // Carbons (XEP-0280), only from the own account (§11 of the XEP).
  if (bare_jid(message.attribute("from").as_string()) == own_bare_jid) {
    for (const char* direction : {"received", "sent"}) {
      pugi::xml_node carbon = child_in(message, direction, kCarbonsNs);
      pugi::xml_node inner = carbon.child("forwarded").child("message");
      if (inner) {
        message = inner;
        break;
      }
    }
  }

  IncomingMessage out;
  out.xml = serialise(message);
  out.type = message.attribute("type").as_string();
  out.from = message.attribute("from").as_string();
  out.to = message.attribute("to").as_string();
  out.has_encrypted = static_cast<bool>(message.child("encrypted"));
  if (pugi::xml_node body = message.child("body")) out.body = body.text().as_string();
  if (pugi::xml_node event = child_in(message, "event", kPubsubEventNs)) {
    if (pugi::xml_node items = event.child("items"))
      out.event_items =
          IncomingMessage::EventItems{items.attribute("node").as_string(), serialise(items)};
  }
  return out;
}

std::string outgoing_chat_message(const std::string& id, const std::string& to,
                                  const std::string& body) {
  pugi::xml_document doc;
  pugi::xml_node message = doc.append_child("message");
  message.append_attribute("type") = "chat";
  message.append_attribute("id") = id.c_str();
  message.append_attribute("to") = to.c_str();
  message.append_child("body").text().set(body.c_str());
  return serialise(message);
}

std::optional<std::string> message_body(const std::string& message_xml) {
  pugi::xml_document doc;
  parse_or_throw(doc, message_xml, "libomemo's decrypted message");
  pugi::xml_node body = doc.document_element().child("body");
  if (!body) return std::nullopt;
  return std::string(body.text().as_string());
}

std::string bare_jid(const std::string& jid) {
  return jid.substr(0, jid.find('/'));
}

}  // namespace lurch_adapter
