// The payload layers, which libomemo-c does not have (ours; primitives from oi_crypto):
//   legacy  AES-128-GCM, 12-byte IV, ratchet-encrypted key material = key(16) || tag(16), as
//           Dino and Conversations send it; on receipt a 16-byte key material with the tag at
//           the end of the payload is accepted too, as Dino does (A-02, R-LEG-037), and the IV
//           length is whatever arrived.
//   omemo2  XEP-0384 §4.4: 32-byte key, HKDF-SHA-256(salt 0^32, "OMEMO Payload") -> 80 bytes =
//           AES-256-CBC key | HMAC key | IV; key material = key || HMAC(ciphertext)[0:16].
#pragma once

#include <optional>
#include <string>

#include "base64.h"
#include "crypto/random_source.h"

namespace oi::libomemo_c {

struct SealedPayload {
  Bytes key_material;  // what the ratchet encrypts
  Bytes iv;            // legacy only
  Bytes ciphertext;
};

struct OpenedPayload {
  std::optional<Bytes> plaintext;
  std::string error_class;  // when plaintext is nullopt: bad_data or bad_payload_mac
  std::string detail;
};

SealedPayload seal_legacy_payload(const Bytes& plaintext, crypto::RandomSource& random);
OpenedPayload open_legacy_payload(const Bytes& key_material, const Bytes& iv,
                                  const Bytes& ciphertext);

SealedPayload seal_omemo2_payload(const Bytes& plaintext, crypto::RandomSource& random);
OpenedPayload open_omemo2_payload(const Bytes& key_material, const Bytes& ciphertext);

// OMEMO 2 empty message: the ratchet carries 32 zero bytes and there is no payload (R-OM2-037).
Bytes omemo2_empty_key_material();
bool is_omemo2_empty_key_material(const Bytes& key_material);

}  // namespace oi::libomemo_c
