// libsignal-protocol-c's "curvesig" (curve25519_sign / curve25519_verify in
// src/curve25519/ed25519/additions/curve_sigs.c and sign_modified.c); spec A-11.
//
// Unlike XEdDSA, the private scalar is never negated: A = kB keeps its real sign bit, that A
// enters the challenge hash, and the sign bit travels in the otherwise unused top bit of S.
#include <algorithm>

#include "crypto/curve25519.h"
#include "crypto/scalar_sign.h"

namespace oi::crypto {

// The key is clamped first; libsignal's keys are clamped at generation, so for them this is the
// identity and the nonce input (the raw scalar bytes) is the same as libsignal's.
Signature64 curvesig_sign(const Key32& curve_private_key, ByteView message,
                          const ByteArray<64>& random64) {
  const Key32 scalar = detail::clamp_scalar(curve_private_key);
  const Key32 ed_public = detail::ed25519_base_multiply(scalar);
  Signature64 signature = detail::sign_with_scalar(scalar, ed_public, message, random64);
  signature[63] &= 0x7f;  // S < L < 2^253, so the bit is already clear
  signature[63] |= static_cast<std::uint8_t>(ed_public[31] & 0x80);
  return signature;
}

// libsignal verifies with ref10's crypto_sign_open (S only checked for its top 3 bits); this one
// uses libsodium's strict verification, so it also rejects S >= L and small-order keys or R.
// Honest libsignal signatures pass both. Non-canonical u is accepted, as libsignal does.
bool curvesig_verify(const Key32& curve_public_key, ByteView message, ByteView signature) {
  if (signature.size() != 64) return false;
  const bool sign_bit = (signature[63] & 0x80) != 0;
  const std::optional<Key32> ed = curve25519_public_to_ed25519(curve_public_key, sign_bit);
  if (!ed) return false;
  Signature64 ed_signature;
  std::copy(signature.begin(), signature.end(), ed_signature.begin());
  ed_signature[63] &= 0x7f;
  return ed25519_verify(*ed, message, ed_signature);
}

}  // namespace oi::crypto
