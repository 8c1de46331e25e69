// The bundle: legacy <bundle xmlns='eu.siacs.conversations.axolotl'> with signedPreKeyPublic,
// signedPreKeySignature, identityKey, prekeys/preKeyPublic (33-byte 0x05-prefixed keys);
// OMEMO 2 <bundle xmlns='urn:xmpp:omemo:2'> with spk, spks, ik, prekeys/pk (32-byte keys).
// Keys are kept exactly as on the wire (legacy keys keep their 0x05 byte).
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

struct PreKey {
  std::uint32_t id = 0;
  Bytes public_key;
  friend bool operator==(const PreKey&, const PreKey&) = default;
};

struct Bundle {
  Profile profile = Profile::legacy;
  std::uint32_t signed_pre_key_id = 0;
  Bytes signed_pre_key;            // legacy 33 bytes, OMEMO 2 32 bytes
  Bytes signed_pre_key_signature;  // 64 bytes
  Bytes identity_key;              // legacy 33 bytes (0x05 || Curve25519), OMEMO 2 32 (Ed25519)
  std::vector<PreKey> pre_keys;    // document order
  friend bool operator==(const Bundle&, const Bundle&) = default;
};

// Parses a bare <bundle> element. The value is absent when the signed prekey (with its id), its
// signature, the identity key or <prekeys> is missing or undecodable. Findings: malformed XML
// ("XML"), another root ("LINT" / R-OM2-068); a missing or repeated child (R-LEG-010 /
// R-OM2-031); key lengths and the 0x05 type byte (identity key R-LEG-001 / R-OM2-002, others
// R-LEG-010 / R-OM2-031); signature length (R-LEG-012 / R-OM2-002); ids (xml::id_attribute);
// a repeated prekey id; fewer prekeys than 20 (R-LEG-011) / 25 (R-OM2-006); base64 deviations
// child order, unknown attributes and children (notes).
Parsed<Bundle> parse_bundle(std::string_view xml);
// Canonical: spk, signature, identity key, prekeys, in that order; canonical base64.
std::string serialize_bundle(const Bundle& bundle);

std::optional<Bundle> parse_bundle_element(xml::Context& context, pugi::xml_node element);
void append_bundle(pugi::xml_node parent, const Bundle& bundle);

}  // namespace oi::codec
