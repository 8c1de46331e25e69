// Checker `omemo2-session`: an OMEMO 2 conversation between two engine sessions rebuilt from the
// fixed private keys of the group (R-OM2-001..019, R-OM2-037).
//
// Group fields: A_IdentityKind, A_IdentitySecret, A_IdentityKey, B_* likewise,
// B_SignedPreKeyId, B_SignedPreKeyPriv, B_SignedPreKeyPub, B_SignedPreKeySig, B_PreKeyId,
// B_PreKeyPriv, B_PreKeyPub, A_EphemeralPriv (EK_A), A_RatchetPriv (Alice's first sending
// ratchet key). Alice (the initiator) builds her session from Bob's bundle; Bob has no session
// until the first OMEMOKeyExchange arrives.
//
// Records, in order:
//   Op = encrypt  Sender, KeyMaterial (the ratchet plaintext: 48 bytes, or 32 zero bytes for an
//                 empty message) [Envelope PayloadKey Payload] -> Kex (0|1), Message, N, PN.
//                 The sender's session encrypts; Message must come out byte for byte. With the
//                 payload fields, encrypt_payload(Envelope, PayloadKey) must give Payload and
//                 KeyMaterial first.
//   Op = decrypt  Sender, Kex, Message, optional NewRatchetPriv (the key pair the receiver
//                 generates if this message turns its ratchet) -> KeyMaterial [Envelope Payload].
//                 The other party decrypts Message as received: an OMEMOKeyExchange through
//                 receive_key_exchange() (a consumed one-time prekey is removed), otherwise
//                 through its session. NewRatchetPriv must be used exactly when it is given.
//                 Rejected = the engine refused the message (then its state must be unchanged)
//                 or the payload did not open.
#include <map>

#include "engine/omemo2/payload.h"
#include "engine/omemo2/session.h"
#include "scenario/vector_check_protocol.h"

namespace oi::scenario::vector_check {
namespace {

namespace om = engine::omemo2;

class Prekeys final : public om::PrekeyLookup {
 public:
  std::optional<crypto::CurveKeyPair> signed_prekey(std::uint32_t id) const override {
    auto found = signed_prekeys.find(id);
    if (found == signed_prekeys.end()) return std::nullopt;
    return found->second;
  }
  std::optional<crypto::CurveKeyPair> prekey(std::uint32_t id) const override {
    auto found = prekeys.find(id);
    if (found == prekeys.end()) return std::nullopt;
    return found->second;
  }
  std::map<std::uint32_t, crypto::CurveKeyPair> signed_prekeys;
  std::map<std::uint32_t, crypto::CurveKeyPair> prekeys;
};

struct Party {
  std::optional<om::IdentityKey> identity;
  std::optional<om::Session> session;
  Prekeys prekeys;
};

std::uint32_t id_field(const Fields& f, std::string_view name) {
  const std::int64_t value = f.integer(name);
  if (value < 0 || value > 0xFFFFFFFFLL)
    throw RecordFieldError(std::string(name) + " out of range");
  return static_cast<std::uint32_t>(value);
}

class Omemo2Session final : public GroupCheck {
 public:
  explicit Omemo2Session(const Fields& f) {
    alice_.identity = identity_of(f, "A_");
    bob_.identity = identity_of(f, "B_");
    if (auto diff = first_difference(
            {compare("A_IdentityKey", f.hex("A_IdentityKey"), alice_.identity->ed25519_public()),
             compare("B_IdentityKey", f.hex("B_IdentityKey"), bob_.identity->ed25519_public())});
        diff.kind != Observation::Kind::match) {
      throw RecordFieldError("group keys inconsistent: " + diff.detail);
    }
    const crypto::CurveKeyPair signed_prekey = key_pair_of(f, "B_SignedPreKeyPriv");
    const crypto::CurveKeyPair prekey = key_pair_of(f, "B_PreKeyPriv");
    bob_.prekeys.signed_prekeys[id_field(f, "B_SignedPreKeyId")] = signed_prekey;
    bob_.prekeys.prekeys[id_field(f, "B_PreKeyId")] = prekey;
    om::BundleKeys bundle;
    bundle.identity_key = f.key32("B_IdentityKey");
    bundle.signed_prekey_id = id_field(f, "B_SignedPreKeyId");
    bundle.signed_prekey = f.key32("B_SignedPreKeyPub");
    bundle.signed_prekey_signature = f.array<64>("B_SignedPreKeySig");
    bundle.prekey_id = id_field(f, "B_PreKeyId");
    bundle.prekey = f.key32("B_PreKeyPub");
    if (auto diff = first_difference(
            {compare("B_SignedPreKeyPub", bundle.signed_prekey, signed_prekey.public_key),
             compare("B_PreKeyPub", bundle.prekey, prekey.public_key)});
        diff.kind != Observation::Kind::match) {
      throw RecordFieldError("group keys inconsistent: " + diff.detail);
    }
    engine::Result<om::Session> session =
        om::Session::initiate(*alice_.identity, bundle, key_pair_of(f, "A_EphemeralPriv"),
                              key_pair_of(f, "A_RatchetPriv"));
    if (!session) {
      throw RecordFieldError("Alice cannot build her session: " + session.failure().detail);
    }
    alice_.session = std::move(*session);
  }

  Observation step(const Fields& f) override {
    const std::string& op = f.word("Op");
    const bool from_alice = sender_is_alice(f);
    if (op == "encrypt") return encrypt(f, from_alice ? alice_ : bob_);
    if (op == "decrypt") return decrypt(f, from_alice ? bob_ : alice_);
    throw RecordFieldError("Op must be encrypt or decrypt, not '" + op + "'");
  }

