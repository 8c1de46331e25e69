// The <encrypted> element of both profiles:
//   legacy:  <encrypted xmlns='eu.siacs.conversations.axolotl'><header sid>
//              <key rid [prekey]>B64</key>... <iv>B64</iv></header>[<payload>B64</payload>]
//   omemo2:  <encrypted xmlns='urn:xmpp:omemo:2'><header sid>
//              <keys jid><key rid [kex]>B64</key>...</keys>...</header>[<payload>B64</payload>]
// An absent payload is a KeyTransportElement (legacy) or an empty OMEMO message (OMEMO 2).
#pragma once

#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "codec/finding.h"
#include "codec/profile.h"
#include "codec/xml_support.h"
#include "crypto/bytes.h"

namespace oi::codec {

struct KeyElement {
  std::uint32_t rid = 0;
  bool kex = false;  // legacy prekey='true' / OMEMO 2 kex='true'
  Bytes data;        // the serialized (PreKey)SignalMessage / OMEMO(Authenticated|KeyExchange)
  friend bool operator==(const KeyElement&, const KeyElement&) = default;
};

// The keys for one recipient bare JID. Legacy <key> elements carry no JID: a legacy value holds
// at most one RecipientKeys, with an empty jid (serialisation flattens all groups for legacy).
struct RecipientKeys {
  std::string jid;
  std::vector<KeyElement> keys;
  friend bool operator==(const RecipientKeys&, const RecipientKeys&) = default;
};

struct Encrypted {
  Profile profile = Profile::legacy;
  std::uint32_t sid = 0;
  std::vector<RecipientKeys> recipients;
  std::optional<Bytes> iv;       // legacy only (12 bytes; 16 from old senders, A-01)
  std::optional<Bytes> payload;  // absent: key transport / empty message
  friend bool operator==(const Encrypted&, const Encrypted&) = default;
};

// The keys addressed to device `rid` (and, for OMEMO 2, to bare JID `jid`; ignored for legacy).
std::vector<const KeyElement*> keys_for(const Encrypted& encrypted, std::uint32_t rid,
                                        std::string_view jid = {});

// Parses a bare <encrypted> element. The value is absent without a <header> carrying a usable
// sid. Findings (R-LEG-026 / R-OM2-035 unless said otherwise): malformed XML ("XML"), another
// root ("LINT" / R-OM2-068); missing or repeated <header>/<payload>; sid and rid ids
// (R-LEG-002|R-LEG-025 / R-OM2-020|R-OM2-035); no keys at all; <keys> without jid, with a full
// JID, repeated, or empty; prekey/kex values (A-03 / A-04 notes, R-LEG-021 / R-OM2-036 must);
// a legacy prekey attribute in OMEMO 2 (note A-04); legacy <iv> missing (must R-LEG-026), 16
// bytes (note A-01) or another length than 12 (must R-LEG-019); an OMEMO 2 payload that is not
// whole AES blocks (R-OM2-018); base64, order and unknown items (notes).
// With `check_key_contents`, each <key> is also decoded as the protobuf message its flag
// announces and wire deviations are reported at the <key> ("<key rid='5'>: SignalMessage:
// truncated varint at byte 12 ..."); a flag that contradicts the content is R-LEG-021 /
// R-OM2-036.
Parsed<Encrypted> parse_encrypted(std::string_view xml, bool check_key_contents = true);
// Canonical: header (keys in order, then iv), payload; flags written only when true, as 'true'.
std::string serialize_encrypted(const Encrypted& encrypted);

std::optional<Encrypted> parse_encrypted_element(xml::Context& context, pugi::xml_node element,
                                                 bool check_key_contents);
void append_encrypted(pugi::xml_node parent, const Encrypted& encrypted);

}  // namespace oi::codec
