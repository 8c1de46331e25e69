// The OMEMO 2 payload (R-OM2-018, R-OM2-019, R-OM2-037):
//   key random 32; enc, auth, iv = HKDF(key, 0^32, "OMEMO Payload", 80)
//   ct = AES-256-CBC/PKCS#7(enc, iv, plaintext);  hmac = HMAC-SHA-256(auth, ct)[0:16]
//   key material (what the ratchet carries) = key || hmac, 48 bytes.
// An empty OMEMO message has no payload; the ratchet carries 32 zero bytes instead.
#pragma once

#include "crypto/bytes.h"
#include "crypto/random_source.h"
#include "engine/decrypt_error.h"

namespace oi::engine::omemo2 {

using KeyMaterial = ByteArray<48>;

struct EncryptedPayload {
  Bytes ciphertext;  // <payload>
  KeyMaterial key_material{};
};

// Draws the 32-byte payload key from `random`.
EncryptedPayload encrypt_payload(ByteView plaintext, crypto::RandomSource& random);
// The same with the key given (vectors).
EncryptedPayload encrypt_payload(ByteView plaintext, const Key32& key);

// Verifies the HMAC before decrypting (encrypt-then-MAC: no unpadding of unauthenticated data).
// bad_data when the key material is not 48 bytes or the padding is bad; bad_payload_mac when
// the HMAC does not verify.
Result<Bytes> decrypt_payload(ByteView key_material, ByteView ciphertext);

// The ratchet plaintext of an empty OMEMO message.
inline constexpr ByteArray<32> kEmptyMessageKeyMaterial{};
// True for exactly 32 zero bytes.
bool is_empty_message_key_material(ByteView key_material);

}  // namespace oi::engine::omemo2
