// Checker `x3dh`: one side of one key agreement per record, both profiles.
//
// OMEMO 2 (engine/omemo2/x3dh.h), fields: Role (initiator | responder), A_IdentityKind,
// A_IdentitySecret, A_IdentityKey (published Ed25519), B_* likewise, B_SignedPreKeyPriv,
// B_SignedPreKeyPub, B_SignedPreKeySig, B_PreKeyPriv, B_PreKeyPub, A_EphemeralPriv,
// A_EphemeralPub -> SharedSecret, AssociatedData. The initiator verifies the SPK signature and
// rejects a bad one; the responder rejects an unusable initiator identity key. Only the side's
// own private keys are used (the initiator never reads B_*Priv, the responder never A_*Secret
// beyond checking the published key).
//
// Legacy (libsignal's ratcheting_session_*_initialize, engine/legacy/ratchet_steps.h), fields:
// Role, A_IdentityPriv, A_BaseKeyPriv, A_RatchetPriv, B_IdentityPriv, B_SignedPreKeyPriv,
// optional B_PreKeyPriv, and the 33-byte publics A_IdentityPub, A_BaseKeyPub, B_IdentityPub,
// B_SignedPreKeyPub, B_PreKeyPub -> RootKey0 and ChainKey0 (HKDF "WhisperText" over the 3 or 4
// DH outputs; Bob's root key and sending chain), RootKey1 and SendingChainKey1 (Alice after her
// first DH ratchet step with A_RatchetPriv). Libsignal's X3DH needs both sides' private keys
// (it takes key pairs), so both roles read all of them; the role picks which initialiser runs.
#include "engine/legacy/ratchet_steps.h"
#include "engine/omemo2/x3dh.h"
#include "scenario/vector_check_protocol.h"

namespace oi::scenario::vector_check {
namespace {

bool is_initiator(const Fields& f) {
  const std::string& role = f.word("Role");
  if (role == "initiator") return true;
  if (role == "responder") return false;
  throw RecordFieldError("Role must be initiator or responder, not '" + role + "'");
}

Observation check_omemo2(const Fields& f) {
  namespace om = engine::omemo2;
  engine::Result<om::X3dhSecrets> secrets = engine::fail(engine::DecryptError::bad_data, "not run");
  if (is_initiator(f)) {
    const om::IdentityKey own = identity_of(f, "A_");
    if (auto diff = compare("A_IdentityKey", f.hex("A_IdentityKey"), own.ed25519_public())) {
      return Observation::mismatched(*diff);
    }
    const crypto::CurveKeyPair ephemeral = key_pair_of(f, "A_EphemeralPriv");
    if (auto diff = compare("A_EphemeralPub", f.hex("A_EphemeralPub"), ephemeral.public_key)) {
      return Observation::mismatched(*diff);
    }
    om::BundleKeys bundle;
    bundle.identity_key = f.key32("B_IdentityKey");
    bundle.signed_prekey = f.key32("B_SignedPreKeyPub");
    bundle.signed_prekey_signature = f.array<64>("B_SignedPreKeySig");
    bundle.prekey = f.key32("B_PreKeyPub");
    secrets = om::x3dh_initiate(own, bundle, ephemeral);
  } else {
    const om::IdentityKey own = identity_of(f, "B_");
    if (auto diff = compare("B_IdentityKey", f.hex("B_IdentityKey"), own.ed25519_public())) {
      return Observation::mismatched(*diff);
    }
    const crypto::CurveKeyPair signed_prekey = key_pair_of(f, "B_SignedPreKeyPriv");
    const crypto::CurveKeyPair prekey = key_pair_of(f, "B_PreKeyPriv");
    if (auto diff = first_difference(
            {compare("B_SignedPreKeyPub", f.hex("B_SignedPreKeyPub"), signed_prekey.public_key),
             compare("B_PreKeyPub", f.hex("B_PreKeyPub"), prekey.public_key)});
        diff.kind != Observation::Kind::match) {
      return diff;
    }
    secrets = om::x3dh_respond(own, signed_prekey, prekey, f.hex("A_IdentityKey"),
                               f.key32("A_EphemeralPub"));
  }
  if (!secrets) {
    return Observation::rejected(std::string(engine::decrypt_error_name(secrets.error())) + ": " +
                                 secrets.failure().detail);
  }
  return first_difference(
      {compare("SharedSecret", f.hex("SharedSecret"), secrets->shared_secret),
       compare("AssociatedData", f.hex("AssociatedData"), secrets->associated_data)});
}

Observation check_legacy(const Fields& f) {
  namespace lg = engine::legacy;
  lg::LegacyX3dhKeys keys;
  keys.alice_identity_private = f.key32("A_IdentityPriv");
  keys.alice_base_private = f.key32("A_BaseKeyPriv");
  keys.alice_ratchet_private = f.key32("A_RatchetPriv");
  keys.bob_identity_private = f.key32("B_IdentityPriv");
  keys.bob_signed_pre_key_private = f.key32("B_SignedPreKeyPriv");
  if (f.has("B_PreKeyPriv")) keys.bob_one_time_pre_key_private = f.key32("B_PreKeyPriv");
  Observation publics = first_difference(
      {compare_if_present(f, "A_IdentityPub", lg::legacy_public_key(keys.alice_identity_private)),
       compare_if_present(f, "A_BaseKeyPub", lg::legacy_public_key(keys.alice_base_private)),
       compare_if_present(f, "B_IdentityPub", lg::legacy_public_key(keys.bob_identity_private)),
       compare_if_present(f, "B_SignedPreKeyPub",
                          lg::legacy_public_key(keys.bob_signed_pre_key_private)),
       keys.bob_one_time_pre_key_private
           ? compare_if_present(f, "B_PreKeyPub",
                                lg::legacy_public_key(*keys.bob_one_time_pre_key_private))
           : std::nullopt});
  if (publics.kind != Observation::Kind::match) return publics;
  const char* dh_count = keys.bob_one_time_pre_key_private ? "4 DH" : "3 DH (no one-time prekey)";
  if (is_initiator(f)) {
    const lg::LegacyAliceSession alice = lg::legacy_x3dh_alice(keys);
    return first_difference(
        {compare("ChainKey0", f.hex("ChainKey0"), alice.receiving_chain_key),
         compare("RootKey1", f.hex("RootKey1"), alice.root_key),
         compare("SendingChainKey1", f.hex("SendingChainKey1"), alice.sending_chain_key)},
        dh_count);
  }
  const lg::LegacyBobSession bob = lg::legacy_x3dh_bob(keys);
  return first_difference({compare("RootKey0", f.hex("RootKey0"), bob.root_key),
                           compare("ChainKey0", f.hex("ChainKey0"), bob.sending_chain_key)},
                          dh_count);
}

}  // namespace

Observation check_x3dh(const Fields& f) {
  return profile_of(f) == Profile::omemo2 ? check_omemo2(f) : check_legacy(f);
}

}  // namespace oi::scenario::vector_check
