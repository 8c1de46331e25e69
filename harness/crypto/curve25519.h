// X25519, Ed25519, the birational map between them, XEdDSA and libsignal's "curvesig"
// (libsodium for the group arithmetic, OpenSSL BIGNUM for the field inversion of the map).
//
// Key forms used throughout the harness:
//   Curve25519 private key: 32-byte scalar, clamped as RFC 7748 says.
//   Curve25519 public key:  32-byte little-endian u-coordinate (no 0x05 prefix; the codec adds it).
//   Ed25519 public key:     32-byte RFC 8032 encoding (y with the sign of x in bit 255).
//   Ed25519 seed:           32-byte RFC 8032 private key.
#pragma once

#include <optional>

#include "crypto/bytes.h"
#include "crypto/random_source.h"

namespace oi::crypto {

struct CurveKeyPair {
  Key32 private_key;  // clamped scalar
  Key32 public_key;   // u-coordinate
};

struct EdKeyPair {
  Key32 seed;
  Key32 public_key;
};

// ---- X25519 (RFC 7748) ----
CurveKeyPair curve25519_generate(RandomSource& random);
// Clamps a copy of `private_key` and returns the key pair.
CurveKeyPair curve25519_from_private(const Key32& private_key);

struct X25519Output {
  Key32 shared_secret;
  // True when the result is all zero (low-order peer key). RFC 7748 §6.1 lets the caller
  // abort; Wycheproof marks these "acceptable". The caller decides.
  bool is_all_zero;
};
// Scalar multiplication with RFC 7748 clamping and decoding (the top bit of u is masked).
X25519Output x25519(const Key32& private_key, ByteView peer_public_key);

// ---- Ed25519 (RFC 8032, strict verification as libsodium does it) ----
EdKeyPair ed25519_generate(RandomSource& random);
EdKeyPair ed25519_from_seed(const Key32& seed);
Signature64 ed25519_sign(const Key32& seed, ByteView message);
// False for a signature or key of the wrong length, a non-canonical S (S >= L), a small-order
// key or R, and any signature that does not verify.
bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature);

// ---- Birational map (RFC 7748 §4.1) ----
// Ed25519 public key -> Curve25519 u = (1 + y) / (1 - y). nullopt for a key that does not
// decode to a point or has small order.
std::optional<Key32> ed25519_public_to_curve25519(ByteView ed_public_key);
// Ed25519 seed -> the clamped Curve25519 scalar that SHA-512(seed) yields.
Key32 ed25519_seed_to_curve25519(const Key32& seed);
// Curve25519 u -> Ed25519 y = (u - 1) / (u + 1) mod p, with the sign bit (bit 255) set to
// `sign_bit` explicitly. nullopt when u = -1 (no Ed25519 point).
std::optional<Key32> curve25519_public_to_ed25519(const Key32& curve_public_key, bool sign_bit);
// The Ed25519 public key A = a*B for a Curve25519 private scalar a, with its true sign bit.
Key32 curve25519_private_to_ed25519_public(const Key32& curve_private_key);

// ---- XEdDSA (Signal XEdDSA spec, "XEd25519") ----
// Signs with the Curve25519 private key using the 64-byte random Z. The effective Ed25519
// public key always has sign bit 0 (the private scalar is negated when needed).
Signature64 xeddsa_sign(const Key32& curve_private_key, ByteView message, const ByteArray<64>& z);
// Verifies against the Ed25519 key with sign bit 0 derived from the Curve25519 public key.
// Rejects S >= L and a signature whose top bit of S is set.
bool xeddsa_verify(const Key32& curve_public_key, ByteView message, ByteView signature);

// ---- libsignal "curvesig" (spec A-11) ----
// libsignal-protocol-c's curve25519_sign: the Ed25519 key's sign bit travels in sig[63] & 0x80.
// Deterministic given `random64`, which plays libsignal's random nonce input.
Signature64 curvesig_sign(const Key32& curve_private_key, ByteView message,
                          const ByteArray<64>& random64);
// curve25519_verify semantics: take the sign bit from sig[63] & 0x80, clear it, convert the
// Curve25519 key to Ed25519 with that sign bit, then verify as Ed25519.
bool curvesig_verify(const Key32& curve_public_key, ByteView message, ByteView signature);

}  // namespace oi::crypto
