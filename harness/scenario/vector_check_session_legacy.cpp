// Checker `legacy-session`: a legacy OMEMO conversation between two libsignal-protocol-c session
// cores (engine/legacy/session_core.h) rebuilt from the fixed private keys of the group, with
// the AES-128-GCM payload layer (R-LEG-012, R-LEG-018, R-LEG-019, R-LEG-021, R-LEG-029..037).
// libsignal's randomness is scripted (SessionCore::arm_random_script): every key it generates
// is a key of the record, and a draw the record does not provide fails the step.
//
// Group fields: A_IdentityPriv, A_IdentityPub (33), A_RegistrationId, A_DeviceId, B_* likewise,
// B_SignedPreKeyId, B_SignedPreKeyPriv, B_SignedPreKeyPub, B_SignedPreKeySig, optional
// B_PreKeyId, B_PreKeyPriv, B_PreKeyPub (absent: an SPK-only exchange), A_BaseKeyPriv and
// A_RatchetPriv (the two keys libsignal generates when Alice builds her session, in that order).
//
// Records, in order:
//   Op = encrypt  Sender, KeyMaterial [Body PayloadKey IV TagInPayload Payload] -> PreKey (0|1),
//                 Message. With Body, seal_payload(Body, PayloadKey, IV) must give Payload and
//                 KeyMaterial (key ‖ tag, or the bare key with TagInPayload = 1); then the
//                 sender's core encrypts KeyMaterial, drawing nothing, to exactly Message.
//   Op = decrypt  Sender, PreKey, Message, optional NewRatchetPriv -> KeyMaterial [Body IV
//                 Payload]. The receiver's core decrypts (libsignal draws NewRatchetPriv when
//                 the message turns its ratchet, and nothing else); open_payload(KeyMaterial,
//                 IV, Payload) must give Body (12- or 16-byte IV, 32- or 16-byte key material).
//                 Rejected = libsignal refused (state unchanged) or the payload did not open.
#include <memory>

#include "crypto/random_source.h"
#include "engine/legacy/payload.h"
#include "engine/legacy/session_core.h"
#include "scenario/vector_check_protocol.h"

namespace oi::scenario::vector_check {
namespace {

namespace lg = engine::legacy;

std::uint32_t u32_field(const Fields& f, std::string_view name) {
  const std::int64_t value = f.integer(name);
  if (value < 0 || value > 0xFFFFFFFFLL)
    throw RecordFieldError(std::string(name) + " out of range");
  return static_cast<std::uint32_t>(value);
}

struct Party {
  lg::RemoteAddress address;  // how the other party addresses this one
  std::unique_ptr<lg::SessionCore> core;
};

class LegacySession final : public GroupCheck {
 public:
  explicit LegacySession(const Fields& f) {
    alice_.address = {"alice@example.org", u32_field(f, "A_DeviceId")};
    bob_.address = {"bob@example.org", u32_field(f, "B_DeviceId")};
    lg::ImportedKeys alice_keys;
    alice_keys.identity_private = f.hex("A_IdentityPriv");
    alice_keys.registration_id = u32_field(f, "A_RegistrationId");
    lg::ImportedKeys bob_keys;
    bob_keys.identity_private = f.hex("B_IdentityPriv");
    bob_keys.registration_id = u32_field(f, "B_RegistrationId");
    bob_keys.signed_pre_key = lg::ImportedKeys::SignedPreKey{
        u32_field(f, "B_SignedPreKeyId"), f.hex("B_SignedPreKeyPriv"), f.hex("B_SignedPreKeySig")};
    std::optional<std::uint32_t> pre_key_id;
    if (f.has("B_PreKeyId")) {
      pre_key_id = u32_field(f, "B_PreKeyId");
      bob_keys.pre_keys.emplace_back(*pre_key_id, f.hex("B_PreKeyPriv"));
    }
    // The cores' own random sources are never drawn from: every step arms a script.
    alice_.core = std::make_unique<lg::SessionCore>(crypto::RandomSource::seeded(1), alice_keys);
    bob_.core = std::make_unique<lg::SessionCore>(crypto::RandomSource::seeded(2), bob_keys);
    const lg::BundleKeys bundle = bob_.core->bundle_keys();
    if (auto diff = first_difference(
            {compare("A_IdentityPub", f.hex("A_IdentityPub"), alice_.core->identity_public()),
             compare("B_IdentityPub", f.hex("B_IdentityPub"), bundle.identity_key),
             compare("B_SignedPreKeyPub", f.hex("B_SignedPreKeyPub"), bundle.signed_pre_key),
             pre_key_id ? compare("B_PreKeyPub", f.hex("B_PreKeyPub"), bundle.pre_keys.at(0).second)
                        : std::nullopt});
        diff.kind != Observation::Kind::match) {
      throw RecordFieldError("group keys inconsistent: " + diff.detail);
    }
    Bytes script = f.hex("A_BaseKeyPriv");
    const Bytes& ratchet = f.hex("A_RatchetPriv");
    script.insert(script.end(), ratchet.begin(), ratchet.end());
    alice_.core->arm_random_script(script);
    engine::Result<std::monostate> built =
        alice_.core->build_session(bob_.address, bundle, pre_key_id);
    const std::size_t left = alice_.core->random_script_remaining();
    alice_.core->disarm_random_script();
    if (!built) throw RecordFieldError("Alice cannot build her session: " + built.failure().detail);
    if (left != 0) throw RecordFieldError("libsignal did not draw A_BaseKeyPriv and A_RatchetPriv");
  }

