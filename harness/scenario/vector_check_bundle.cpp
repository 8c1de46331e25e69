// Checkers `bundle-signature` and `fingerprint`.
//
// bundle-signature, fields Profile and Op:
//   legacy spk    IdentityPriv (optional), IdentityKey (33 bytes, 0x05 ‖ u), Msg (the serialized
//                 33-byte SPK), Random (64, optional), Sig. Acceptance = libsignal's
//                 curve_verify_signature (curvesig: the Ed25519 sign bit rides in sig[63] & 0x80,
//                 R-LEG-012). With IdentityPriv and Random on a valid record, libsignal's
//                 curve_calculate_signature must reproduce Sig.
//   omemo2 spk    IdentityKind, IdentitySecret (optional), IdentityKey (Ed25519 as published),
//                 Msg (the raw 32-byte SPK), Nonce (64, optional; unused by ed25519_seed), Sig.
//                 Acceptance = signed_prekey_signature_is_valid (plain Ed25519 under the published
//                 key, R-OM2-002/004); with the secret on a valid record, IdentityKey::sign must
//                 reproduce Sig.
//   omemo2 label  as spk, Msg = the UTF-8 label; acceptance = Ed25519 under IdentityKey
//                 (labelsig, R-OM2-027).
// fingerprint, fields Profile, IdentityKey (legacy 33 bytes; OMEMO 2 Ed25519 32 bytes),
//   CurveKey (32), Fingerprint (str, 8 groups of 8 lowercase hex digits, spec §2.5). OMEMO 2 maps
//   the Ed25519 key to its Curve25519 form first; an unusable key is a rejection.
#include "engine/device.h"
#include "engine/legacy/ratchet_steps.h"
#include "engine/omemo2/x3dh.h"
#include "scenario/vector_check_protocol.h"

namespace oi::scenario::vector_check {
namespace {

std::string sign_bit_note(ByteView signature, ByteView ed_key) {
  std::string note;
  if (signature.size() == 64) note += (signature[63] & 0x80) ? "sig[63] bit 1" : "sig[63] bit 0";
  if (ed_key.size() == 32) note += (ed_key[31] & 0x80) ? ", key sign bit 1" : ", key sign bit 0";
  return note;
}

Observation check_legacy_spk(const Fields& f) {
  const Bytes& identity = f.hex("IdentityKey");
  const Bytes& msg = f.hex("Msg");
  const Bytes& sig = f.hex("Sig");
  if (f.has("IdentityPriv")) {
    const Key32 priv = f.key32("IdentityPriv");
    if (auto diff = compare("IdentityKey", identity, engine::legacy::legacy_public_key(priv))) {
      return Observation::mismatched(*diff);
    }
    if (f.result() == codec::VecResult::valid && f.has("Random")) {
      if (auto diff =
              compare("Sig", sig, engine::legacy::legacy_sign(priv, msg, f.array<64>("Random")))) {
        return Observation::mismatched(*diff);
      }
    }
  }
  if (!engine::legacy::legacy_verify(identity, msg, sig)) {
    return Observation::rejected("libsignal curve_verify_signature refused it");
  }
  return Observation::matched(sign_bit_note(sig, {}));
}

Observation check_omemo2_signature(const Fields& f, bool label) {
  const Bytes& identity = f.hex("IdentityKey");
  const Bytes& msg = f.hex("Msg");
  const Bytes& sig = f.hex("Sig");
  if (f.has("IdentitySecret")) {
    const engine::omemo2::IdentityKey key = identity_of(f, "");
    if (auto diff = compare("IdentityKey", identity, key.ed25519_public())) {
      return Observation::mismatched(*diff);
    }
    if (f.result() == codec::VecResult::valid) {
      const ByteArray<64> nonce = f.has("Nonce") ? f.array<64>("Nonce") : ByteArray<64>{};
      if (auto diff = compare("Sig", sig, key.sign(msg, nonce))) {
        return Observation::mismatched(*diff);
      }
    }
  }
  bool valid = false;
  if (label) {
    valid = crypto::ed25519_verify(identity, msg, sig);
  } else {
    if (msg.size() != 32) {
      return Observation::rejected("Msg is " + std::to_string(msg.size()) +
                                   " bytes: an OMEMO 2 SPK is signed as its raw 32 bytes");
    }
    Key32 spk;
    std::copy(msg.begin(), msg.end(), spk.begin());
    valid = engine::omemo2::signed_prekey_signature_is_valid(identity, spk, sig);
  }
  if (!valid) return Observation::rejected("Ed25519 verification under the published key failed");
  return Observation::matched(sign_bit_note(sig, identity));
}

}  // namespace

Observation check_bundle_signature(const Fields& f) {
  const std::string& op = f.word("Op");
  const Profile profile = profile_of(f);
  if (profile == Profile::legacy && op == "spk") return check_legacy_spk(f);
  if (profile == Profile::omemo2 && op == "spk") return check_omemo2_signature(f, false);
  if (profile == Profile::omemo2 && op == "label") return check_omemo2_signature(f, true);
  throw RecordFieldError("no Op '" + op + "' for this Profile");
}

Observation check_fingerprint(const Fields& f) {
  const Bytes& identity = f.hex("IdentityKey");
  Key32 curve{};
  if (profile_of(f) == Profile::legacy) {
    if (identity.size() != 33 || identity[0] != 0x05) {
      return Observation::rejected("legacy identity key is not 0x05 ‖ 32 bytes");
    }
    std::copy(identity.begin() + 1, identity.end(), curve.begin());
  } else {
    auto mapped = engine::omemo2::identity_public_to_curve25519(identity);
    if (!mapped) return Observation::rejected("not a usable Ed25519 identity key");
    curve = *mapped;
  }
  const std::string fingerprint = engine::format_fingerprint(curve);
  if (auto diff = compare("CurveKey", f.hex("CurveKey"), curve)) {
    return Observation::mismatched(*diff);
  }
  if (fingerprint != f.text("Fingerprint")) {
    return Observation::mismatched("Fingerprint: expected \"" + f.text("Fingerprint") +
                                   "\", got \"" + fingerprint + "\"");
  }
  return Observation::matched();
}

}  // namespace oi::scenario::vector_check
