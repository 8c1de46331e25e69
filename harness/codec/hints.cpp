#include "codec/hints.h"

#include <fmt/format.h>

namespace oi::codec {

EncryptionHint encryption_hint_for(Profile profile) {
  return EncryptionHint{std::string(profile_namespace(profile)), std::nullopt};
}

std::optional<EncryptionHint> parse_encryption_hint_element(xml::Context& context,
                                                            pugi::xml_node element) {
  if (!xml::is_element(element, "encryption", kEmeNamespace)) {
    xml::report_unexpected_element(context, element,
                                   "an <encryption xmlns='urn:xmpp:eme:0'> element");
    return std::nullopt;
  }
  xml::check_attributes(context, element, {"namespace", "name"}, "R-OM2-038");
  pugi::xml_attribute ns = element.attribute("namespace");
  if (!ns) {
    context.add("R-OM2-038", Severity::must, element, "<encryption>: no namespace attribute");
    return std::nullopt;
  }
  EncryptionHint hint{ns.value(), std::nullopt};
  if (pugi::xml_attribute name = element.attribute("name")) {
    hint.name = name.value();
    if (profile_from_namespace(hint.ns))
      context.add("A-25", Severity::note, element,
                  fmt::format("<encryption name='{}'>: XEP-0380 says a name SHOULD NOT be sent "
                              "for a listed namespace (Conversations and Dino send it)",
                              name.value()));
  }
  return hint;
}

void append_encryption_hint(pugi::xml_node parent, const EncryptionHint& hint) {
  pugi::xml_node node = parent.append_child("encryption");
  node.append_attribute("xmlns").set_value(std::string(kEmeNamespace).c_str());
  node.append_attribute("namespace").set_value(hint.ns.c_str());
  if (hint.name) node.append_attribute("name").set_value(hint.name->c_str());
}

Parsed<EncryptionHint> parse_encryption_hint(std::string_view text) {
  Parsed<EncryptionHint> out;
  auto document = xml::Document::load(text, out.findings, "XML");
  if (!document) return out;
  xml::Context context(*document, out.findings);
  out.value = parse_encryption_hint_element(context, document->root());
  return out;
}

std::string serialize_encryption_hint(const EncryptionHint& hint) {
  pugi::xml_document document;
  append_encryption_hint(document, hint);
  return xml::print(document);
}

bool is_store_hint(pugi::xml_node element) {
  return xml::is_element(element, "store", kHintsNamespace);
}

void append_store_hint(pugi::xml_node parent) {
  parent.append_child("store").append_attribute("xmlns").set_value(
      std::string(kHintsNamespace).c_str());
}

}  // namespace oi::codec
