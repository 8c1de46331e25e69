// OMEMO 2 identity keys (R-OM2-002, R-OM2-003). The identity is "Curve25519/Ed25519": it is always
// published in Ed25519 form, signs with plain Ed25519-verifiable signatures, and does X25519 via
// the RFC 7748 birational map. Three ways of holding it exist in deployed code, and the harness
// must act as each:
//
//   ed25519_seed         Ed25519-native (python-omemo's default, libsodium users): the secret is
//                        an RFC 8032 seed; the published key is seed->A with whatever sign bit
//                        A has; the X25519 scalar is the clamped SHA-512(seed) prefix.
//   curve25519_xeddsa    Curve25519-internal with XEdDSA (libomemo-c, libsignal heritage): the
//                        secret is a Curve25519 scalar; the published key is the sign-bit-0 Ed25519
//                        form of its public key; signatures are XEdDSA.
//   curve25519_true_sign Curve25519-internal, published with the true sign bit of a*B, which is 1
//                        for about half of all keys (python-x3dh's IdentityKeyPairPriv); signatures
//                        are plain Ed25519 by the scalar a.
//
// Peers treat all three alike: verify with the published Ed25519 key, map it to Curve25519 for DH.
#pragma once

#include <optional>

#include "crypto/bytes.h"
#include "crypto/random_source.h"

namespace oi::engine::omemo2 {

enum class IdentityKind { ed25519_seed, curve25519_xeddsa, curve25519_true_sign };

class IdentityKey {
 public:
  static IdentityKey generate(IdentityKind kind, crypto::RandomSource& random);
  // `secret` is the seed (ed25519_seed) or the Curve25519 private scalar (clamped on import).
  static IdentityKey from_secret(IdentityKind kind, const Key32& secret);

  IdentityKind kind() const { return kind_; }
  const Key32& secret() const { return secret_; }
  // `ik` as published in the bundle and used in the AD (RFC 8032 encoding).
  const Key32& ed25519_public() const { return ed25519_public_; }
  // The clamped X25519 scalar used for the identity DH of X3DH.
  const Key32& curve25519_private() const { return curve25519_private_; }
  // The Curve25519 form of the public key (the fingerprint, spec §2.5).
  const Key32& curve25519_public() const { return curve25519_public_; }

  // A signature that verifies with plain Ed25519 against ed25519_public(). Only the XEdDSA and
  // true-sign kinds draw 64 bytes of nonce randomness; Ed25519-native signing is deterministic.
  Signature64 sign(ByteView message, crypto::RandomSource& random) const;
  // The same with the 64 nonce bytes given (vectors): XEdDSA's Z, or curvesig's random input
  // for the true-sign kind; ignored by the deterministic Ed25519-native kind.
  Signature64 sign(ByteView message, const ByteArray<64>& nonce) const;

  friend bool operator==(const IdentityKey&, const IdentityKey&) = default;

 private:
  IdentityKey() = default;

  IdentityKind kind_ = IdentityKind::ed25519_seed;
  Key32 secret_{};
  Key32 ed25519_public_{};
  Key32 curve25519_private_{};
  Key32 curve25519_public_{};
};

// The Curve25519 form of a published identity key; nullopt when `ed25519_public` is not 32 bytes,
// does not decode to a point, or has small order.
std::optional<Key32> identity_public_to_curve25519(ByteView ed25519_public);

// "ed25519_seed", "curve25519_xeddsa", "curve25519_true_sign".
std::string_view identity_kind_name(IdentityKind kind);
std::optional<IdentityKind> identity_kind_from_name(std::string_view name);

}  // namespace oi::engine::omemo2
