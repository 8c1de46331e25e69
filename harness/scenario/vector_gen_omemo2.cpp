// Generator of vectors/omemo2/*.vec: the OMEMO 2 engine (engine/omemo2) run from fixed keys.
// Every key comes from KeySource(kSeed) by label, so the output is the same on every run; the
// cross-check programs in tests/crosscheck/ verify the files with independent implementations.
#include <functional>
#include <map>

#include "codec/envelope.h"
#include "codec/omemo2_messages.h"
#include "crypto/curve25519.h"
#include "crypto/hash.h"
#include "engine/device.h"
#include "engine/omemo2/constants.h"
#include "engine/omemo2/kdf.h"
#include "engine/omemo2/payload.h"
#include "engine/omemo2/session.h"
#include "engine/omemo2/x3dh.h"
#include "scenario/vector_gen_writer.h"
#include "scenario/vector_generate.h"

namespace oi::scenario {
namespace {

namespace om = engine::omemo2;
using namespace vector_gen;

constexpr std::string_view kSeed = "omemo-interop protocol vectors omemo2 v1";
constexpr std::string_view kGenerator =
    "omemo-interop vectors generate (harness/scenario/vector_gen_omemo2.cpp; the OMEMO 2 engine), "
    "fixed seed "
    "\"omemo-interop protocol vectors omemo2 v1\"";
constexpr std::string_view kLicense =
    "GPL-3.0-or-later (this repository; generated from our own inputs)";
constexpr std::string_view kCrossTwomemo =
    "python3-twomemo 1.0.3 / python3-x3dh 1.0.3 / python3-doubleratchet 1.0.3 / python3-xeddsa "
    "1.0.2 (tests/crosscheck/omemo2_twomemo.py)";
constexpr std::string_view kCrossLibomemoC =
    "libomemo-c 0.5.0, protocol version 4 (tests/crosscheck/omemo2_libomemo_c.cpp)";

const KeySource& keys() {
  static const KeySource source(kSeed);
  return source;
}

std::string bit_of(ByteView ed_key) {
  return (ed_key[31] & 0x80) ? "1" : "0";
}

// An identity of `kind` whose relevant sign bit is `sign_bit`: the published key's for
// ed25519_seed and curve25519_true_sign, the true (unpublished) one of a*B for
// curve25519_xeddsa, whose published key always has sign bit 0.
om::IdentityKey identity(std::string_view label, om::IdentityKind kind, int sign_bit) {
  for (int attempt = 0;; ++attempt) {
    const std::string name = std::string(label) + "/" + std::to_string(attempt);
    const Key32 secret =
        kind == om::IdentityKind::ed25519_seed ? keys().key32(name) : keys().curve_private(name);
    const om::IdentityKey key = om::IdentityKey::from_secret(kind, secret);
    const Key32 probe = kind == om::IdentityKind::curve25519_xeddsa
                            ? crypto::curve25519_private_to_ed25519_public(key.curve25519_private())
                            : key.ed25519_public();
    if (((probe[31] >> 7) & 1) == sign_bit) return key;
  }
}

std::string describe(const om::IdentityKey& key) {
  const std::string kind(om::identity_kind_name(key.kind()));
  if (key.kind() == om::IdentityKind::curve25519_xeddsa) {
    return kind + " (true sign bit " +
           bit_of(crypto::curve25519_private_to_ed25519_public(key.curve25519_private())) +
           ", published 0)";
  }
  return kind + " (published sign bit " + bit_of(key.ed25519_public()) + ")";
}

FieldList identity_fields(std::string_view prefix, const om::IdentityKey& key) {
  const std::string p(prefix);
  return {{p + "IdentityKind", word(om::identity_kind_name(key.kind()))},
          {p + "IdentitySecret", hex(key.secret())},
          {p + "IdentityKey", hex(key.ed25519_public())}};
}

void append(FieldList& to, FieldList from) {
  for (auto& field : from) to.push_back(std::move(field));
}

VecWriter make_writer(std::string title, std::string check, std::vector<std::string> requirements,
                      std::vector<std::string> fields, std::string spec) {
  VecWriter out(std::move(title), std::move(check), std::move(requirements), std::move(fields));
  out.header("spec", std::move(spec));
  out.header("source", "generated from fixed seeds by the harness's OMEMO 2 engine");
  out.header("license", std::string(kLicense));
  out.header("generator", std::string(kGenerator));
  return out;
}

// ---- chain_kdf.vec ----

GeneratedVectorFile chain_kdf() {
  VecWriter out = make_writer("OMEMO 2 KDF_CK and message-key expansion", "chain-kdf",
                              {"R-OM2-012", "R-OM2-013"},
                              {"Profile:enum(legacy|omemo2)", "ChainKey:hex", "MessageKey:hex",
                               "EncKey:hex", "AuthKey:hex", "IV:hex", "NextChainKey:hex"},
                              "XEP-0384 0.9.1 §4.3; requirements.md §2.1, §2.3 item 3-4");
  out.header("cross-checked", std::string(kCrossTwomemo));
  out.comment(
      "MessageKey = HMAC-SHA-256(ChainKey, 0x01), NextChainKey = HMAC-SHA-256(ChainKey, 0x02);");
  out.comment(
      "EncKey ‖ AuthKey ‖ IV = HKDF-SHA-256(MessageKey, salt 0^32, \"OMEMO Message Key Material\", "
      "80).");
  out.comment("Each group is one chain: record n+1 starts from record n's NextChainKey.");
  for (int chain = 1; chain <= 2; ++chain) {
    out.group("OMEMO 2 chain " + std::to_string(chain), {{"Profile", word("omemo2")}});
    Key32 chain_key = keys().key32("chain/" + std::to_string(chain));
    for (int n = 0; n < 5; ++n) {
      const om::ChainStep step = om::kdf_chain(chain_key);
      const om::MessageKeys mk = om::expand_message_key(step.message_key);
      out.record("valid", {{"Comment", text("message key " + std::to_string(n))},
                           {"ChainKey", hex(chain_key)},
                           {"MessageKey", hex(step.message_key)},
                           {"EncKey", hex(mk.encryption_key)},
                           {"AuthKey", hex(mk.authentication_key)},
                           {"IV", hex(mk.iv)},
                           {"NextChainKey", hex(step.next_chain_key)}});
      chain_key = step.next_chain_key;
    }
  }
  return {"omemo2/chain_kdf.vec", out.render()};
}

// ---- root_kdf.vec ----

GeneratedVectorFile root_kdf() {
  VecWriter out =
      make_writer("OMEMO 2 KDF_RK over three DH ratchet turns", "root-kdf", {"R-OM2-012"},
                  {"Profile:enum(legacy|omemo2)", "RootKey:hex", "OwnPriv:hex", "PeerPub:hex",
                   "DhOut:hex", "NewRootKey:hex", "ChainKey:hex"},
                  "XEP-0384 0.9.1 §4.3; requirements.md §2.3 item 3");
  out.header("cross-checked", std::string(kCrossTwomemo));
  out.comment(
      "NewRootKey ‖ ChainKey = HKDF-SHA-256(salt RootKey, DhOut, \"OMEMO Root Chain\", 64),");
  out.comment(
      "DhOut = X25519(OwnPriv, PeerPub). Each turn appears twice: as the side that creates its");
  out.comment("sending chain and as the side that derives the same chain as its receiving chain.");
  out.group("OMEMO 2 three DH ratchet turns", {{"Profile", word("omemo2")}});
  Key32 root_key = keys().key32("root/rk0");
  crypto::CurveKeyPair previous =
      crypto::curve25519_from_private(keys().curve_private("root/bob0"));
  for (int turn = 1; turn <= 3; ++turn) {
    const crypto::CurveKeyPair next =
        crypto::curve25519_from_private(keys().curve_private("root/turn" + std::to_string(turn)));
    const Key32 dh = crypto::x25519(next.private_key, previous.public_key).shared_secret;
    const om::RootStep step = om::kdf_root(root_key, dh);
    for (int view = 0; view < 2; ++view) {
      const bool sender = view == 0;
      out.record("valid", {{"Comment", text("turn " + std::to_string(turn) +
                                            (sender ? ", sending side" : ", receiving side"))},
                           {"RootKey", hex(root_key)},
                           {"OwnPriv", hex(sender ? next.private_key : previous.private_key)},
                           {"PeerPub", hex(sender ? previous.public_key : next.public_key)},
                           {"DhOut", hex(dh)},
                           {"NewRootKey", hex(step.root_key)},
                           {"ChainKey", hex(step.chain_key)}});
    }
    root_key = step.root_key;
    previous = next;
  }
  return {"omemo2/root_kdf.vec", out.render()};
}

// ---- shared by x3dh.vec and session.vec: one initiator/responder key set ----

struct KeySet {
  std::string name;
  om::IdentityKey alice;
  om::IdentityKey bob;
  std::uint32_t spk_id;
  crypto::CurveKeyPair spk;
  Signature64 spk_sig;
  ByteArray<64> spk_nonce;
  std::uint32_t pk_id;
  crypto::CurveKeyPair pk;
  crypto::CurveKeyPair ephemeral;

