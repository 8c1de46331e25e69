// X3DH as OMEMO 2 uses it (R-OM2-001..005, R-OM2-008):
//   IKM = 0xFF*32 || DH(IK_A, SPK_B) || DH(EK_A, IK_B) || DH(EK_A, SPK_B) || DH(EK_A, OPK_B)
//   SK  = HKDF-SHA-256(salt = 0^32, IKM, info "OMEMO X3DH", 32)
//   AD  = Ed25519(IK_A) || Ed25519(IK_B)  (initiator first, for the life of the session)
// The one-time prekey is mandatory: there is no three-DH variant here.
#pragma once

#include <cstdint>

#include "crypto/bytes.h"
#include "crypto/curve25519.h"
#include "crypto/random_source.h"
#include "engine/decrypt_error.h"
#include "engine/omemo2/identity.h"

namespace oi::engine::omemo2 {

using AssociatedData = ByteArray<64>;

// The parts of a peer's bundle an initiator needs, with the one-time prekey already chosen.
struct BundleKeys {
  Key32 identity_key{};  // ik, Ed25519 as published
  std::uint32_t signed_prekey_id = 0;
  Key32 signed_prekey{};  // spk, X25519 u-coordinate
  Signature64 signed_prekey_signature{};
  std::uint32_t prekey_id = 0;
  Key32 prekey{};  // pk, X25519 u-coordinate
};

// spks = Ed25519 signature by IK over the raw 32-byte SPK (R-OM2-004).
Signature64 sign_signed_prekey(const IdentityKey& identity, const Key32& signed_prekey_public,
                               crypto::RandomSource& random);
// True when `signature` is a valid Ed25519 signature by the published `identity_key` (as
// transmitted, either sign bit) over the 32 raw bytes of `signed_prekey_public`.
bool signed_prekey_signature_is_valid(ByteView identity_key, const Key32& signed_prekey_public,
                                      ByteView signature);

struct X3dhSecrets {
  Key32 shared_secret{};
  AssociatedData associated_data{};
};

// Initiator side. Verifies the signed-prekey signature first (bad_signature) and rejects an
// identity key that is not a usable point (bad_data). `ephemeral` is EK_A.
Result<X3dhSecrets> x3dh_initiate(const IdentityKey& own, const BundleKeys& bundle,
                                  const crypto::CurveKeyPair& ephemeral);

// Responder side, from the key exchange fields and the private halves of the SPK and OPK it
// names. bad_data when `initiator_identity_key` is not a usable point.
Result<X3dhSecrets> x3dh_respond(const IdentityKey& own, const crypto::CurveKeyPair& signed_prekey,
                                 const crypto::CurveKeyPair& prekey,
                                 ByteView initiator_identity_key, const Key32& initiator_ephemeral);

}  // namespace oi::engine::omemo2
