#include "engine/xml_misbehaviour.h"

#include <pugixml.hpp>
#include <sstream>
#include <vector>

namespace oi::engine {

namespace {

// Base64 wrapped every 16 characters with a newline and indentation.
std::string wrap_with_whitespace(std::string_view text) {
  std::string out = "\n  ";
  for (std::size_t i = 0; i < text.size(); i += 16) {
    out.append(text.substr(i, 16));
    out.append("\n  ");
  }
  return out;
}

void wrap_base64_texts(pugi::xml_node node) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata) {
      child.set_value(wrap_with_whitespace(child.value()).c_str());
    } else if (child.type() == pugi::node_element) {
      wrap_base64_texts(child);
    }
  }
}

// Reverses the element children of `node`: <iv> then moves before the <key>s (Dino's order).
void reverse_children(pugi::xml_node node) {
  std::vector<pugi::xml_node> children;
  for (pugi::xml_node child : node.children()) children.push_back(child);
  for (pugi::xml_node child : children) node.prepend_move(child);
}

}  // namespace

std::string serialize_with_misbehaviours(const codec::Encrypted& element,
                                         const Switchboard& switchboard) {
  pugi::xml_document document;
  codec::append_encrypted(document, element);
  pugi::xml_node encrypted = document.first_child();
  pugi::xml_node header = encrypted.child("header");
  const bool is_legacy = element.profile == codec::Profile::legacy;

  for (const pugi::xpath_node& selected : header.select_nodes(".//key")) {
    pugi::xml_node key = selected.node();
    if (is_legacy) {
      pugi::xml_attribute prekey = key.attribute("prekey");
      if (prekey && switchboard.is_enabled(Misbehaviour::prekey_attribute_omitted)) {
        key.remove_attribute(prekey);
      } else if (prekey && switchboard.is_enabled(Misbehaviour::prekey_attribute_one)) {
        prekey.set_value("1");
      }
    } else if (pugi::xml_attribute kex = key.attribute("kex");
               kex && switchboard.is_enabled(Misbehaviour::kex_attribute_one)) {
      kex.set_value("1");
    }
  }
  if (switchboard.is_enabled(Misbehaviour::device_id_zero)) {
    header.attribute("sid").set_value("0");
  } else if (switchboard.is_enabled(Misbehaviour::device_id_too_large)) {
    header.attribute("sid").set_value("2147483648");
  }
  if (switchboard.is_enabled(Misbehaviour::shuffled_children)) {
    reverse_children(header);
    reverse_children(encrypted);
  }
  if (switchboard.is_enabled(Misbehaviour::base64_whitespace)) wrap_base64_texts(encrypted);

  std::ostringstream out;
  document.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  return out.str();
}

}  // namespace oi::engine
