// OMEMO 2 <key> contents (spec §2.3): OMEMOMessage, OMEMOAuthenticatedMessage and
// OMEMOKeyExchange, on the protobuf wire layer of protobuf_wire.h. No version byte, no appended
// MAC: the 16-byte MAC is field 1 of OMEMOAuthenticatedMessage, computed over the OMEMOMessage
// bytes exactly as they travel in field 2 (R-OM2-014), which is why those bytes are kept.
//
// Findings (no location; messages give 0-based byte offsets into the buffer passed in, plus
// `base_offset`): R-OM2-035 for unusable or malformed content, R-OM2-014 (note) for
// non-canonical encodings that must still be accepted, R-OM2-015 for a MAC that is not 16 bytes,
// R-OM2-002 for an identity key that is not 32 bytes, R-OM2-068 for pk_id/spk_id 0,
// R-OM2-013 for a ciphertext that is not a whole number of AES blocks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "codec/finding.h"
#include "crypto/bytes.h"

namespace oi::codec {

inline constexpr std::size_t kOmemo2MacLength = 16;
inline constexpr std::size_t kOmemo2KeyLength = 32;

struct OmemoMessage {
  std::uint32_t n = 0;              // field 1
  std::uint32_t pn = 0;             // field 2
  Bytes dh_pub;                     // field 3, 32 bytes
  std::optional<Bytes> ciphertext;  // field 4
  friend bool operator==(const OmemoMessage&, const OmemoMessage&) = default;
};

struct OmemoAuthenticatedMessage {
  Bytes mac;             // field 1, 16 bytes
  OmemoMessage message;  // field 2, decoded
  // Field 2 as received (parse) or as it must be sent (serialisation uses it when non-empty, so
  // that the bytes the MAC was computed over are the bytes that travel). Ignored by ==.
  Bytes message_bytes;

  friend bool operator==(const OmemoAuthenticatedMessage& a, const OmemoAuthenticatedMessage& b) {
    return a.mac == b.mac && a.message == b.message;
  }
};

struct OmemoKeyExchange {
  std::uint32_t pk_id = 0;            // field 1
  std::uint32_t spk_id = 0;           // field 2
  Bytes ik;                           // field 3, Ed25519, 32 bytes
  Bytes ek;                           // field 4, X25519, 32 bytes
  OmemoAuthenticatedMessage message;  // field 5
  friend bool operator==(const OmemoKeyExchange&, const OmemoKeyExchange&) = default;
};

// Value absent when a required field is missing or the protobuf cannot be read to its end.
Parsed<OmemoMessage> parse_omemo_message(ByteView wire, std::size_t base_offset = 0);
Bytes serialize_omemo_message(const OmemoMessage& message);

// Also decodes field 2 as an OMEMOMessage and reports its findings.
Parsed<OmemoAuthenticatedMessage> parse_omemo_authenticated_message(ByteView wire,
                                                                    std::size_t base_offset = 0);
// Field 2 is `message_bytes` when non-empty, else the canonical serialisation of `message`.
Bytes serialize_omemo_authenticated_message(const OmemoAuthenticatedMessage& message);

// Also decodes the embedded OMEMOAuthenticatedMessage (field 5) and reports its findings.
Parsed<OmemoKeyExchange> parse_omemo_key_exchange(ByteView wire, std::size_t base_offset = 0);
Bytes serialize_omemo_key_exchange(const OmemoKeyExchange& message);

}  // namespace oi::codec
