// XEdDSA ("XEd25519") from the Signal XEdDSA specification, revision 1.
#include <sodium.h>

#include <algorithm>

#include "crypto/curve25519.h"
#include "crypto/scalar_sign.h"
#include "crypto/sodium_init.h"

namespace oi::crypto {
namespace {

// calculate_key_pair(k) of the spec: A = kB with its sign bit forced to 0, and the scalar a whose
// product with B is that A (k itself, or -k mod L when kB has sign bit 1).
//
// The scalar is encoded as libsignal-protocol-c's xed25519_sign and libxeddsa (python3-xeddsa)
// encode it, which is what decides the nonce: when no negation is needed, a is the clamped k
// exactly as given (k is >= 2^254 > L, so it is *not* reduced mod L); when negated, a = -k mod L.
// The spec text says "a = k (mod q)" in both branches; reducing would change only the nonce r (the
// signature stays valid either way), and would lose byte-for-byte agreement with both
// implementations.
struct XeddsaKeyPair {
  Key32 public_key;
  Key32 scalar;
};

XeddsaKeyPair calculate_key_pair(const Key32& curve_private_key) {
  XeddsaKeyPair pair;
  pair.scalar = detail::clamp_scalar(curve_private_key);
  pair.public_key = detail::ed25519_base_multiply(pair.scalar);
  if ((pair.public_key[31] & 0x80) != 0) {
    Key32 negated;
    crypto_core_ed25519_scalar_negate(negated.data(), pair.scalar.data());
    pair.scalar = negated;
    pair.public_key[31] &= 0x7f;
  }
  return pair;
}

// True when the 32-byte little-endian value is below p = 2^255 - 19 (bit 255 counts).
bool is_canonical_field_element(const Key32& value) {
  if ((value[31] & 0x80) != 0) return false;
  if (value[31] != 0x7f) return true;
  for (std::size_t i = 30; i >= 1; --i) {
    if (value[i] != 0xff) return true;
  }
  return value[0] < 0xed;
}

}  // namespace

Signature64 xeddsa_sign(const Key32& curve_private_key, ByteView message, const ByteArray<64>& z) {
  detail::require_sodium();
  const XeddsaKeyPair pair = calculate_key_pair(curve_private_key);
  return detail::sign_with_scalar(pair.scalar, pair.public_key, message, z);
}

// xeddsa_verify of the spec: reject u >= p and s >= 2^253 up front, convert u to the Ed25519 key
// with sign bit 0, then verify. libsodium's verification adds S < L and the small-order checks.
bool xeddsa_verify(const Key32& curve_public_key, ByteView message, ByteView signature) {
  if (signature.size() != 64) return false;
  if ((signature[63] & 0xe0) != 0) return false;
  if (!is_canonical_field_element(curve_public_key)) return false;
  const std::optional<Key32> ed = curve25519_public_to_ed25519(curve_public_key, false);
  if (!ed) return false;
  return ed25519_verify(*ed, message, signature);
}

}  // namespace oi::crypto
