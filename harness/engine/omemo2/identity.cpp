#include "engine/omemo2/identity.h"

#include <stdexcept>

#include "crypto/curve25519.h"

namespace oi::engine::omemo2 {

IdentityKey IdentityKey::generate(IdentityKind kind, crypto::RandomSource& random) {
  return from_secret(kind, random.array<32>());
}

IdentityKey IdentityKey::from_secret(IdentityKind kind, const Key32& secret) {
  IdentityKey key;
  key.kind_ = kind;
  switch (kind) {
    case IdentityKind::ed25519_seed: {
      key.secret_ = secret;
      key.ed25519_public_ = crypto::ed25519_from_seed(secret).public_key;
      key.curve25519_private_ = crypto::ed25519_seed_to_curve25519(secret);
      break;
    }
    case IdentityKind::curve25519_xeddsa:
    case IdentityKind::curve25519_true_sign: {
      const crypto::CurveKeyPair pair = crypto::curve25519_from_private(secret);
      key.secret_ = pair.private_key;
      key.curve25519_private_ = pair.private_key;
      Key32 ed = crypto::curve25519_private_to_ed25519_public(pair.private_key);
      if (kind == IdentityKind::curve25519_xeddsa) ed[31] &= 0x7f;  // XEdDSA's sign-bit-0 form
      key.ed25519_public_ = ed;
      break;
    }
  }
  key.curve25519_public_ = crypto::curve25519_from_private(key.curve25519_private_).public_key;
  return key;
}

Signature64 IdentityKey::sign(ByteView message, crypto::RandomSource& random) const {
  // Ed25519-native signing is deterministic and draws nothing.
  if (kind_ == IdentityKind::ed25519_seed) return crypto::ed25519_sign(secret_, message);
  return sign(message, random.array<64>());
}

Signature64 IdentityKey::sign(ByteView message, const ByteArray<64>& nonce) const {
  switch (kind_) {
    case IdentityKind::ed25519_seed:
      return crypto::ed25519_sign(secret_, message);
    case IdentityKind::curve25519_xeddsa:
      return crypto::xeddsa_sign(curve25519_private_, message, nonce);
    case IdentityKind::curve25519_true_sign: {
      // libsignal's curvesig signs with the unnegated scalar against the true-sign A and parks
      // A's sign bit in the (always clear) top bit of S; clearing it leaves a plain Ed25519
      // signature under A.
      Signature64 signature = crypto::curvesig_sign(curve25519_private_, message, nonce);
      signature[63] &= 0x7f;
      return signature;
    }
  }
  throw std::logic_error("unknown identity kind");
}

std::optional<Key32> identity_public_to_curve25519(ByteView ed25519_public) {
  if (ed25519_public.size() != 32) return std::nullopt;
  return crypto::ed25519_public_to_curve25519(ed25519_public);
}

std::string_view identity_kind_name(IdentityKind kind) {
  switch (kind) {
    case IdentityKind::ed25519_seed:
      return "ed25519_seed";
    case IdentityKind::curve25519_xeddsa:
      return "curve25519_xeddsa";
    case IdentityKind::curve25519_true_sign:
      return "curve25519_true_sign";
  }
  return "unknown";
}

std::optional<IdentityKind> identity_kind_from_name(std::string_view name) {
  for (IdentityKind kind : {IdentityKind::ed25519_seed, IdentityKind::curve25519_xeddsa,
                            IdentityKind::curve25519_true_sign})
    if (identity_kind_name(kind) == name) return kind;
  return std::nullopt;
}

}  // namespace oi::engine::omemo2
