#include "codec/message.h"

#include <fmt/format.h>

namespace oi::codec {
namespace {

bool is_stanza_namespace(std::string_view ns) {
  // urn:xmpp:forward:0 is what a <message> without its own xmlns inherits inside <forwarded>.
  return ns.empty() || ns == kClientNamespace || ns == "jabber:server" ||
         ns == "urn:xmpp:forward:0";
}

std::optional<std::string> attribute(pugi::xml_node element, const char* name) {
  if (pugi::xml_attribute a = element.attribute(name)) return std::string(a.value());
  return std::nullopt;
}

}  // namespace

bool is_message_element(pugi::xml_node element) {
  return element.type() == pugi::node_element && xml::local_name(element) == "message" &&
         is_stanza_namespace(xml::namespace_of(element));
}

std::optional<Message> parse_message_element(xml::Context& context, pugi::xml_node element,
                                             bool check_key_contents) {
  if (!is_message_element(element)) {
    xml::report_unexpected_element(context, element, "a <message>");
    return std::nullopt;
  }
  Message message;
  message.to = attribute(element, "to");
  message.from = attribute(element, "from");
  message.id = attribute(element, "id");
  message.type = attribute(element, "type");
  pugi::xml_node encrypted_node, body_node, encryption_node;
  for (pugi::xml_node child : element.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string ns = xml::namespace_of(child);
    std::string_view name = xml::local_name(child);
    if (xml::element_profile(child, "encrypted", "encrypted")) {
      if (encrypted_node) {
        context.add("LINT", Severity::note, child,
                    fmt::format("<message>: a second <encrypted xmlns='{}'> is not checked", ns));
        continue;
      }
      encrypted_node = child;
    } else if (name == "encrypted" && xml::is_omemo1_namespace(ns)) {
      xml::report_unexpected_element(context, child, "an OMEMO <encrypted>");
    } else if (is_store_hint(child)) {
      message.store_hint = true;
    } else if (xml::is_element(child, "encryption", kEmeNamespace)) {
      if (!encryption_node) encryption_node = child;
    } else if (name == "body" && is_stanza_namespace(ns)) {
      if (!body_node) body_node = child;
    } else if (xml::is_element(child, "envelope", kSceNamespace)) {
      context.add("R-OM2-062", Severity::must, child,
                  "<message>: an unencrypted <envelope> child; receivers drop the stanza");
    }
  }
  if (encryption_node) message.encryption = parse_encryption_hint_element(context, encryption_node);
  if (body_node) message.body = xml::text_of(body_node);
  if (!encrypted_node) {
    context.add("LINT", Severity::must, element, "<message>: no OMEMO <encrypted> element");
    return message;
  }
  message.encrypted = parse_encrypted_element(context, encrypted_node, check_key_contents);
  Profile profile = *xml::element_profile(encrypted_node, "encrypted", "encrypted");
  const auto& ids = xml::requirements_for(profile);
  bool legacy = profile == Profile::legacy;

  if (!message.store_hint) {
    if (legacy)
      context.add(ids.store_hint, Severity::should, element,
                  "<message>: no <store xmlns='urn:xmpp:hints'/> (SHOULD, so that bodyless "
                  "messages are archived and stored offline)");
    else
      context.add(ids.store_hint, Severity::must, element,
                  "<message>: no <store xmlns='urn:xmpp:hints'/> (SCE requires it)");
  }
  std::string_view eme_requirement = legacy ? "R-LEG-024" : "R-OM2-038";
  if (message.encryption) {
    if (message.encryption->ns != profile_namespace(profile))
      context.add(eme_requirement, Severity::must, encryption_node,
                  fmt::format("<encryption namespace='{}'> does not match <encrypted xmlns='{}'>",
                              message.encryption->ns, profile_namespace(profile)));
  } else if (!encryption_node) {
    context.add(eme_requirement, Severity::note, element,
                fmt::format("<message>: no <encryption xmlns='urn:xmpp:eme:0' namespace='{}'/>{}",
                            profile_namespace(profile),
                            legacy ? " (customary, lets other clients explain the message)"
                                   : " (required by SCE 0.5.0; SCE 0.4.1 clients omit it)"));
  }
  if (body_node && !legacy)
    context.add("R-OM2-038", Severity::must, body_node,
                "<message>: a plaintext fallback <body> next to OMEMO 2 content (SCE 0.5.0 MUST "
                "NOT; receivers ignore it, R-OM2-062)");
  std::string type = message.type.value_or("normal");
  if (type != "chat" && type != "groupchat")
    context.add(legacy ? "R-LEG-024" : "A-26", Severity::note, element,
                fmt::format("<message type='{}'>: 1:1 OMEMO messages use type='chat' (bodyless "
                            "'{}' messages are not carbon-copied)",
                            type, type));
  return message;
}

Parsed<Message> parse_message(std::string_view text, bool check_key_contents) {
  Parsed<Message> out;
  auto document = xml::Document::load(text, out.findings, "XML");
  if (!document) return out;
  xml::Context context(*document, out.findings);
  out.value = parse_message_element(context, document->root(), check_key_contents);
  return out;
}

std::string serialize_message(const Message& message) {
  pugi::xml_document document;
  pugi::xml_node root = document.append_child("message");
  auto set = [&](const char* name, const std::optional<std::string>& value) {
    if (value) root.append_attribute(name).set_value(value->c_str());
  };
  set("to", message.to);
  set("from", message.from);
  set("id", message.id);
  set("type", message.type);
  if (message.encrypted) append_encrypted(root, *message.encrypted);
  if (message.store_hint) append_store_hint(root);
  if (message.encryption) append_encryption_hint(root, *message.encryption);
  if (message.body) {
    pugi::xml_node body = root.append_child("body");
    if (!message.body->empty()) body.text().set(message.body->c_str());
  }
  return xml::print(document);
}

}  // namespace oi::codec