  om::BundleKeys bundle() const {
    return om::BundleKeys{bob.ed25519_public(), spk_id, spk.public_key, spk_sig, pk_id,
                          pk.public_key};
  }
  FieldList bob_prekey_fields() const {
    return {{"B_SignedPreKeyId", integer(spk_id)},
            {"B_SignedPreKeyPriv", hex(spk.private_key)},
            {"B_SignedPreKeyPub", hex(spk.public_key)},
            {"B_SignedPreKeySig", hex(spk_sig)},
            {"B_PreKeyId", integer(pk_id)},
            {"B_PreKeyPriv", hex(pk.private_key)},
            {"B_PreKeyPub", hex(pk.public_key)}};
  }
};

KeySet key_set(const std::string& name, om::IdentityKind alice_kind, int alice_bit,
               om::IdentityKind bob_kind, int bob_bit, std::uint32_t spk_id, std::uint32_t pk_id) {
  const om::IdentityKey alice = identity(name + "/alice", alice_kind, alice_bit);
  const om::IdentityKey bob = identity(name + "/bob", bob_kind, bob_bit);
  const crypto::CurveKeyPair spk =
      crypto::curve25519_from_private(keys().curve_private(name + "/spk"));
  const ByteArray<64> nonce = keys().nonce64(name + "/spk-nonce");
  return KeySet{name,
                alice,
                bob,
                spk_id,
                spk,
                bob.sign(spk.public_key, nonce),
                nonce,
                pk_id,
                crypto::curve25519_from_private(keys().curve_private(name + "/pk")),
                crypto::curve25519_from_private(keys().curve_private(name + "/ek"))};
}

std::vector<KeySet> key_sets() {
  using K = om::IdentityKind;
  return {
      key_set("ed25519 sign 0 -> ed25519 sign 1", K::ed25519_seed, 0, K::ed25519_seed, 1, 1, 101),
      key_set("ed25519 sign 1 -> xeddsa true sign 1", K::ed25519_seed, 1, K::curve25519_xeddsa, 1,
              2, 202),
      key_set("xeddsa true sign 0 -> true-sign 1", K::curve25519_xeddsa, 0, K::curve25519_true_sign,
              1, 3, 303),
      key_set("true-sign 0 -> ed25519 sign 0", K::curve25519_true_sign, 0, K::ed25519_seed, 0, 4,
              404)};
}

// ---- x3dh.vec ----

GeneratedVectorFile x3dh() {
  VecWriter out =
      make_writer("OMEMO 2 X3DH with Ed25519-native and XEdDSA-style identities", "x3dh",
                  {"R-OM2-001", "R-OM2-002", "R-OM2-003", "R-OM2-004", "R-OM2-008"},
                  {"Profile:enum(legacy|omemo2)", "Role:enum(initiator|responder)",
                   "A_IdentityKind:enum(ed25519_seed|curve25519_xeddsa|curve25519_true_sign)",
                   "A_IdentitySecret:hex", "A_IdentityKey:hex",
                   "B_IdentityKind:enum(ed25519_seed|curve25519_xeddsa|curve25519_true_sign)",
                   "B_IdentitySecret:hex", "B_IdentityKey:hex", "B_SignedPreKeyId:int",
                   "B_SignedPreKeyPriv:hex", "B_SignedPreKeyPub:hex", "B_SignedPreKeySig:hex",
                   "B_PreKeyId:int", "B_PreKeyPriv:hex", "B_PreKeyPub:hex", "A_EphemeralPriv:hex",
                   "A_EphemeralPub:hex", "SharedSecret:hex", "AssociatedData:hex"},
                  "XEP-0384 0.9.1 §4.2; requirements.md §2.3 items 1-2");
  out.header("cross-checked", std::string(kCrossTwomemo));
  out.comment(
      "SharedSecret = HKDF-SHA-256(0^32, 0xFF*32 ‖ DH(IK_A,SPK_B) ‖ DH(EK_A,IK_B) ‖ DH(EK_A,SPK_B) "
      "‖");
  out.comment(
      "DH(EK_A,OPK_B), \"OMEMO X3DH\", 32); AssociatedData = A_IdentityKey ‖ B_IdentityKey "
      "(Ed25519).");
  out.comment("IdentitySecret: the RFC 8032 seed (ed25519_seed) or the clamped Curve25519 scalar.");
  out.comment(
      "B_SignedPreKeySig: Ed25519 by B's identity over the raw 32-byte SPK (XEdDSA for xeddsa).");
  for (const KeySet& set : key_sets()) {
    FieldList group{{"Profile", word("omemo2")}};
    append(group, identity_fields("A_", set.alice));
    append(group, identity_fields("B_", set.bob));
    append(group, set.bob_prekey_fields());
    group.emplace_back("A_EphemeralPriv", hex(set.ephemeral.private_key));
    group.emplace_back("A_EphemeralPub", hex(set.ephemeral.public_key));
    out.group(set.name, std::move(group),
              {"initiator " + describe(set.alice) + ", responder " + describe(set.bob)});
    const engine::Result<om::X3dhSecrets> secrets =
        om::x3dh_initiate(set.alice, set.bundle(), set.ephemeral);
    if (!secrets) throw std::logic_error("x3dh generator: " + secrets.failure().detail);
    for (const char* role : {"initiator", "responder"}) {
      out.record("valid", {{"Role", word(role)},
                           {"SharedSecret", hex(secrets->shared_secret)},
                           {"AssociatedData", hex(secrets->associated_data)}});
    }
    // Negatives on the initiator side: a bad SPK signature, and one over 0x05 ‖ spk.
    Signature64 flipped = set.spk_sig;
    flipped[5] ^= 0x01;
    out.record("invalid", {{"Role", word("initiator")},
                           {"Comment", text("SPK signature with one bit flipped")},
                           {"B_SignedPreKeySig", hex(flipped)},
                           {"SharedSecret", hex(secrets->shared_secret)},
                           {"AssociatedData", hex(secrets->associated_data)}});
    Bytes spk33{0x05};
    spk33.insert(spk33.end(), set.spk.public_key.begin(), set.spk.public_key.end());
    out.record("invalid",
               {{"Role", word("initiator")},
                {"Comment", text("SPK signature over 0x05 ‖ spk (the legacy input, R-OM2-004)")},
                {"B_SignedPreKeySig", hex(set.bob.sign(spk33, set.spk_nonce))},
                {"SharedSecret", hex(secrets->shared_secret)},
                {"AssociatedData", hex(secrets->associated_data)}});
  }
  // The responder refuses an initiator identity key of small order (the identity point).
  {
    const std::vector<KeySet> sets = key_sets();
    const KeySet& set = sets.front();
    FieldList group{{"Profile", word("omemo2")}};
    append(group, identity_fields("A_", set.alice));
    append(group, identity_fields("B_", set.bob));
    append(group, set.bob_prekey_fields());
    group.emplace_back("A_EphemeralPriv", hex(set.ephemeral.private_key));
    group.emplace_back("A_EphemeralPub", hex(set.ephemeral.public_key));
    out.group("responder refuses a small-order initiator identity", std::move(group));
    Bytes small_order(32, 0);
    small_order[0] = 0x01;
    out.record("invalid", {{"Role", word("responder")},
                           {"Comment", text("A_IdentityKey is the identity point (order 1)")},
                           {"A_IdentityKey", hex(small_order)},
                           {"SharedSecret", hex(Bytes(32, 0))},
                           {"AssociatedData", hex(Bytes(64, 0))}});
  }
  return {"omemo2/x3dh.vec", out.render()};
}

// ---- session.vec ----

// Drives two engine sessions and records every step.
class Conversation {
 public:
  Conversation(VecWriter& out, const KeySet& set, const std::string& label)
      : out_(out), set_(set), label_(label) {
    prekeys_.signed_prekeys[set.spk_id] = set.spk;
    prekeys_.prekeys[set.pk_id] = set.pk;
    const crypto::CurveKeyPair first = ratchet_key("alice", 1);
    FieldList group;
    append(group, identity_fields("A_", set.alice));
    append(group, identity_fields("B_", set.bob));
    append(group, set.bob_prekey_fields());
    group.emplace_back("A_EphemeralPriv", hex(set.ephemeral.private_key));
    group.emplace_back("A_RatchetPriv", hex(first.private_key));
    out.group(label, std::move(group),
              {"initiator " + describe(set.alice) + ", responder " + describe(set.bob)});
    engine::Result<om::Session> session =
        om::Session::initiate(set.alice, set.bundle(), set.ephemeral, first);
    if (!session) throw std::logic_error("session generator: " + session.failure().detail);
    alice_ = std::move(*session);
  }

