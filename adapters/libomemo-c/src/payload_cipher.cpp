#include "payload_cipher.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/hash.h"
#include "crypto/symmetric.h"

namespace oi::libomemo_c {
namespace {

constexpr std::size_t kLegacyKeyLength = 16;
constexpr std::size_t kLegacyTagLength = 16;
constexpr std::size_t kLegacyIvLength = 12;
constexpr std::size_t kOmemo2KeyLength = 32;
constexpr std::size_t kOmemo2MacLength = 16;
constexpr std::string_view kPayloadInfo = "OMEMO Payload";

struct Omemo2Keys {
  Bytes encryption, authentication, iv;
};

Omemo2Keys derive_omemo2_keys(oi::ByteView key) {
  static const Bytes kZeroSalt(32, 0);
  std::optional<Bytes> out = crypto::hkdf_sha256(key, kZeroSalt, oi::as_bytes(kPayloadInfo), 80);
  if (!out) throw std::logic_error("HKDF length out of range");
  return Omemo2Keys{Bytes(out->begin(), out->begin() + 32),
                    Bytes(out->begin() + 32, out->begin() + 64),
                    Bytes(out->begin() + 64, out->end())};
}

OpenedPayload failure(const char* error_class, std::string detail) {
  return OpenedPayload{std::nullopt, error_class, std::move(detail)};
}

}  // namespace

SealedPayload seal_legacy_payload(const Bytes& plaintext, crypto::RandomSource& random) {
  SealedPayload out;
  const Bytes key = random.bytes(kLegacyKeyLength);
  out.iv = random.bytes(kLegacyIvLength);
  crypto::GcmSealed sealed = crypto::aes_gcm_encrypt(key, out.iv, plaintext, {}, kLegacyTagLength);
  out.ciphertext = std::move(sealed.ciphertext);
  out.key_material = key;
  out.key_material.insert(out.key_material.end(), sealed.tag.begin(), sealed.tag.end());
  return out;
}

OpenedPayload open_legacy_payload(const Bytes& key_material, const Bytes& iv,
                                  const Bytes& ciphertext) {
  if (iv.empty()) return failure("bad_data", "empty <iv>");
  Bytes body = ciphertext;
  Bytes tag;
  if (key_material.size() == kLegacyKeyLength + kLegacyTagLength) {
    tag.assign(key_material.begin() + kLegacyKeyLength, key_material.end());
  } else if (key_material.size() == kLegacyKeyLength && body.size() >= kLegacyTagLength) {
    tag.assign(body.end() - kLegacyTagLength, body.end());  // pre-0.7 layout: tag in payload
    body.resize(body.size() - kLegacyTagLength);
  } else {
    return failure("bad_data", "key material is " + std::to_string(key_material.size()) +
                                   " bytes, not 16 or 32");
  }
  const oi::ByteView key(key_material.data(), kLegacyKeyLength);
  std::optional<Bytes> plaintext = crypto::aes_gcm_decrypt(key, iv, body, {}, tag);
  if (!plaintext) return failure("bad_payload_mac", "AES-GCM tag does not verify");
  return OpenedPayload{std::move(plaintext), "", ""};
}

SealedPayload seal_omemo2_payload(const Bytes& plaintext, crypto::RandomSource& random) {
  SealedPayload out;
  const Bytes key = random.bytes(kOmemo2KeyLength);
  const Omemo2Keys keys = derive_omemo2_keys(key);
  out.ciphertext = crypto::aes_cbc_pkcs7_encrypt(keys.encryption, keys.iv, plaintext);
  const Bytes mac =
      crypto::hmac_sha256_truncated(keys.authentication, out.ciphertext, kOmemo2MacLength);
  out.key_material = key;
  out.key_material.insert(out.key_material.end(), mac.begin(), mac.end());
  return out;
}

OpenedPayload open_omemo2_payload(const Bytes& key_material, const Bytes& ciphertext) {
  if (key_material.size() != kOmemo2KeyLength + kOmemo2MacLength)
    return failure("bad_data", "key material is " + std::to_string(key_material.size()) +
                                   " bytes, not 48 (32-byte key || 16-byte HMAC)");
  const Omemo2Keys keys = derive_omemo2_keys(oi::ByteView(key_material.data(), kOmemo2KeyLength));
  const oi::ByteView mac(key_material.data() + kOmemo2KeyLength, kOmemo2MacLength);
  if (!crypto::hmac_sha256_verify(keys.authentication, ciphertext, mac))
    return failure("bad_payload_mac", "payload HMAC does not verify");
  std::optional<Bytes> plaintext =
      crypto::aes_cbc_pkcs7_decrypt(keys.encryption, keys.iv, ciphertext);
  if (!plaintext) return failure("bad_data", "payload has bad AES-CBC/PKCS#7 padding");
  return OpenedPayload{std::move(plaintext), "", ""};
}

Bytes omemo2_empty_key_material() {
  return Bytes(32, 0);
}

bool is_omemo2_empty_key_material(const Bytes& key_material) {
  return key_material.size() == 32 && std::all_of(key_material.begin(), key_material.end(),
                                                  [](std::uint8_t b) { return b == 0; });
}

}  // namespace oi::libomemo_c
