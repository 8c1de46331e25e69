// The XEP-0420 Stanza Content Encryption envelope that OMEMO 2 encrypts:
//   <envelope xmlns='urn:xmpp:sce:1'><content>...</content><rpad/><time stamp/><to jid/>
//   <from jid/></envelope>
// Content children are kept as standalone XML strings with their name and namespace.
#pragma once

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "codec/finding.h"
#include "codec/xml_support.h"

namespace oi::codec {

struct ContentElement {
  std::string name;  // local name
  std::string ns;    // resolved namespace
  std::string xml;   // the element, printed compactly with its namespace declared on it
  friend bool operator==(const ContentElement&, const ContentElement&) = default;
};

struct Envelope {
  std::vector<ContentElement> content;
  std::optional<std::string> rpad;
  std::optional<std::string> time;  // <time stamp>, XEP-0082 DateTime
  std::optional<std::string> to;    // <to jid>
  std::optional<std::string> from;  // <from jid>
  friend bool operator==(const Envelope&, const Envelope&) = default;
};

// A content element from its parts, in the canonical form the parser produces:
// make_content_element("body", "jabber:client", "hi") = <body xmlns="jabber:client">hi</body>.
ContentElement make_content_element(std::string_view name, std::string_view ns,
                                    std::string_view text);

// Parses a decrypted envelope. Static SCE checks only (affix values against the stanza are the
// engine's job): not well-formed XML or another root (R-OM2-060, must); no or repeated
// <content>, repeated affixes (R-OM2-060); server-processed elements inside <content>: hints,
// stanza-id, addresses, encryption (R-OM2-061, must; kept in the value, a receiver drops them);
// <body> outside jabber:client (R-OM2-067); no <rpad> (R-OM2-033, must; its length and
// characters are never checked, R-OM2-066); no <from> (R-OM2-033, should); <time> without a
// XEP-0082 stamp (R-OM2-065); <to>/<from> without jid (R-OM2-063/064) or with a full JID
// (should); unknown affixes (note R-OM2-060).
Parsed<Envelope> parse_envelope(std::string_view xml);
// Canonical: content, rpad, time, to, from.
std::string serialize_envelope(const Envelope& envelope);

std::optional<Envelope> parse_envelope_element(xml::Context& context, pugi::xml_node element);
void append_envelope(pugi::xml_node parent, const Envelope& envelope);

}  // namespace oi::codec
