#include "net/xml_tools.h"

#include <fmt/format.h>

#include <sstream>

#include "net/namespaces.h"

namespace oi::net::xml {

std::string namespace_of(pugi::xml_node element) {
  std::string_view name = element.name();
  std::size_t colon = name.find(':');
  std::string attribute =
      colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
  for (pugi::xml_node node = element; node && node.type() == pugi::node_element;
       node = node.parent()) {
    if (pugi::xml_attribute a = node.attribute(attribute.c_str())) return a.value();
  }
  return colon == std::string_view::npos ? std::string(ns::kClient) : std::string();
}

std::string_view local_name(pugi::xml_node element) {
  std::string_view name = element.name();
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool is_element(pugi::xml_node node, std::string_view local, std::string_view ns) {
  return node.type() == pugi::node_element && local_name(node) == local && namespace_of(node) == ns;
}

pugi::xml_node child(pugi::xml_node parent, std::string_view local, std::string_view ns) {
  for (pugi::xml_node c : parent.children())
    if (is_element(c, local, ns)) return c;
  return {};
}

pugi::xml_node child_in(pugi::xml_node parent, std::string_view ns) {
  for (pugi::xml_node c : parent.children())
    if (c.type() == pugi::node_element && namespace_of(c) == ns) return c;
  return {};
}

std::vector<pugi::xml_node> children(pugi::xml_node parent, std::string_view local,
                                     std::string_view ns) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : parent.children())
    if (is_element(c, local, ns)) out.push_back(c);
  return out;
}

pugi::xml_node next_element(pugi::xml_node root, pugi::xml_node current) {
  for (pugi::xml_node c = current.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element) return c;
  for (pugi::xml_node node = current; node && node != root; node = node.parent())
    for (pugi::xml_node s = node.next_sibling(); s; s = s.next_sibling())
      if (s.type() == pugi::node_element) return s;
  return {};
}

bool contains_namespace(pugi::xml_node element, std::string_view ns) {
  if (element.type() != pugi::node_element) return false;
  if (namespace_of(element) == ns) return true;
  // An unprefixed element is in `ns` when it declares it, or inherits it from an element that
  // declares it (and is then in `ns` itself unless prefixed); only prefixed elements need a
  // walk up. This keeps deep input linear.
  for (pugi::xml_node e = element; e; e = next_element(element, e)) {
    bool prefixed = std::string_view(e.name()).find(':') != std::string_view::npos;
    pugi::xml_attribute declared = e.attribute("xmlns");
    if (!prefixed && declared && ns == declared.value()) return true;
    if (prefixed && declared && ns == declared.value())
      for (pugi::xml_node c : e.children())
        if (c.type() == pugi::node_element &&
            std::string_view(c.name()).find(':') == std::string_view::npos)
          return true;
    if (prefixed && namespace_of(e) == ns) return true;
  }
  return false;
}

std::string text_of(pugi::xml_node element) {
  std::string out;
  for (pugi::xml_node c : element.children())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  return out;
}

pugi::xml_node append_standalone(pugi::xml_node parent, pugi::xml_node source,
                                 bool declare_client) {
  pugi::xml_node copy = parent.append_copy(source);
  std::string_view name = source.name();
  std::size_t colon = name.find(':');
  std::string attribute =
      colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
  if (!copy.attribute(attribute.c_str())) {
    std::string resolved = namespace_of(source);
    bool is_client = resolved == ns::kClient;
    if (!resolved.empty() && (!is_client || declare_client))
      copy.prepend_attribute(attribute.c_str()).set_value(resolved.c_str());
  }
  return copy;
}

std::string print(pugi::xml_node node) {
  std::ostringstream out;
  node.print(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return out.str();
}

namespace {

// pugixml accepts repeated attributes; XML does not. Iterative: input depth is unbounded.
bool has_duplicate_attribute(pugi::xml_node root) {
  for (pugi::xml_node element = root; element;) {
    for (pugi::xml_attribute a = element.first_attribute(); a; a = a.next_attribute())
      for (pugi::xml_attribute b = a.next_attribute(); b; b = b.next_attribute())
        if (std::string_view(a.name()) == b.name()) return true;
    element = next_element(root, element);
  }
  return false;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

bool load_stanza(pugi::xml_document& document, std::string_view text, std::string& error) {
  // pugixml drops text outside the root element; XML forbids it.
  std::size_t first = 0, last = text.size();
  while (first < last && is_space(text[first])) ++first;
  while (last > first && is_space(text[last - 1])) --last;
  if (first == last || text[first] != '<' || text[last - 1] != '>') {
    error = "text outside the stanza element";
    return false;
  }
  pugi::xml_parse_result result =
      document.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result) {
    error = fmt::format("{} at offset {}", result.description(), result.offset);
    return false;
  }
  int elements = 0;
  for (pugi::xml_node c : document.children()) {
    if (c.type() == pugi::node_element) ++elements;
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      error = "text outside the stanza element";
      return false;
    }
  }
  if (elements == 0) {
    error = "not an element";
    return false;
  }
  if (elements > 1) {
    error = "more than one top-level element";
    return false;
  }
  if (has_duplicate_attribute(document.document_element())) {
    error = "repeated attribute";
    return false;
  }
  return true;
}

void append_error(pugi::xml_node stanza, const StanzaError& error) {
  pugi::xml_node e = stanza.append_child("error");
  e.append_attribute("type") = error.type.c_str();
  pugi::xml_node condition = e.append_child(error.condition.c_str());
  condition.append_attribute("xmlns") = std::string(ns::kStanzas).c_str();
  if (!error.app_condition.empty()) {
    pugi::xml_node app = e.append_child(error.app_condition.c_str());
    app.append_attribute("xmlns") = error.app_ns.c_str();
    if (!error.app_attribute.empty())
      app.append_attribute(error.app_attribute.c_str()) = error.app_attribute_value.c_str();
  }
  if (!error.text.empty()) {
    pugi::xml_node text = e.append_child("text");
    text.append_attribute("xmlns") = std::string(ns::kStanzas).c_str();
    text.text() = error.text.c_str();
  }
}

void append_delay(pugi::xml_node parent, std::string_view from, std::string_view stamp) {
  pugi::xml_node delay = parent.append_child("delay");
  delay.append_attribute("xmlns") = std::string(ns::kDelay).c_str();
  delay.append_attribute("from") = std::string(from).c_str();
  delay.append_attribute("stamp") = std::string(stamp).c_str();
}

}  // namespace oi::net::xml
