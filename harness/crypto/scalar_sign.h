// Internal to the crypto layer: the Ed25519-compatible signing core shared by XEdDSA and
// libsignal's curvesig. Both sign with an explicit scalar instead of an RFC 8032 seed, and both
// derive the nonce the same way; they differ only in which scalar and public key they pass.
#pragma once

#include "crypto/bytes.h"

namespace oi::crypto::detail {

// Returns R || S with
//   r = SHA-512(0xFE || 0xFF*31 || scalar || message || z) mod L   (XEdDSA's hash_1)
//   R = rB,  h = SHA-512(R || public_key || message) mod L,  S = r + h*scalar mod L.
// `scalar` enters the nonce hash exactly as given (not reduced); the arithmetic is mod L.
// `public_key` must be the encoding of scalar*B, up to the sign bit the caller has chosen.
Signature64 sign_with_scalar(const Key32& scalar, const Key32& public_key, ByteView message,
                             const ByteArray<64>& z);

// RFC 7748 clamping of a Curve25519 private scalar.
Key32 clamp_scalar(Key32 scalar);

// The RFC 8032 encoding of scalar*B (the scalar is used as given, bit 255 ignored).
Key32 ed25519_base_multiply(const Key32& scalar);

}  // namespace oi::crypto::detail
