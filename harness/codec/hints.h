// The unencrypted processing hints next to <encrypted>: the XEP-0380 <encryption
// xmlns='urn:xmpp:eme:0' namespace=... [name]/> element and the XEP-0334 <store
// xmlns='urn:xmpp:hints'/> hint.
#pragma once

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "codec/finding.h"
#include "codec/profile.h"
#include "codec/xml_support.h"

namespace oi::codec {

struct EncryptionHint {
  std::string ns;                   // the namespace attribute
  std::optional<std::string> name;  // SHOULD NOT be sent for listed namespaces
  friend bool operator==(const EncryptionHint&, const EncryptionHint&) = default;
};

// The canonical hint of a profile: namespace = the profile namespace, no name.
EncryptionHint encryption_hint_for(Profile profile);

// Parses a bare <encryption> element. Findings: malformed XML ("XML"), another root ("LINT"),
// no namespace attribute (must, R-OM2-038), a name attribute (note A-25), unknown attributes.
Parsed<EncryptionHint> parse_encryption_hint(std::string_view xml);
std::string serialize_encryption_hint(const EncryptionHint& hint);
std::optional<EncryptionHint> parse_encryption_hint_element(xml::Context& context,
                                                            pugi::xml_node element);
void append_encryption_hint(pugi::xml_node parent, const EncryptionHint& hint);

// True for <store xmlns='urn:xmpp:hints'/>.
bool is_store_hint(pugi::xml_node element);
void append_store_hint(pugi::xml_node parent);

}  // namespace oi::codec