  struct Sent {
    Bytes message;
    bool kex = false;
    Bytes key_material;
    std::optional<Bytes> envelope;
    Bytes payload;
  };

  // Encrypts `body` in an SCE envelope (or an empty message when nullopt).
  Sent send(bool from_alice, std::optional<std::string> body, std::string comment = {}) {
    Sent sent;
    FieldList fields{{"Op", word("encrypt")}, {"Sender", word(from_alice ? "alice" : "bob")}};
    if (!comment.empty()) fields.emplace_back("Comment", text(comment));
    if (body) {
      codec::Envelope envelope;
      envelope.content.push_back(codec::make_content_element("body", "jabber:client", *body));
      envelope.rpad = "pad" + std::to_string(++count_);
      envelope.from = from_alice ? "alice@example.org" : "bob@example.org";
      envelope.to = from_alice ? "bob@example.org" : "alice@example.org";
      const std::string xml = codec::serialize_envelope(envelope);
      sent.envelope = Bytes(xml.begin(), xml.end());
      const Key32 payload_key = keys().key32(label_ + "/payload/" + std::to_string(count_));
      const om::EncryptedPayload payload = om::encrypt_payload(*sent.envelope, payload_key);
      sent.payload = payload.ciphertext;
      sent.key_material.assign(payload.key_material.begin(), payload.key_material.end());
      fields.emplace_back("Envelope", hex(*sent.envelope));
      fields.emplace_back("PayloadKey", hex(payload_key));
      fields.emplace_back("Payload", hex(sent.payload));
    } else {
      sent.key_material.assign(om::kEmptyMessageKeyMaterial.begin(),
                               om::kEmptyMessageKeyMaterial.end());
    }
    om::Session& session = from_alice ? *alice_ : *bob_;
    const om::MessageHeader header = session.ratchet().next_header();
    const om::OutgoingKey key = session.encrypt(sent.key_material);
    sent.message = key.data;
    sent.kex = key.is_key_exchange;
    fields.emplace_back("KeyMaterial", hex(sent.key_material));
    fields.emplace_back("Kex", integer(sent.kex ? 1 : 0));
    fields.emplace_back("N", integer(header.n));
    fields.emplace_back("PN", integer(header.pn));
    fields.emplace_back("Message", hex(sent.message));
    out_.record("valid", std::move(fields));
    return sent;
  }

