// Shared machinery of the XML parsers in codec/ (not meant for other layers): the loaded text
// with its line index, namespace resolution (pugixml itself is namespace-unaware), locations,
// and the checks every element parser repeats (unknown attributes and children, child order,
// base64 content, id attributes, boolean flags), each emitting its findings.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "codec/finding.h"
#include "codec/profile.h"
#include "crypto/bytes.h"

namespace oi::codec::xml {

// A parsed XML text that can map nodes back to line:column in that text.
class Document {
 public:
  // Parses `text` (UTF-8). Malformed XML gives nullptr and one `must` finding named
  // `malformed_requirement` at the line:column pugixml reports.
  static std::unique_ptr<Document> load(std::string_view text, std::vector<Finding>& findings,
                                        std::string_view malformed_requirement);

  // The first element at the top level (null when there is none).
  pugi::xml_node root() const { return doc_.document_element(); }
  const pugi::xml_document& document() const { return doc_; }

  SourceLocation location_at(std::size_t offset) const;
  // Location of an element's '<' (or of a text node's first character); {0,0} when unknown.
  SourceLocation location_of(pugi::xml_node node) const;

 private:
  std::string text_;
  std::vector<std::size_t> line_starts_;
  pugi::xml_document doc_;
};

// Namespace of an element, resolved through xmlns / xmlns:prefix declarations of its ancestors.
std::string namespace_of(pugi::xml_node element);
// Name without prefix.
std::string_view local_name(pugi::xml_node element);
bool is_element(pugi::xml_node node, std::string_view local, std::string_view ns);
// Concatenated text and CDATA children.
std::string text_of(pugi::xml_node element);
// "<key rid='0'>" (the element with the named attribute, if any); for messages.
std::string describe(pugi::xml_node element, const char* attribute = nullptr);
// The element printed without formatting, with its resolved default namespace declared on it
// when it was inherited, so that the string stands alone.
std::string print_standalone(pugi::xml_node element);
// Compact printing of a node tree (no declaration, no indentation).
std::string print(const pugi::xml_node& node);

// Requirement IDs a parser uses for a profile.
struct ProfileRequirements {
  std::string_view device_id;       // R-LEG-002 / R-OM2-020
  std::string_view device_list;     // R-LEG-009 / R-OM2-069
  std::string_view bundle;          // R-LEG-010 / R-OM2-031
  std::string_view prekey_count;    // R-LEG-011 / R-OM2-006
  std::string_view identity_key;    // R-LEG-001 / R-OM2-002
  std::string_view signature;       // R-LEG-012 / R-OM2-002
  std::string_view encrypted;       // R-LEG-026 / R-OM2-035
  std::string_view sender;          // R-LEG-025 / R-OM2-035
  std::string_view key_flag;        // R-LEG-021 / R-OM2-036
  std::string_view key_flag_value;
  std::string_view store_hint;      // R-LEG-023 / R-OM2-038
  std::size_t minimum_prekeys;      // 20 / 25
  std::size_t key_length;           // 33 / 32
};
const ProfileRequirements& requirements_for(Profile profile);

// Collects findings with locations in one document.
class Context {
 public:
  Context(const Document& document, std::vector<Finding>& findings)
      : document_(document), findings_(findings) {}
  void add(std::string_view requirement, Severity severity, pugi::xml_node at, std::string message);
  const Document& document() const { return document_; }
  std::vector<Finding>& findings() { return findings_; }

 private:
  const Document& document_;
  std::vector<Finding>& findings_;
};

// Notes every attribute of `element` not in `known` (xmlns declarations are always known).
void check_attributes(Context& context, pugi::xml_node element,
                      std::initializer_list<std::string_view> known, std::string_view requirement);
// Notes an unknown child element.
void note_unknown_child(Context& context, pugi::xml_node child, std::string_view requirement);
// Notes (A-23, once per parent) children that come earlier than the canonical order says:
// `canonical` lists the local names of known children in order; others are ignored.
void check_child_order(Context& context, pugi::xml_node parent,
                       std::initializer_list<std::string_view> canonical);
// Notes non-whitespace text directly inside an element that should have only children.
void check_no_text(Context& context, pugi::xml_node element, std::string_view requirement);

// Lenient base64 of the element's text. Whitespace, missing padding and stray bits are notes
// undecodable text is a `must` finding named `requirement` and gives nullopt. When
// `expected_length` is non-zero a different decoded length is a `must` finding too.
std::optional<Bytes> base64_content(Context& context, pugi::xml_node element,
                                    std::string_view requirement, std::size_t expected_length = 0);

enum class IdKind { device, signed_pre_key, pre_key };
// Reads a numeric id attribute. Missing, non-numeric, negative and > 2^32-1 values are `must`
// findings and give nullopt; out-of-range values that fit 32 bits are findings but returned:
// device ids 0 or >= 2^31 (R-LEG-002 / R-OM2-020), OMEMO 2 spk/pk id 0 (R-OM2-068) or >= 2^31
// (R-OM2-031), legacy spk/pk id 0 (note A-09) or > 0xFFFFFE (note R-LEG-014). Leading '+',
// zeros or surrounding whitespace are notes.
std::optional<std::uint32_t> id_attribute(Context& context, pugi::xml_node element,
                                          const char* attribute, IdKind kind, Profile profile);

// Reads an xs:boolean flag (prekey / kex). Absent or "false" = false, "true" = true silently;
// "1" / "0" are notes; anything else is a `must` finding and reads as false.
bool flag_attribute(Context& context, pugi::xml_node element, const char* attribute,
                    Profile profile);

}  // namespace oi::codec::xml

namespace oi::codec::xml {

// The profile of `element` when it is <legacy_name> in the legacy namespace or <omemo2_name> in
// the OMEMO 2 namespace; nullopt otherwise.
std::optional<Profile> element_profile(pugi::xml_node element, std::string_view legacy_name,
                                       std::string_view omemo2_name);
// True for urn:xmpp:omemo:1 and its sub-namespaces (OMEMO 1 / XEP-0384 0.4-0.8.0, A-21).
bool is_omemo1_namespace(std::string_view ns);
// One `must` finding for a root element that is not `expected`: R-OM2-068 for OMEMO 1
// namespaces, otherwise "LINT".
void report_unexpected_element(Context& context, pugi::xml_node element, std::string_view expected);

}  // namespace oi::codec::xml
