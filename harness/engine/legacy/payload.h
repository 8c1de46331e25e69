// The legacy payload layer (spec §2.2 "Payload", "Receiver key split"): AES-128-GCM over the UTF-8
// body, with the 16-byte tag moved from the ciphertext into the key material (key ‖ tag).
#pragma once

#include <cstddef>

#include "crypto/bytes.h"
#include "crypto/random_source.h"
#include "engine/decrypt_error.h"

namespace oi::engine::legacy {

struct SealedPayload {
  Bytes iv;            // <iv>
  Bytes payload;       // <payload>: ciphertext, same length as the plaintext
  Bytes key_material;  // what the ratchet carries: key(16) ‖ tag(16)
};

// How a sender lays the payload out. The defaults are what current clients send; the others
// exist for the misbehaviour switchboard (old senders, spec ).
struct PayloadLayout {
  std::size_t iv_length = 12;   // 16 = pre-2020 senders
  bool tag_in_payload = false;  // true: key material is the bare key, tag appended to payload
};

SealedPayload seal_payload(ByteView plaintext, crypto::RandomSource& random,
                           const PayloadLayout& layout = {});
// The same with the 16-byte key and the IV given (vectors, cross-checks); `layout.iv_length` is
// ignored, the IV's own length counts. Throws std::invalid_argument for a key that is not 16
// bytes or an empty IV.
SealedPayload seal_payload(ByteView plaintext, ByteView key, ByteView iv,
                           const PayloadLayout& layout = {});

// Opens a payload the way a tolerant receiver does: IV of any length; key material of
// 32 bytes (key ‖ tag) or more (key = first 16, tag = the rest), or of exactly 16 bytes with the
// tag at the end of the payload. Fails with bad_data for other key sizes and
// bad_payload_mac when the tag does not verify.
Result<Bytes> open_payload(ByteView key_material, ByteView iv, ByteView payload);

// The key material of a KeyTransportElement: 16 fresh random bytes and no tag (spec §1.1).
Bytes key_transport_material(crypto::RandomSource& random);

}  // namespace oi::engine::legacy