  // Delivers `sent` (possibly altered: `wire`) to the other party. Records what the engine did;
  // `expect_valid` states the record's Result and must match the engine's verdict.
  void deliver(bool from_alice, const Sent& sent, std::string comment = {},
               std::optional<Bytes> wire = std::nullopt,
               std::optional<Bytes> payload = std::nullopt) {
    const bool altered = wire.has_value() || payload.has_value();
    const Bytes& message = wire ? *wire : sent.message;
    std::optional<om::Session>& session = from_alice ? bob_ : alice_;
    const std::string receiver = from_alice ? "bob" : "alice";
    const crypto::CurveKeyPair candidate = ratchet_key(receiver, turns_[receiver] + 1);
    bool stepped = false;
    const om::RatchetKeySupplier supplier = [&] {
      stepped = true;
      return candidate;
    };
    std::optional<Bytes> plaintext;
    if (sent.kex) {
      engine::Result<om::KeyExchangeReceived> got = om::receive_key_exchange(
          session, message, from_alice ? set_.bob : set_.alice, prekeys_, supplier);
      if (got) {
        if (got->built_session) prekeys_.prekeys.erase(got->consumed_prekey_id);
        plaintext = got->message.plaintext;
      }
    } else if (session) {
      engine::Result<om::Received> got = session->decrypt(message, supplier);
      if (got) plaintext = got->plaintext;
    }
    bool accepted = plaintext.has_value();
    const Bytes& payload_bytes = payload ? *payload : sent.payload;
    if (accepted && sent.envelope) {
      accepted = om::decrypt_payload(*plaintext, payload_bytes).has_value();
    }
    if (accepted == altered)
      throw std::logic_error("session generator: unexpected verdict at " + comment);
    if (stepped) ++turns_[receiver];
    FieldList fields{{"Op", word("decrypt")}, {"Sender", word(from_alice ? "alice" : "bob")}};
    if (!comment.empty()) fields.emplace_back("Comment", text(comment));
    fields.emplace_back("Kex", integer(sent.kex ? 1 : 0));
    fields.emplace_back("Message", hex(message));
    if (stepped) fields.emplace_back("NewRatchetPriv", hex(candidate.private_key));
    fields.emplace_back("KeyMaterial", hex(sent.key_material));
    if (sent.envelope) {
      fields.emplace_back("Envelope", hex(*sent.envelope));
      fields.emplace_back("Payload", hex(payload_bytes));
    }
    out_.record(altered ? "invalid" : "valid", std::move(fields));
  }

  // A replay: the same bytes again, which the engine must refuse.
  void replay(bool from_alice, const Sent& sent, std::string comment) {
    deliver_expecting_refusal(from_alice, sent, std::move(comment));
  }

 private:
  void deliver_expecting_refusal(bool from_alice, const Sent& sent, std::string comment) {
    deliver(from_alice, sent, std::move(comment), sent.message);
  }

  crypto::CurveKeyPair ratchet_key(const std::string& who, int n) const {
    return crypto::curve25519_from_private(
        keys().curve_private(label_ + "/" + who + "/ratchet" + std::to_string(n)));
  }

  class Prekeys final : public om::PrekeyLookup {
   public:
    std::optional<crypto::CurveKeyPair> signed_prekey(std::uint32_t id) const override {
      auto it = signed_prekeys.find(id);
      return it == signed_prekeys.end() ? std::nullopt : std::optional(it->second);
    }
    std::optional<crypto::CurveKeyPair> prekey(std::uint32_t id) const override {
      auto it = prekeys.find(id);
      return it == prekeys.end() ? std::nullopt : std::optional(it->second);
    }
    std::map<std::uint32_t, crypto::CurveKeyPair> signed_prekeys, prekeys;
  };

