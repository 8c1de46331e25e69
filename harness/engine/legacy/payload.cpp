#include "engine/legacy/payload.h"

#include <fmt/format.h>

#include <stdexcept>

#include "crypto/symmetric.h"

namespace oi::engine::legacy {

namespace {
constexpr std::size_t kKeyLength = 16;
constexpr std::size_t kTagLength = 16;
}  // namespace

SealedPayload seal_payload(ByteView plaintext, crypto::RandomSource& random,
                           const PayloadLayout& layout) {
  const Bytes key = random.bytes(kKeyLength);
  const Bytes iv = random.bytes(layout.iv_length);
  return seal_payload(plaintext, key, iv, layout);
}

SealedPayload seal_payload(ByteView plaintext, ByteView key, ByteView iv,
                           const PayloadLayout& layout) {
  if (key.size() != kKeyLength || iv.empty() || iv.size() > 128) {
    throw std::invalid_argument(
        fmt::format("payload key of {} bytes (16 needed), IV of {}", key.size(), iv.size()));
  }
  SealedPayload sealed;
  sealed.iv.assign(iv.begin(), iv.end());
  crypto::GcmSealed gcm = crypto::aes_gcm_encrypt(key, sealed.iv, plaintext, {}, kTagLength);
  sealed.payload = std::move(gcm.ciphertext);
  sealed.key_material.assign(key.begin(), key.end());
  Bytes& tag_destination = layout.tag_in_payload ? sealed.payload : sealed.key_material;
  tag_destination.insert(tag_destination.end(), gcm.tag.begin(), gcm.tag.end());
  return sealed;
}

Result<Bytes> open_payload(ByteView key_material, ByteView iv, ByteView payload) {
  // OpenSSL takes GCM IVs of 1..128 bytes; anything else is malformed input, not a crash.
  if (iv.empty() || iv.size() > 128) {
    return fail(DecryptError::bad_data, fmt::format("<iv> of {} bytes", iv.size()));
  }
  ByteView key, tag, ciphertext;
  if (key_material.size() >= kKeyLength + kTagLength) {
    key = key_material.first(kKeyLength);
    tag = key_material.subspan(kKeyLength);
    ciphertext = payload;
  } else if (key_material.size() == kKeyLength) {
    if (payload.size() < kTagLength) {
      return fail(DecryptError::bad_data,
                  fmt::format("16-byte key material but a {}-byte payload cannot hold the tag",
                              payload.size()));
    }
    key = key_material;
    tag = payload.last(kTagLength);
    ciphertext = payload.first(payload.size() - kTagLength);
  } else {
    return fail(DecryptError::bad_data,
                fmt::format("key material of {} bytes (expected 32, or 16 with the tag in the "
                            "payload)",
                            key_material.size()));
  }
  if (tag.size() > kTagLength) {
    return fail(DecryptError::bad_data, fmt::format("GCM tag of {} bytes", tag.size()));
  }
  std::optional<Bytes> plaintext = crypto::aes_gcm_decrypt(key, iv, ciphertext, {}, tag);
  if (!plaintext) return fail(DecryptError::bad_payload_mac, "the GCM tag does not verify");
  return std::move(*plaintext);
}

Bytes key_transport_material(crypto::RandomSource& random) {
  return random.bytes(kKeyLength);
}

}  // namespace oi::engine::legacy