  Observation step(const Fields& f) override {
    const std::string& op = f.word("Op");
    const std::string& sender = f.word("Sender");
    if (sender != "alice" && sender != "bob")
      throw RecordFieldError("Sender must be alice or bob, not '" + sender + "'");
    Party& from = sender == "alice" ? alice_ : bob_;
    Party& to = sender == "alice" ? bob_ : alice_;
    if (op == "encrypt") return encrypt(f, from, to);
    if (op == "decrypt") return decrypt(f, from, to);
    throw RecordFieldError("Op must be encrypt or decrypt, not '" + op + "'");
  }

 private:
  static lg::PayloadLayout layout_of(const Fields& f) {
    lg::PayloadLayout layout;
    layout.tag_in_payload = f.optional_integer("TagInPayload").value_or(0) != 0;
    return layout;
  }

  static Observation encrypt(const Fields& f, Party& from, const Party& to) {
    const Bytes& key_material = f.hex("KeyMaterial");
    if (f.has("Body")) {
      const lg::SealedPayload sealed =
          lg::seal_payload(f.hex("Body"), f.hex("PayloadKey"), f.hex("IV"), layout_of(f));
      if (auto diff = first_difference({compare("Payload", f.hex("Payload"), sealed.payload),
                                        compare("KeyMaterial", key_material, sealed.key_material)});
          diff.kind != Observation::Kind::match) {
        return diff;
      }
    }
    from.core->arm_random_script({});
    engine::Result<lg::EncryptedKey> out = from.core->encrypt(to.address, key_material);
    from.core->disarm_random_script();
    if (!out) {
      return Observation::rejected(std::string(engine::decrypt_error_name(out.error())) + ": " +
                                   out.failure().detail);
    }
    if (static_cast<std::int64_t>(out->is_prekey) != f.integer("PreKey")) {
      return Observation::mismatched("PreKey: expected " + std::to_string(f.integer("PreKey")) +
                                     ", got " + (out->is_prekey ? "1" : "0"));
    }
    if (auto diff = compare("Message", f.hex("Message"), out->data)) {
      return Observation::mismatched(*diff);
    }
    return Observation::matched(out->is_prekey ? "PreKeySignalMessage" : "SignalMessage");
  }

  static Observation decrypt(const Fields& f, const Party& from, Party& to) {
    const Bytes* next_key = f.optional_hex("NewRatchetPriv");
    to.core->arm_random_script(next_key ? ByteView(*next_key) : ByteView());
    const Bytes before = to.core->export_state();
    engine::Result<Bytes> plaintext =
        to.core->decrypt(from.address, f.hex("Message"), f.integer("PreKey") != 0);
    const std::size_t left = to.core->random_script_remaining();
    to.core->disarm_random_script();
    if (!plaintext) {
      if (to.core->export_state() != before) {
        return Observation::mismatched("refused (" + plaintext.failure().detail +
                                       "), but the receiver's state changed");
      }
      return Observation::rejected(std::string(engine::decrypt_error_name(plaintext.error())) +
                                   ": " + plaintext.failure().detail);
    }
    if (next_key && left != 0) {
      return Observation::mismatched("NewRatchetPriv given, but libsignal did not draw it");
    }
    if (auto diff = compare("KeyMaterial", f.hex("KeyMaterial"), *plaintext)) {
      return Observation::mismatched(*diff);
    }
    if (!f.has("Payload")) return Observation::matched("key transport (no payload)");
    engine::Result<Bytes> body = lg::open_payload(*plaintext, f.hex("IV"), f.hex("Payload"));
    if (!body) {
      return Observation::rejected(
          "payload: " + std::string(engine::decrypt_error_name(body.error())) + ": " +
          body.failure().detail);
    }
    if (auto diff = compare("Body", f.hex("Body"), *body)) return Observation::mismatched(*diff);
    return Observation::matched("IV " + std::to_string(f.hex("IV").size()) +
                                " bytes, key material " + std::to_string(plaintext->size()) +
                                " bytes");
  }

  Party alice_;
  Party bob_;
};

}  // namespace

std::unique_ptr<GroupCheck> start_legacy_session(const Fields& first) {
  return std::make_unique<LegacySession>(first);
}

}  // namespace oi::scenario::vector_check