 private:
  static bool sender_is_alice(const Fields& f) {
    const std::string& sender = f.word("Sender");
    if (sender != "alice" && sender != "bob")
      throw RecordFieldError("Sender must be alice or bob, not '" + sender + "'");
    return sender == "alice";
  }

  static Observation encrypt(const Fields& f, Party& sender) {
    const Bytes& key_material = f.hex("KeyMaterial");
    if (f.has("Envelope")) {
      const om::EncryptedPayload sealed =
          om::encrypt_payload(f.hex("Envelope"), f.key32("PayloadKey"));
      if (auto diff = first_difference({compare("Payload", f.hex("Payload"), sealed.ciphertext),
                                        compare("KeyMaterial", key_material, sealed.key_material)});
          diff.kind != Observation::Kind::match) {
        return diff;
      }
    }
    if (!sender.session || !sender.session->ratchet().can_send()) {
      return Observation::rejected("the sender has no session that can send yet");
    }
    const om::MessageHeader header = sender.session->ratchet().next_header();
    const om::OutgoingKey out = sender.session->encrypt(key_material);
    if (static_cast<std::int64_t>(out.is_key_exchange) != f.integer("Kex")) {
      return Observation::mismatched(std::string("Kex: expected ") +
                                     std::to_string(f.integer("Kex")) + ", got " +
                                     (out.is_key_exchange ? "1" : "0"));
    }
    if (header.n != f.integer("N") || header.pn != f.integer("PN")) {
      return Observation::mismatched("header: expected n=" + std::to_string(f.integer("N")) +
                                     " pn=" + std::to_string(f.integer("PN")) + ", got n=" +
                                     std::to_string(header.n) + " pn=" + std::to_string(header.pn));
    }
    if (auto diff = compare("Message", f.hex("Message"), out.data)) {
      return Observation::mismatched(*diff);
    }
    return Observation::matched(out.is_key_exchange ? "OMEMOKeyExchange"
                                                    : "OMEMOAuthenticatedMessage");
  }

  static Observation decrypt(const Fields& f, Party& receiver) {
    const Bytes& message = f.hex("Message");
    const bool kex = f.integer("Kex") != 0;
    std::optional<crypto::CurveKeyPair> next_key;
    if (f.has("NewRatchetPriv")) next_key = key_pair_of(f, "NewRatchetPriv");
    bool supplier_called = false;
    const om::RatchetKeySupplier supplier = [&] {
      supplier_called = true;
      // Without a NewRatchetPriv the record is wrong; the all-zero key keeps this deterministic
      // and the mismatch below reports it.
      return next_key ? *next_key : crypto::curve25519_from_private(Key32{});
    };
    const std::optional<om::SessionState> before =
        receiver.session ? std::optional(receiver.session->state()) : std::nullopt;

    Bytes plaintext;
    std::string note;
    if (kex) {
      engine::Result<om::KeyExchangeReceived> received = om::receive_key_exchange(
          receiver.session, message, *receiver.identity, receiver.prekeys, supplier);
      if (!received) return refused(received.failure(), receiver, before);
      if (received->built_session) {
        receiver.prekeys.prekeys.erase(received->consumed_prekey_id);
        note = received->replaced_session ? "new session (replaced)" : "new session";
      } else {
        note = "repeated key exchange: inner message only";
      }
      plaintext = std::move(received->message.plaintext);
    } else {
      if (!receiver.session) return Observation::rejected("no_session: no session with the sender");
      engine::Result<om::Received> received = receiver.session->decrypt(message, supplier);
      if (!received) return refused(received.failure(), receiver, before);
      plaintext = std::move(received->plaintext);
      if (received->used_skipped_key) note = "skipped message key";
    }
    if (supplier_called && !next_key) {
      return Observation::mismatched(
          "the receiver turned its ratchet, but the record gives no "
          "NewRatchetPriv");
    }
    if (!supplier_called && next_key) {
      return Observation::mismatched(
          "NewRatchetPriv given, but the receiver did not turn its ratchet");
    }
    if (auto diff = compare("KeyMaterial", f.hex("KeyMaterial"), plaintext)) {
      return Observation::mismatched(*diff);
    }
    if (f.has("Payload")) {
      engine::Result<Bytes> opened = om::decrypt_payload(plaintext, f.hex("Payload"));
      if (!opened) {
        return Observation::rejected(
            "payload: " + std::string(engine::decrypt_error_name(opened.error())) + ": " +
            opened.failure().detail);
      }
      if (auto diff = compare("Envelope", f.hex("Envelope"), *opened)) {
        return Observation::mismatched(*diff);
      }
    } else if (om::is_empty_message_key_material(plaintext)) {
      note += note.empty() ? "empty message" : ", empty message";
    }
    return Observation::matched(note);
  }

  // A refused message: the receiver's state must be as before (decrypt_error.h contract).
  static Observation refused(const engine::Failure& failure, const Party& receiver,
                             const std::optional<om::SessionState>& before) {
    const std::optional<om::SessionState> after =
        receiver.session ? std::optional(receiver.session->state()) : std::nullopt;
    if (after != before) {
      return Observation::mismatched("refused (" + failure.detail +
                                     "), but the receiver's session state changed");
    }
    return Observation::rejected(std::string(engine::decrypt_error_name(failure.error)) + ": " +
                                 failure.detail);
  }

  Party alice_;
  Party bob_;
};

}  // namespace

std::unique_ptr<GroupCheck> start_omemo2_session(const Fields& first) {
  return std::make_unique<Omemo2Session>(first);
}

}  // namespace oi::scenario::vector_check
