#include "engine/omemo2/x3dh.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/hash.h"
#include "engine/omemo2/constants.h"

namespace oi::engine::omemo2 {
namespace {

// All-zero DH outputs (low-order peer keys) are not rejected: no deployed OMEMO library rejects
// them (vector-sources.md §6 item 3), so the reference engine records rather than refuses.
Key32 dh(const Key32& private_key, const Key32& public_key) {
  return crypto::x25519(private_key, public_key).shared_secret;
}

X3dhSecrets derive(const Key32& dh1, const Key32& dh2, const Key32& dh3, const Key32& dh4,
                   const Key32& initiator_ik, const Key32& responder_ik) {
  Bytes ikm(32, 0xff);
  for (const Key32* part : {&dh1, &dh2, &dh3, &dh4})
    ikm.insert(ikm.end(), part->begin(), part->end());
  static constexpr Key32 kZeroSalt{};
  std::optional<Bytes> sk = crypto::hkdf_sha256(ikm, kZeroSalt, as_bytes(kX3dhInfo), 32);
  if (!sk) throw std::logic_error("HKDF length out of range");
  X3dhSecrets out;
  std::copy(sk->begin(), sk->end(), out.shared_secret.begin());
  std::copy(initiator_ik.begin(), initiator_ik.end(), out.associated_data.begin());
  std::copy(responder_ik.begin(), responder_ik.end(), out.associated_data.begin() + 32);
  return out;
}

}  // namespace

Signature64 sign_signed_prekey(const IdentityKey& identity, const Key32& signed_prekey_public,
                               crypto::RandomSource& random) {
  return identity.sign(signed_prekey_public, random);
}

bool signed_prekey_signature_is_valid(ByteView identity_key, const Key32& signed_prekey_public,
                                      ByteView signature) {
  return crypto::ed25519_verify(identity_key, signed_prekey_public, signature);
}

Result<X3dhSecrets> x3dh_initiate(const IdentityKey& own, const BundleKeys& bundle,
                                  const crypto::CurveKeyPair& ephemeral) {
  if (!signed_prekey_signature_is_valid(bundle.identity_key, bundle.signed_prekey,
                                        bundle.signed_prekey_signature))
    return fail(DecryptError::bad_signature,
                "signed prekey signature does not verify with the bundle's identity key");
  const std::optional<Key32> peer_identity = identity_public_to_curve25519(bundle.identity_key);
  if (!peer_identity)
    return fail(DecryptError::bad_data, "bundle identity key is not a usable Ed25519 point");
  return derive(
      dh(own.curve25519_private(), bundle.signed_prekey), dh(ephemeral.private_key, *peer_identity),
      dh(ephemeral.private_key, bundle.signed_prekey), dh(ephemeral.private_key, bundle.prekey),
      own.ed25519_public(), bundle.identity_key);
}

Result<X3dhSecrets> x3dh_respond(const IdentityKey& own, const crypto::CurveKeyPair& signed_prekey,
                                 const crypto::CurveKeyPair& prekey,
                                 ByteView initiator_identity_key,
                                 const Key32& initiator_ephemeral) {
  const std::optional<Key32> peer_identity = identity_public_to_curve25519(initiator_identity_key);
  if (!peer_identity)
    return fail(DecryptError::bad_data, "key exchange identity key is not a usable Ed25519 point");
  Key32 peer_ik;
  std::copy(initiator_identity_key.begin(), initiator_identity_key.end(), peer_ik.begin());
  return derive(dh(signed_prekey.private_key, *peer_identity),
                dh(own.curve25519_private(), initiator_ephemeral),
                dh(signed_prekey.private_key, initiator_ephemeral),
                dh(prekey.private_key, initiator_ephemeral), peer_ik, own.ed25519_public());
}

}  // namespace oi::engine::omemo2
