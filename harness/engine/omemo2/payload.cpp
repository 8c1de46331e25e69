#include "engine/omemo2/payload.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/hash.h"
#include "crypto/symmetric.h"
#include "engine/omemo2/constants.h"

namespace oi::engine::omemo2 {
namespace {

struct PayloadKeys {
  Bytes encryption_key;
  Bytes authentication_key;
  Bytes iv;
};

PayloadKeys derive(ByteView key) {
  static constexpr Key32 kZeroSalt{};
  std::optional<Bytes> out = crypto::hkdf_sha256(key, kZeroSalt, as_bytes(kPayloadInfo), 80);
  if (!out) throw std::logic_error("HKDF length out of range");
  return PayloadKeys{Bytes(out->begin(), out->begin() + 32),
                     Bytes(out->begin() + 32, out->begin() + 64),
                     Bytes(out->begin() + 64, out->end())};
}

}  // namespace

EncryptedPayload encrypt_payload(ByteView plaintext, crypto::RandomSource& random) {
  return encrypt_payload(plaintext, random.array<32>());
}

EncryptedPayload encrypt_payload(ByteView plaintext, const Key32& key) {
  const PayloadKeys keys = derive(key);
  EncryptedPayload out;
  out.ciphertext = crypto::aes_cbc_pkcs7_encrypt(keys.encryption_key, keys.iv, plaintext);
  const Bytes mac =
      crypto::hmac_sha256_truncated(keys.authentication_key, out.ciphertext, kMacLength);
  std::copy(key.begin(), key.end(), out.key_material.begin());
  std::copy(mac.begin(), mac.end(), out.key_material.begin() + 32);
  return out;
}

Result<Bytes> decrypt_payload(ByteView key_material, ByteView ciphertext) {
  if (key_material.size() != kKeyMaterialLength)
    return fail(DecryptError::bad_data, "key material is " + std::to_string(key_material.size()) +
                                            " bytes, not 48 (32-byte key || 16-byte HMAC)");
  const PayloadKeys keys = derive(key_material.first(32));
  if (!crypto::hmac_sha256_verify(keys.authentication_key, ciphertext,
                                  key_material.subspan(32, kMacLength)))
    return fail(DecryptError::bad_payload_mac, "payload HMAC does not verify");
  std::optional<Bytes> plaintext =
      crypto::aes_cbc_pkcs7_decrypt(keys.encryption_key, keys.iv, ciphertext);
  if (!plaintext) return fail(DecryptError::bad_data, "payload has bad AES-CBC/PKCS#7 padding");
  return std::move(*plaintext);
}

bool is_empty_message_key_material(ByteView key_material) {
  return key_material.size() == kEmptyKeyMaterialLength &&
         std::all_of(key_material.begin(), key_material.end(),
                     [](std::uint8_t byte) { return byte == 0; });
}

}  // namespace oi::engine::omemo2
