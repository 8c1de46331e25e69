// ENCRYPT and DECRYPT of one Double Ratchet message, given its message key (spec §2.3 item 4):
//   enc, auth, iv = HKDF(mk, 0^32, "OMEMO Message Key Material", 80)
//   OMEMOMessage{n, pn, dh_pub, AES-256-CBC/PKCS#7(enc, iv, plaintext)}, serialised once
//   mac = HMAC-SHA-256(auth, AD || OMEMOMessage bytes)[0:16]
//   OMEMOAuthenticatedMessage{mac, OMEMOMessage bytes}
#pragma once

#include <cstdint>

#include "codec/omemo2_messages.h"
#include "crypto/bytes.h"
#include "engine/decrypt_error.h"
#include "engine/omemo2/x3dh.h"

namespace oi::engine::omemo2 {

struct MessageHeader {
  std::uint32_t n = 0;
  std::uint32_t pn = 0;
  Key32 dh_pub{};
  friend bool operator==(const MessageHeader&, const MessageHeader&) = default;
};

// The OMEMOAuthenticatedMessage, with `message_bytes` holding the OMEMOMessage exactly as the MAC
// covers it; codec::serialize_omemo_authenticated_message() gives the wire form.
codec::OmemoAuthenticatedMessage seal_message(const Key32& message_key, const MessageHeader& header,
                                              ByteView plaintext,
                                              const AssociatedData& associated_data);

// Parses an OMEMOAuthenticatedMessage (and its OMEMOMessage). Accepts the non-canonical encodings
// the codec reports as notes (fields out of order, non-minimal varints, unknown fields: R-OM2-014)
// and rejects, as bad_data, anything it reports as a `must` (missing fields, wrong lengths,
// duplicate fields, truncation, a ciphertext that is not whole AES blocks).
Result<codec::OmemoAuthenticatedMessage> parse_authenticated_message(ByteView wire);

MessageHeader header_of(const codec::OmemoMessage& message);

// Verifies the MAC over AD || the OMEMOMessage bytes exactly as received (never a
// re-serialisation), then decrypts. bad_data on a MAC mismatch or bad padding.
Result<Bytes> open_message(const Key32& message_key,
                           const codec::OmemoAuthenticatedMessage& message,
                           const AssociatedData& associated_data);

}  // namespace oi::engine::omemo2
