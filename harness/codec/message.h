// An OMEMO <message> stanza: the <encrypted> element plus what travels unencrypted next to it
// (store hint, EME element, fallback body) and the stanza attributes the checks need.
#pragma once

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "codec/encrypted.h"
#include "codec/finding.h"
#include "codec/hints.h"
#include "codec/xml_support.h"

namespace oi::codec {

struct Message {
  std::optional<std::string> to, from, id, type;
  std::optional<Encrypted> encrypted;
  bool store_hint = false;
  std::optional<EncryptionHint> encryption;
  std::optional<std::string> body;  // unencrypted fallback body
  friend bool operator==(const Message&, const Message&) = default;
};

// Parses a <message> (namespace jabber:client, jabber:server or none) and its <encrypted>
// child (see parse_encrypted for those findings). Message-level findings: no OMEMO <encrypted>
// child ("LINT", must; urn:xmpp:omemo:1 gives R-OM2-068), a second one (note); an unencrypted
// <envelope> child (R-OM2-062, must); no store hint (legacy should R-LEG-023, OMEMO 2 must
// R-OM2-038); an EME namespace that differs from the <encrypted> namespace (must R-LEG-024 /
// R-OM2-038) or no EME element (note R-LEG-024 / R-OM2-038, SCE 0.5.0); an OMEMO 2 fallback
// <body> (must R-OM2-038, receivers ignore it per R-OM2-062); a type other than chat or
// groupchat (note R-LEG-024 / A-26: bodyless normal messages are not carbon-copied).
Parsed<Message> parse_message(std::string_view xml, bool check_key_contents = true);
// Canonical: <message to from id type><encrypted/><store/><encryption/><body/></message>, each
// part only when present.
std::string serialize_message(const Message& message);

// True for <message> in jabber:client, jabber:server or no namespace (or urn:xmpp:forward:0,
// which a <message> inside <forwarded> inherits when it lacks its own xmlns).
bool is_message_element(pugi::xml_node element);
std::optional<Message> parse_message_element(xml::Context& context, pugi::xml_node element,
                                             bool check_key_contents);

}  // namespace oi::codec