  VecWriter& out_;
  const KeySet& set_;
  std::string label_;
  Prekeys prekeys_;
  std::optional<om::Session> alice_, bob_;
  std::map<std::string, int> turns_{{"alice", 1}, {"bob", 0}};
  int count_ = 0;
};

Bytes flip(Bytes bytes, std::size_t at) {
  bytes.at(at) ^= 0x01;
  return bytes;
}

GeneratedVectorFile session() {
  VecWriter out = make_writer(
      "OMEMO 2 conversations: OMEMOKeyExchange and OMEMOAuthenticatedMessage bytes",
      "omemo2-session",
      {"R-OM2-001", "R-OM2-008", "R-OM2-009", "R-OM2-010", "R-OM2-012", "R-OM2-013", "R-OM2-014",
       "R-OM2-015", "R-OM2-016", "R-OM2-017", "R-OM2-018", "R-OM2-019", "R-OM2-037", "R-OM2-050"},
      {"A_IdentityKind:enum(ed25519_seed|curve25519_xeddsa|curve25519_true_sign)",
       "A_IdentitySecret:hex",
       "A_IdentityKey:hex",
       "B_IdentityKind:enum(ed25519_seed|curve25519_xeddsa|curve25519_true_sign)",
       "B_IdentitySecret:hex",
       "B_IdentityKey:hex",
       "B_SignedPreKeyId:int",
       "B_SignedPreKeyPriv:hex",
       "B_SignedPreKeyPub:hex",
       "B_SignedPreKeySig:hex",
       "B_PreKeyId:int",
       "B_PreKeyPriv:hex",
       "B_PreKeyPub:hex",
       "A_EphemeralPriv:hex",
       "A_RatchetPriv:hex",
       "Op:enum(encrypt|decrypt)",
       "Sender:enum(alice|bob)",
       "Envelope:hex",
       "PayloadKey:hex",
       "Payload:hex",
       "KeyMaterial:hex",
       "Kex:int",
       "N:int",
       "PN:int",
       "Message:hex",
       "NewRatchetPriv:hex"},
      "XEP-0384 0.9.1 §4.2-4.5; requirements.md §2.3 items 2-7");
  out.header("cross-checked", std::string(kCrossTwomemo));
  out.header("cross-checked",
             std::string(kCrossLibomemoC) +
                 ": plays every curve25519_xeddsa party; all its decrypt records agree, its "
                 "encrypt records agree byte for byte except that libomemo-c sends libsignal's "
                 "pn = PN - 1 (n, dh_pub, ciphertext equal)");
  out.comment("Records run in order on two sessions rebuilt from the group's fixed keys (see the");
  out.comment("omemo2-session checker). PN counts the messages of the previous sending chain (the");
  out.comment(
      "Double Ratchet spec, python-doubleratchet). Envelope is the SCE <envelope> the payload");
  out.comment(
      "carries; KeyMaterial = PayloadKey ‖ HMAC/16, or 32 zero bytes for an empty message.");
  const std::vector<KeySet> sets = key_sets();
  {
    Conversation c(out, sets[1], "ed25519 initiator, xeddsa responder: turns, reordering, replay");
    auto m1 = c.send(true, "Hello Bob", "first OMEMOKeyExchange");
    auto m2 = c.send(true, "Second message, still a key exchange", "the key exchange is repeated");
    c.deliver(true, m2, "m2 first: builds the session, skipping n=0");
    c.deliver(true, m1, "m1: same ek, inner message only, skipped key");
    c.replay(true, m1, "m1 again: a replay is refused");
    auto m3 = c.send(false, "Hi Alice \xc3\xa4\xc3\xb6\xc3\xbc \xe2\x9c\x93", "Bob answers");
    auto m4 = c.send(false, std::nullopt, "an empty OMEMO message (32 zero bytes, no payload)");
    c.deliver(false, m4, "m4 before m3: Alice turns her ratchet");
    c.deliver(false, m3, "m3 late: skipped key");
    auto m5 = c.send(true, "Alice's first normal message");
    auto m6 = c.send(true, "Alice again");
    c.deliver(true, m6, "m6 first: Bob turns");
    auto m7 = c.send(false, "Bob's second chain");
    c.deliver(false, m7, "Alice turns");
    auto m8 = c.send(true, "Alice's third chain");
    c.deliver(true, m8, "Bob turns while m5 of the previous chain is still missing");
    c.deliver(true, m5, "m5 late, from the previous chain (PN = 2)");
    auto m9 = c.send(false, "Bob's third chain");
    c.deliver(false, m9, "one ciphertext byte flipped: the MAC fails",
              flip(m9.message, m9.message.size() - 1));
    c.deliver(false, m9, "m9 as sent");
  }
  {
    Conversation c(out, sets[2], "xeddsa initiator, true-sign responder: malformed deliveries");
    auto m1 = c.send(true, "one", "OMEMOKeyExchange");
    c.deliver(true, m1, "last byte of the OMEMOKeyExchange flipped: the MAC fails",
              flip(m1.message, m1.message.size() - 1));
    c.deliver(true, m1, "the ratchet opens, the payload HMAC fails (one payload bit flipped)",
              std::nullopt, flip(m1.payload, 0));
    auto m2 = c.send(true, "two", "still OMEMOKeyExchange");
    c.deliver(true, m2, "same ek: inner message only");
    auto m3 = c.send(false, "three");
    Bytes short_mac = m3.message;
    // OMEMOAuthenticatedMessage: 0a 10 <mac16> 12 ...; cut the MAC to 15 bytes.
    short_mac.erase(short_mac.begin() + 17);
    short_mac[1] = 0x0f;
    c.deliver(false, m3, "MAC of 15 bytes (R-OM2-015)", short_mac);
    c.deliver(false, m3, "as sent");
    auto m4 = c.send(true, "four", "Alice answered: no key exchange any more");
    c.deliver(true, m4);
  }
  {
    Conversation c(out, sets[0], "ed25519 sign 0 initiator, ed25519 sign 1 responder");
    auto m1 = c.send(true, "hi");
    c.deliver(true, m1);
    auto m2 = c.send(false, std::nullopt, "session completion: an empty message");
    c.deliver(false, m2);
    auto m3 = c.send(true, "after completion");
    c.deliver(true, m3);
  }
  return {"omemo2/session.vec", out.render()};
}

// ---- payload.vec ----

GeneratedVectorFile payload() {
  VecWriter out = make_writer(
      "OMEMO 2 payload: \"OMEMO Payload\" AES-256-CBC + HMAC/16 over SCE envelopes",
      "omemo2-payload", {"R-OM2-018", "R-OM2-019", "R-OM2-033", "R-OM2-037", "R-OM2-066"},
      {"Op:enum(payload|empty)", "Envelope:hex", "Body:str", "Rpad:str", "Time:str", "To:str",
       "From:str", "PayloadKey:hex", "EncKey:hex", "AuthKey:hex", "IV:hex", "Payload:hex",
       "KeyMaterial:hex"},
      "XEP-0384 0.9.1 §4.4-4.5; XEP-0420 0.5.0; requirements.md §2.3 items 5, 7");
  out.header("cross-checked",
             std::string(kCrossTwomemo) + "; envelopes parsed by Python's xml.etree");
  out.comment("EncKey ‖ AuthKey ‖ IV = HKDF-SHA-256(PayloadKey, 0^32, \"OMEMO Payload\", 80);");
  out.comment("Payload = AES-256-CBC/PKCS#7(EncKey, IV, Envelope); KeyMaterial = PayloadKey ‖");
  out.comment(
      "HMAC-SHA-256(AuthKey, Payload)[0:16]. Envelope = the serialized SCE <envelope> (content,");
  out.comment("rpad, time, to, from).");
  struct Case {
    std::string comment;
    std::string body;
    std::string rpad;
    std::optional<std::string> time, to, from;
  };
  const std::vector<Case> cases{
      {"short body, all affixes", "Hi!", "Ix1vY9", "2026-11-28T12:00:00Z", "bob@example.org",
       "alice@example.org"},
      {"non-ASCII body, no <time>",
       "Gr\xc3\xbc\xc3\x9f"
       "e \xf0\x9f\x91\x8b",
       "AAAA", std::nullopt, "bob@example.org", "alice@example.org"},
      {"body of exactly 16 bytes in the envelope's text, empty rpad", "0123456789abcdef", "",
       std::nullopt, "bob@example.org", "alice@example.org"},
      {"XML special characters in the body", "a < b & c > \"d\"", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
       "2026-11-28T12:00:00.123+01:00", "room@muc.example.org", "alice@example.org"},
      {"long rpad (must not be rejected, R-OM2-066)", "x", std::string(200, 'r'), std::nullopt,
       "bob@example.org", "alice@example.org"},
  };
  out.group("payload", {{"Op", word("payload")}});
  int n = 0;
  std::vector<std::pair<Bytes, om::EncryptedPayload>> made;
  for (const Case& c : cases) {
    codec::Envelope envelope;
    envelope.content.push_back(codec::make_content_element("body", "jabber:client", c.body));
    envelope.rpad = c.rpad;
    envelope.time = c.time;
    envelope.to = c.to;
    envelope.from = c.from;
    const std::string xml = codec::serialize_envelope(envelope);
    const Bytes envelope_bytes(xml.begin(), xml.end());
    const Key32 key = keys().key32("payload/" + std::to_string(++n));
    static constexpr Key32 kZero{};
    const Bytes derived = *crypto::hkdf_sha256(key, kZero, as_bytes(om::kPayloadInfo), 80);
    const om::EncryptedPayload sealed = om::encrypt_payload(envelope_bytes, key);
    FieldList fields{{"Comment", text(c.comment)},
                     {"Envelope", hex(envelope_bytes)},
                     {"Body", text(c.body)},
                     {"Rpad", text(c.rpad)}};
    if (c.time) fields.emplace_back("Time", text(*c.time));
    if (c.to) fields.emplace_back("To", text(*c.to));
    if (c.from) fields.emplace_back("From", text(*c.from));
    append(fields, {{"PayloadKey", hex(key)},
                    {"EncKey", hex(ByteView(derived).first(32))},
                    {"AuthKey", hex(ByteView(derived).subspan(32, 32))},
                    {"IV", hex(ByteView(derived).subspan(64))},
                    {"Payload", hex(sealed.ciphertext)},
                    {"KeyMaterial", hex(sealed.key_material)}});
    out.record("valid", std::move(fields));
    made.emplace_back(envelope_bytes, sealed);
  }
  out.group("payload, altered in transit", {{"Op", word("payload")}});
  const auto& [envelope_bytes, sealed] = made.front();
  const Bytes key_material(sealed.key_material.begin(), sealed.key_material.end());
  auto bad = [&](std::string comment, Bytes payload, Bytes material) {
    out.record("invalid", {{"Comment", text(comment)},
                           {"Envelope", hex(envelope_bytes)},
                           {"Payload", hex(payload)},
                           {"KeyMaterial", hex(material)}});
  };
  bad("one ciphertext bit flipped (R-OM2-019)", flip(sealed.ciphertext, 3), key_material);
  bad("last ciphertext block flipped", flip(sealed.ciphertext, sealed.ciphertext.size() - 1),
      key_material);
  bad("HMAC in the key material flipped", sealed.ciphertext, flip(key_material, 40));
  bad("key material of 47 bytes", sealed.ciphertext,
      Bytes(key_material.begin(), key_material.end() - 1));
  bad("ciphertext cut by one block", Bytes(sealed.ciphertext.begin(), sealed.ciphertext.end() - 16),
      key_material);
  out.group("empty OMEMO message", {{"Op", word("empty")}});
  out.record("valid",
             {{"Comment", text("32 zero bytes: the ratchet plaintext of an empty message")},
              {"KeyMaterial", hex(Bytes(32, 0))}});
  Bytes not_empty(32, 0);
  not_empty[31] = 1;
  out.record("invalid",
             {{"Comment", text("32 bytes, not all zero")}, {"KeyMaterial", hex(not_empty)}});
  out.record("invalid", {{"Comment", text("31 zero bytes")}, {"KeyMaterial", hex(Bytes(31, 0))}});
  return {"omemo2/payload.vec", out.render()};
}

// ---- bundle_signatures.vec ----

GeneratedVectorFile bundle_signatures() {
  VecWriter out =
      make_writer("OMEMO 2 signed-prekey and device-label signatures (Ed25519, both sign bits)",
                  "bundle-signature", {"R-OM2-002", "R-OM2-004", "R-OM2-027"},
                  {"Profile:enum(legacy|omemo2)", "Op:enum(spk|label)",
                   "IdentityKind:enum(ed25519_seed|curve25519_xeddsa|curve25519_true_sign)",
                   "IdentitySecret:hex", "IdentityKey:hex", "Msg:hex", "Nonce:hex", "Sig:hex"},
                  "XEP-0384 0.9.1 §4.2, §5.3.1; requirements.md §2.3 item 1");
  out.header("cross-checked",
             std::string(kCrossTwomemo) + ": xeddsa.ed25519_verify, and signing re-done");
  out.comment(
      "spk: Sig = Ed25519 signature by the identity over the raw 32-byte SPK, verified with the");
  out.comment(
      "published IdentityKey as transmitted. label: over the UTF-8 label (labelsig). Nonce is");
  out.comment("XEdDSA's Z (curve25519_xeddsa) or curvesig's random input (curve25519_true_sign);");
  out.comment("Ed25519-native signing is deterministic and has none.");
  using K = om::IdentityKind;
  const std::vector<std::tuple<std::string, K, int>> identities{
      {"ed25519 seed, sign bit 0", K::ed25519_seed, 0},
      {"ed25519 seed, sign bit 1", K::ed25519_seed, 1},
      {"xeddsa, true sign bit 0", K::curve25519_xeddsa, 0},
      {"xeddsa, true sign bit 1 (published 0)", K::curve25519_xeddsa, 1},
      {"true-sign, sign bit 0", K::curve25519_true_sign, 0},
      {"true-sign, sign bit 1", K::curve25519_true_sign, 1}};
  std::vector<om::IdentityKey> made;
  for (const auto& [name, kind, bit] : identities) {
    const om::IdentityKey id = identity("sig/" + name, kind, bit);
    made.push_back(id);
    FieldList group{{"Profile", word("omemo2")}};
    append(group, {{"IdentityKind", word(om::identity_kind_name(kind))},
                   {"IdentitySecret", hex(id.secret())},
                   {"IdentityKey", hex(id.ed25519_public())}});
    out.group(name, std::move(group));
    const Key32 spk =
        crypto::curve25519_from_private(keys().curve_private("sig/" + name + "/spk")).public_key;
    const ByteArray<64> nonce = keys().nonce64("sig/" + name + "/nonce");
    const Signature64 sig = id.sign(spk, nonce);
    FieldList valid{{"Op", word("spk")}, {"Msg", hex(spk)}};
    if (kind != K::ed25519_seed) valid.emplace_back("Nonce", hex(nonce));
    valid.emplace_back("Sig", hex(sig));
    out.record("valid", std::move(valid));
    Bytes spk33{0x05};
    spk33.insert(spk33.end(), spk.begin(), spk.end());
    out.record("invalid",
               {{"Op", word("spk")},
                {"Comment", text("signature over 0x05 ‖ spk verified against the raw spk")},
                {"Msg", hex(spk)},
                {"Sig", hex(id.sign(spk33, nonce))}});
    out.record("invalid", {{"Op", word("spk")},
                           {"Comment", text("one bit of S flipped")},
                           {"Msg", hex(spk)},
                           {"Sig", hex(flip(Bytes(sig.begin(), sig.end()), 40))}});
    const std::string label = "Phone \xf0\x9f\x93\xb1 " + std::to_string(made.size());
    const Bytes label_bytes(label.begin(), label.end());
    const Signature64 label_sig = id.sign(label_bytes, nonce);
    FieldList label_valid{{"Op", word("label")},
                          {"Comment", text("labelsig over the UTF-8 label")},
                          {"Msg", text(label)}};
    if (kind != K::ed25519_seed) label_valid.emplace_back("Nonce", hex(nonce));
    label_valid.emplace_back("Sig", hex(label_sig));
    out.record("valid", std::move(label_valid));
    out.record("invalid", {{"Op", word("label")},
                           {"Comment", text("label changed after signing")},
                           {"Msg", text(label + "!")},
                           {"Sig", hex(label_sig)}});
  }
  // The published key with the other sign bit must not verify.
  out.group("published key with the other sign bit", {{"Profile", word("omemo2")}});
  for (const om::IdentityKey& id : {made[1], made[3], made[5]}) {
    const Key32 spk =
        crypto::curve25519_from_private(keys().curve_private("sig/other-bit")).public_key;
    const Signature64 sig = id.sign(spk, keys().nonce64("sig/other-bit/nonce"));
    Key32 other = id.ed25519_public();
    other[31] ^= 0x80;
    out.record("invalid",
               {{"Op", word("spk")},
                {"Comment", text(std::string(om::identity_kind_name(id.kind())) +
                                 ": signature checked against the key with sign bit flipped")},
                {"IdentityKind", word(om::identity_kind_name(id.kind()))},
                {"IdentityKey", hex(other)},
                {"Msg", hex(spk)},
                {"Sig", hex(sig)}});
  }
  return {"omemo2/bundle_signatures.vec", out.render()};
}

// ---- fingerprints.vec ----

GeneratedVectorFile fingerprints() {
  VecWriter out = make_writer(
      "OMEMO 2 fingerprints: Curve25519 form of the identity key, 8 groups of 8 hex digits",
      "fingerprint", {"R-OM2-057"},
      {"Profile:enum(legacy|omemo2)", "IdentityKey:hex", "CurveKey:hex", "Fingerprint:str"},
      "XEP-0384 0.9.1 §8; requirements.md §2.5");
  out.header("cross-checked",
             std::string(kCrossTwomemo) + ": xeddsa.ed25519_pub_to_curve25519_pub");
  out.group("fingerprints", {{"Profile", word("omemo2")}});
  using K = om::IdentityKind;
  int n = 0;
  for (const auto& [kind, bit] : std::vector<std::pair<K, int>>{{K::ed25519_seed, 0},
                                                                {K::ed25519_seed, 1},
                                                                {K::curve25519_xeddsa, 1},
                                                                {K::curve25519_true_sign, 1}}) {
    const om::IdentityKey id = identity("fp/" + std::to_string(++n), kind, bit);
    out.record("valid",
               {{"Comment", text(describe(id))},
                {"IdentityKey", hex(id.ed25519_public())},
                {"CurveKey", hex(id.curve25519_public())},
                {"Fingerprint", text(engine::format_fingerprint(id.curve25519_public()))}});
  }
  Bytes identity_point(32, 0);
  identity_point[0] = 0x01;
  out.record("invalid",
             {{"Comment", text("the identity point (small order) has no usable Curve25519 form")},
              {"IdentityKey", hex(identity_point)},
              {"CurveKey", hex(Bytes(32, 0))},
              {"Fingerprint", text("")}});
  return {"omemo2/fingerprints.vec", out.render()};
}

// ---- wire_formats.vec ----

Bytes cat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (const ByteView part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

constexpr std::string_view kTruncationPolicy =
    "protobuf parsers (google.protobuf, protobuf-c) truncate a uint32 varint to its low 32 bits; "
    "the "
    "harness's codec rejects it (value_out_of_range). Recorded, not judged.";
constexpr std::string_view kDuplicatePolicy =
    "protobuf parsers keep the last value of a repeated non-repeated field; the harness's codec "
    "rejects the duplicate. Recorded, not judged.";

GeneratedVectorFile wire_formats() {
  VecWriter out =
      make_writer("OMEMO 2 protobuf messages, well-formed and malformed", "wire-format",
                  {"R-OM2-014", "R-OM2-015", "R-OM2-035"},
                  {"Format:enum(signal-message|prekey-signal-message|omemo-message|omemo-"
                   "authenticated-message|omemo-key-exchange)",
                   "Wire:hex", "Canonical:hex", "Notes:list"},
                  "XEP-0384 0.9.1 §12 (protobuf schema); requirements.md §2.3 protobuf");
  out.header(
      "cross-checked",
      std::string(kCrossTwomemo) +
          ": twomemo_pb2 (google.protobuf) parses the valid records and rejects the invalid ones");
  out.comment(
      "Valid: accepted, with Canonical = the re-serialization (default: Wire itself) and Notes = "
      "the");
  out.comment(
      "requirement IDs the codec must report as tolerated deviations. Invalid: the codec must "
      "reject.");
  const Key32 dh = crypto::curve25519_from_private(keys().curve_private("wire/dh")).public_key;
  const Bytes ciphertext = keys().bytes("wire/ct", 48);
  const Bytes mac = keys().bytes("wire/mac", 16);
  const Key32 ik = identity("wire/ik", om::IdentityKind::ed25519_seed, 0).ed25519_public();
  const Key32 ek = crypto::curve25519_from_private(keys().curve_private("wire/ek")).public_key;
  const Bytes f1 = field_varint(1, 7), f2 = field_varint(2, 3), f3 = field_bytes(3, dh),
              f4 = field_bytes(4, ciphertext);
  const Bytes message = cat({f1, f2, f3, f4});
  out.group("OMEMOMessage", {{"Format", word("omemo-message")}});
  out.record("valid", {{"Comment", text("canonical")}, {"Wire", hex(message)}});
  out.record("valid", {{"Comment", text("n = 0, pn = 0 emitted (proto2 required fields)")},
                       {"Wire", hex(cat({field_varint(1, 0), field_varint(2, 0), f3, f4}))}});
  out.record("invalid",
             {{"Comment", text("no ciphertext: optional in the schema, but nothing to decrypt")},
              {"Wire", hex(cat({f1, f2, f3}))}});
  out.record("valid", {{"Comment", text("fields out of order")},
                       {"Wire", hex(cat({f3, f1, f4, f2}))},
                       {"Canonical", hex(message)},
                       {"Notes", List{{"R-OM2-014"}}}});
  out.record("valid", {{"Comment", text("an unknown field 9 is skipped")},
                       {"Wire", hex(cat({message, field_bytes(9, Bytes{1, 2, 3})}))},
                       {"Canonical", hex(message)},
                       {"Notes", List{{"R-OM2-035"}}}});
  out.record("valid", {{"Comment", text("non-minimal varint for n (0x87 0x00)")},
                       {"Wire", hex(cat({Bytes{0x08, 0x87, 0x00}, f2, f3, f4}))},
                       {"Canonical", hex(message)},
                       {"Notes", List{{"R-OM2-014"}}}});
  out.record("invalid", {{"Comment", text("dh_pub missing")}, {"Wire", hex(cat({f1, f2, f4}))}});
  out.record("invalid", {{"Comment", text("n missing")}, {"Wire", hex(cat({f2, f3, f4}))}});
  out.record("invalid", {{"Comment", text("pn missing")}, {"Wire", hex(cat({f1, f3, f4}))}});
  out.record(
      "invalid",
      {{"Comment", text("dh_pub of 33 bytes (a legacy 0x05 key)")},
       {"Wire",
        hex(cat({f1, f2, field_bytes(3, cat({Bytes{0x05}, Bytes(dh.begin(), dh.end())})), f4}))}});
  out.record("invalid",
             {{"Comment", text("ciphertext of 47 bytes (not whole AES blocks)")},
              {"Wire", hex(cat({f1, f2, f3, field_bytes(4, ByteView(ciphertext).first(47))}))}});
  out.record("invalid", {{"Comment", text("varint of 11 bytes for n")},
                         {"Wire", hex(cat({Bytes{0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                                 0x80, 0x80, 0x80, 0x01},
                                           f2, f3, f4}))}});
  out.record("acceptable", {{"Comment", text("n above 2^32-1")},
                            {"Policy", text(kTruncationPolicy)},
                            {"Wire", hex(cat({field_varint(1, 0x100000000ULL), f2, f3, f4}))}});
  out.record("invalid", {{"Comment", text("truncated inside dh_pub")},
                         {"Wire", hex(Bytes(message.begin(), message.begin() + 20))}});
  out.record("invalid", {{"Comment", text("dh_pub sent as a varint (wrong wire type)")},
                         {"Wire", hex(cat({f1, f2, field_varint(3, 5), f4}))}});
  out.record("acceptable", {{"Comment", text("n twice")},
                            {"Policy", text(kDuplicatePolicy)},
                            {"Wire", hex(cat({f1, field_varint(1, 8), f2, f3, f4}))}});

  const Bytes authenticated = cat({field_bytes(1, mac), field_bytes(2, message)});
  out.group("OMEMOAuthenticatedMessage", {{"Format", word("omemo-authenticated-message")}});
  out.record("valid", {{"Comment", text("canonical")}, {"Wire", hex(authenticated)}});
  out.record("valid", {{"Comment", text("message before mac")},
                       {"Wire", hex(cat({field_bytes(2, message), field_bytes(1, mac)}))},
                       {"Canonical", hex(authenticated)},
                       {"Notes", List{{"R-OM2-014"}}}});
  out.record(
      "invalid",
      {{"Comment", text("MAC of 15 bytes (R-OM2-015)")},
       {"Wire", hex(cat({field_bytes(1, ByteView(mac).first(15)), field_bytes(2, message)}))}});
  out.record("invalid",
             {{"Comment", text("MAC of 32 bytes (untruncated HMAC)")},
              {"Wire", hex(cat({field_bytes(1, cat({mac, mac})), field_bytes(2, message)}))}});
  out.record("invalid", {{"Comment", text("mac missing")}, {"Wire", hex(field_bytes(2, message))}});
  out.record("invalid", {{"Comment", text("message missing")}, {"Wire", hex(field_bytes(1, mac))}});
  out.record("invalid",
             {{"Comment", text("embedded OMEMOMessage without dh_pub")},
              {"Wire", hex(cat({field_bytes(1, mac), field_bytes(2, cat({f1, f2, f4}))}))}});
  out.record("invalid", {{"Comment", text("a legacy version byte 0x33 in front")},
                         {"Wire", hex(cat({Bytes{0x33}, authenticated}))}});
  out.record("invalid", {{"Comment", text("a legacy SignalMessage layout (message ‖ 8-byte MAC)")},
                         {"Wire", hex(cat({Bytes{0x33}, message, ByteView(mac).first(8)}))}});

  const Bytes exchange = cat({field_varint(1, 31337), field_varint(2, 22), field_bytes(3, ik),
                              field_bytes(4, ek), field_bytes(5, authenticated)});
  out.group("OMEMOKeyExchange", {{"Format", word("omemo-key-exchange")}});
  out.record("valid", {{"Comment", text("canonical")}, {"Wire", hex(exchange)}});
  out.record("valid", {{"Comment", text("unknown field 6 after the message")},
                       {"Wire", hex(cat({exchange, field_varint(6, 1)}))},
                       {"Canonical", hex(exchange)},
                       {"Notes", List{{"R-OM2-035"}}}});
  out.record("invalid",
             {{"Comment", text("pk_id missing (a key exchange without a one-time prekey)")},
              {"Wire", hex(cat({field_varint(2, 22), field_bytes(3, ik), field_bytes(4, ek),
                                field_bytes(5, authenticated)}))}});
  out.record("invalid",
             {{"Comment", text("ik of 33 bytes (0x05 ‖ Curve25519, the legacy form)")},
              {"Wire", hex(cat({field_varint(1, 31337), field_varint(2, 22),
                                field_bytes(3, cat({Bytes{0x05}, Bytes(ek.begin(), ek.end())})),
                                field_bytes(4, ek), field_bytes(5, authenticated)}))}});
  out.record("invalid", {{"Comment", text("ek missing")},
                         {"Wire", hex(cat({field_varint(1, 31337), field_varint(2, 22),
                                           field_bytes(3, ik), field_bytes(5, authenticated)}))}});
  out.record("invalid", {{"Comment", text("message missing")},
                         {"Wire", hex(cat({field_varint(1, 31337), field_varint(2, 22),
                                           field_bytes(3, ik), field_bytes(4, ek)}))}});
  out.record("invalid",
             {{"Comment", text("embedded message with a 15-byte MAC")},
              {"Wire", hex(cat({field_varint(1, 31337), field_varint(2, 22), field_bytes(3, ik),
                                field_bytes(4, ek),
                                field_bytes(5, cat({field_bytes(1, ByteView(mac).first(15)),
                                                    field_bytes(2, message)}))}))}});
  out.record("invalid", {{"Comment", text("length of field 5 runs past the end")},
                         {"Wire", hex(Bytes(exchange.begin(), exchange.end() - 1))}});
  return {"omemo2/wire_formats.vec", out.render()};
}

}  // namespace

std::vector<GeneratedVectorFile> generate_omemo2_protocol_vectors() {
  return {bundle_signatures(), chain_kdf(), fingerprints(), payload(),
          root_kdf(),          session(),   wire_formats(), x3dh()};
}

}  // namespace oi::scenario
