// Small pugixml helpers shared by the service's handlers: namespace-aware lookup (pugixml is
// namespace-unaware), standalone copies of subtrees, compact printing, and builders for the
// elements every handler emits (stanza errors, <delay/>, <forwarded/>).
#pragma once

#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace oi::net::xml {

// Namespace of an element, resolved through xmlns / xmlns:prefix declarations of its ancestors.
// A top-level stanza without any declaration is in jabber:client.
std::string namespace_of(pugi::xml_node element);
std::string_view local_name(pugi::xml_node element);
bool is_element(pugi::xml_node node, std::string_view local, std::string_view ns);
// The first child element with that local name and namespace (null when none).
pugi::xml_node child(pugi::xml_node parent, std::string_view local, std::string_view ns);
// The first child element in namespace `ns`, whatever its name.
pugi::xml_node child_in(pugi::xml_node parent, std::string_view ns);
std::vector<pugi::xml_node> children(pugi::xml_node parent, std::string_view local,
                                     std::string_view ns);
// The element after `current` in document order within `root`'s subtree (null at the end).
// Walks without recursion, so that deeply nested input cannot exhaust the stack.
pugi::xml_node next_element(pugi::xml_node root, pugi::xml_node current);
// True when any element at or below `element` is in namespace `ns`.
bool contains_namespace(pugi::xml_node element, std::string_view ns);
std::string text_of(pugi::xml_node element);

// Appends a deep copy of `source` to `parent` that reads the same on its own: the resolved
// namespace is declared on the copy when `source` inherited it. A source in jabber:client (or
// with none) gets xmlns='jabber:client' when `declare_client` is set (messages nested in
// <forwarded/>).
pugi::xml_node append_standalone(pugi::xml_node parent, pugi::xml_node source,
                                 bool declare_client = false);

// Compact printing: no declaration, no indentation.
std::string print(pugi::xml_node node);

// Parses one stanza. On failure `error` says why (pugixml's description and byte offset, or
// "not an element", "more than one top-level element").
bool load_stanza(pugi::xml_document& document, std::string_view text, std::string& error);

// A stanza error child: <error type='...'><condition xmlns=stanzas/>[<app xmlns=app_ns/>]
// [<text>]</error>.
struct StanzaError {
  StanzaError() = default;
  StanzaError(std::string error_type, std::string error_condition, std::string error_text = {})
      : type(std::move(error_type)),
        condition(std::move(error_condition)),
        text(std::move(error_text)) {}

  std::string type = "cancel";  // cancel, modify, auth, wait
  std::string condition = "service-unavailable";
  std::string app_condition;  // optional application-specific condition element name
  std::string app_ns;
  std::string text;
  // Extra attribute on the application condition (<unsupported feature='...'/>).
  std::string app_attribute, app_attribute_value;
};
void append_error(pugi::xml_node stanza, const StanzaError& error);

// <delay xmlns='urn:xmpp:delay' from='...' stamp='...'/>.
void append_delay(pugi::xml_node parent, std::string_view from, std::string_view stamp);

}  // namespace oi::net::xml
