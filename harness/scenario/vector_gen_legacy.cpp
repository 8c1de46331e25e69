// Generator of vectors/legacy/*.vec: the legacy engine (libsignal-protocol-c under
// engine/legacy, with scripted randomness) run from fixed keys. Every key comes from
// KeySource(kSeed) by label, so the output is the same on every run; the cross-check programs in
// tests/crosscheck/ verify the files with python-oldmemo.
#include <map>
#include <memory>

#include "codec/signal_messages.h"
#include "crypto/curve25519.h"
#include "crypto/hash.h"
#include "engine/device.h"
#include "engine/legacy/payload.h"
#include "engine/legacy/ratchet_steps.h"
#include "engine/legacy/session_core.h"
#include "scenario/vector_gen_writer.h"
#include "scenario/vector_generate.h"

namespace oi::scenario {
namespace {

namespace lg = engine::legacy;
using namespace vector_gen;

constexpr std::string_view kSeed = "omemo-interop protocol vectors legacy v1";
constexpr std::string_view kGenerator =
    "omemo-interop vectors generate (harness/scenario/vector_gen_legacy.cpp; libsignal-protocol-c "
    "2.3.3 with scripted randomness), fixed seed \"omemo-interop protocol vectors legacy v1\"";
constexpr std::string_view kLicense =
    "GPL-3.0-or-later (this repository; generated from our own inputs)";
constexpr std::string_view kCrossOldmemo =
    "python3-oldmemo 1.0.3 / python3-x3dh 1.0.3 / python3-doubleratchet 1.0.3 / python3-xeddsa "
    "1.0.2 / python3-cryptography (tests/crosscheck/legacy_oldmemo.py)";

const KeySource& keys() {
  static const KeySource source(kSeed);
  return source;
}

Bytes flip(Bytes bytes, std::size_t at) {
  bytes.at(at) ^= 0x01;
  return bytes;
}

Bytes concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

void append(FieldList& to, FieldList from) {
  for (auto& field : from) to.push_back(std::move(field));
}

VecWriter make_writer(std::string title, std::string check, std::vector<std::string> requirements,
                      std::vector<std::string> fields, std::string spec) {
  VecWriter out(std::move(title), std::move(check), std::move(requirements), std::move(fields));
  out.header("spec", std::move(spec));
  out.header("source",
             "generated from fixed seeds by the harness's legacy engine (libsignal-protocol-c)");
  out.header("license", std::string(kLicense));
  out.header("generator", std::string(kGenerator));
  out.header("cross-checked", std::string(kCrossOldmemo));
  return out;
}

// ---- chain_kdf.vec, root_kdf.vec ----

GeneratedVectorFile chain_kdf() {
  VecWriter out =
      make_writer("Legacy (Signal v3) KDF_CK and message-key expansion", "chain-kdf", {"R-LEG-034"},
                  {"Profile:enum(legacy|omemo2)", "ChainKey:hex", "MessageKey:hex", "EncKey:hex",
                   "AuthKey:hex", "IV:hex", "NextChainKey:hex"},
                  "libsignal-protocol-c ratchet.c; requirements.md §2.1, §2.2");
  out.comment(
      "MessageKey = HMAC-SHA-256(ChainKey, 0x01), NextChainKey = HMAC-SHA-256(ChainKey, 0x02);");
  out.comment(
      "EncKey ‖ AuthKey ‖ IV = HKDF-SHA-256(MessageKey, salt 0^32, \"WhisperMessageKeys\", 80).");
  out.comment("Each group is one chain: record n+1 starts from record n's NextChainKey.");
  for (int chain = 1; chain <= 2; ++chain) {
    out.group("legacy chain " + std::to_string(chain), {{"Profile", word("legacy")}});
    Key32 chain_key = keys().key32("chain/" + std::to_string(chain));
    for (int n = 0; n < 5; ++n) {
      static constexpr std::uint8_t kOne = 0x01;
      const lg::LegacyChainStep step = lg::legacy_chain_step(chain_key);
      out.record("valid", {{"Comment", text("message key " + std::to_string(n))},
                           {"ChainKey", hex(chain_key)},
                           {"MessageKey", hex(crypto::hmac_sha256(chain_key, ByteView(&kOne, 1)))},
                           {"EncKey", hex(step.cipher_key)},
                           {"AuthKey", hex(step.mac_key)},
                           {"IV", hex(step.iv)},
                           {"NextChainKey", hex(step.next_chain_key)}});
      chain_key = step.next_chain_key;
    }
  }
  return {"legacy/chain_kdf.vec", out.render()};
}

GeneratedVectorFile root_kdf() {
  VecWriter out = make_writer(
      "Legacy (Signal v3) KDF_RK over three DH ratchet turns", "root-kdf", {"R-LEG-034"},
      {"Profile:enum(legacy|omemo2)", "RootKey:hex", "OwnPriv:hex", "PeerPub:hex", "DhOut:hex",
       "NewRootKey:hex", "ChainKey:hex"},
      "libsignal-protocol-c ratchet.c ratchet_root_key_create_chain; requirements.md §2.2");
  out.comment("NewRootKey ‖ ChainKey = HKDF-SHA-256(salt RootKey, DhOut, \"WhisperRatchet\", 64),");
  out.comment(
      "DhOut = X25519(OwnPriv, PeerPub); PeerPub is 0x05 ‖ u. Each turn appears as the sending");
  out.comment("and as the receiving side.");
  out.group("legacy three DH ratchet turns", {{"Profile", word("legacy")}});
  Key32 root_key = keys().key32("root/rk0");
  Key32 previous = keys().curve_private("root/bob0");
  for (int turn = 1; turn <= 3; ++turn) {
    const Key32 next = keys().curve_private("root/turn" + std::to_string(turn));
    const Bytes next_public = lg::legacy_public_key(next);
    const Bytes previous_public = lg::legacy_public_key(previous);
    const Key32 dh = crypto::x25519(next, ByteView(previous_public).subspan(1)).shared_secret;
    const lg::LegacyRootStep step = lg::legacy_root_step(root_key, previous_public, next);
    for (int view = 0; view < 2; ++view) {
      const bool sender = view == 0;
      out.record("valid", {{"Comment", text("turn " + std::to_string(turn) +
                                            (sender ? ", sending side" : ", receiving side"))},
                           {"RootKey", hex(root_key)},
                           {"OwnPriv", hex(sender ? next : previous)},
                           {"PeerPub", hex(sender ? previous_public : next_public)},
                           {"DhOut", hex(dh)},
                           {"NewRootKey", hex(step.root_key)},
                           {"ChainKey", hex(step.chain_key)}});
    }
    root_key = step.root_key;
    previous = next;
  }
  return {"legacy/root_kdf.vec", out.render()};
}

// ---- key sets shared by x3dh.vec and session.vec ----

struct KeySet {
  std::string name;
  Key32 alice_identity, alice_base, alice_ratchet;
  Key32 bob_identity, bob_spk;
  std::optional<Key32> bob_opk;
  std::uint32_t spk_id = 0, opk_id = 0;
  Signature64 spk_sig{};
  ByteArray<64> spk_random{};
};

KeySet key_set(const std::string& name, bool with_opk, std::uint32_t spk_id, std::uint32_t opk_id) {
  KeySet set;
  set.name = name;
  set.alice_identity = keys().curve_private(name + "/alice/identity");
  set.alice_base = keys().curve_private(name + "/alice/base");
  set.alice_ratchet = keys().curve_private(name + "/alice/ratchet1");
  set.bob_identity = keys().curve_private(name + "/bob/identity");
  set.bob_spk = keys().curve_private(name + "/bob/spk");
  if (with_opk) set.bob_opk = keys().curve_private(name + "/bob/opk");
  set.spk_id = spk_id;
  set.opk_id = opk_id;
  set.spk_random = keys().nonce64(name + "/bob/spk-random");
  set.spk_sig =
      lg::legacy_sign(set.bob_identity, lg::legacy_public_key(set.bob_spk), set.spk_random);
  return set;
}

FieldList x3dh_keys(const KeySet& set) {
  FieldList fields{{"A_IdentityPriv", hex(set.alice_identity)},
                   {"A_IdentityPub", hex(lg::legacy_public_key(set.alice_identity))},
                   {"A_BaseKeyPriv", hex(set.alice_base)},
                   {"A_BaseKeyPub", hex(lg::legacy_public_key(set.alice_base))},
                   {"A_RatchetPriv", hex(set.alice_ratchet)},
                   {"B_IdentityPriv", hex(set.bob_identity)},
                   {"B_IdentityPub", hex(lg::legacy_public_key(set.bob_identity))},
                   {"B_SignedPreKeyPriv", hex(set.bob_spk)},
                   {"B_SignedPreKeyPub", hex(lg::legacy_public_key(set.bob_spk))}};
  if (set.bob_opk) {
    fields.emplace_back("B_PreKeyPriv", hex(*set.bob_opk));
    fields.emplace_back("B_PreKeyPub", hex(lg::legacy_public_key(*set.bob_opk)));
  }
  return fields;
}

GeneratedVectorFile x3dh() {
  VecWriter out = make_writer(
      "Legacy (Signal v3) X3DH with and without a one-time prekey, both roles", "x3dh",
      {"R-LEG-029", "A-27"},
      {"Profile:enum(legacy|omemo2)", "Role:enum(initiator|responder)", "A_IdentityPriv:hex",
       "A_IdentityPub:hex", "A_BaseKeyPriv:hex", "A_BaseKeyPub:hex", "A_RatchetPriv:hex",
       "B_IdentityPriv:hex", "B_IdentityPub:hex", "B_SignedPreKeyPriv:hex", "B_SignedPreKeyPub:hex",
       "B_PreKeyPriv:hex", "B_PreKeyPub:hex", "RootKey0:hex", "ChainKey0:hex", "RootKey1:hex",
       "SendingChainKey1:hex"},
      "libsignal-protocol-c ratchet.c ratcheting_session_{alice,bob}_initialize; requirements.md "
      "§2.2");
  out.comment(
      "RootKey0 ‖ ChainKey0 = HKDF-SHA-256(0^32, 0xFF*32 ‖ DH(IK_A,SPK_B) ‖ DH(EK_A,IK_B) ‖");
  out.comment(
      "DH(EK_A,SPK_B) [‖ DH(EK_A,OPK_B)], \"WhisperText\", 64). EK_A is A_BaseKey. Bob "
      "(responder):");
  out.comment(
      "root key RootKey0, sending chain ChainKey0 on his SPK. Alice (initiator): receiving chain");
  out.comment("ChainKey0 for Bob's SPK, then RootKey1 ‖ SendingChainKey1 = KDF_RK(RootKey0,");
  out.comment(
      "DH(A_Ratchet, SPK_B)). RootKey0 equals python-x3dh's 32-byte shared secret (HKDF prefix).");
  for (const KeySet& set : {key_set("with one-time prekey", true, 1, 11),
                            key_set("without one-time prekey (SPK only)", false, 2, 0),
                            key_set("with one-time prekey, second key set", true, 3, 33)}) {
    FieldList group{{"Profile", word("legacy")}};
    append(group, x3dh_keys(set));
    out.group(set.name, std::move(group));
    lg::LegacyX3dhKeys keys{set.alice_identity, set.alice_base, set.alice_ratchet,
                            set.bob_identity,   set.bob_spk,    set.bob_opk};
    const lg::LegacyBobSession bob = lg::legacy_x3dh_bob(keys);
    const lg::LegacyAliceSession alice = lg::legacy_x3dh_alice(keys);
    out.record("valid", {{"Role", word("responder")},
                         {"RootKey0", hex(bob.root_key)},
                         {"ChainKey0", hex(bob.sending_chain_key)}});
    out.record("valid", {{"Role", word("initiator")},
                         {"ChainKey0", hex(alice.receiving_chain_key)},
                         {"RootKey1", hex(alice.root_key)},
                         {"SendingChainKey1", hex(alice.sending_chain_key)}});
  }
  return {"legacy/x3dh.vec", out.render()};
}

// ---- session.vec ----

class Conversation {
 public:
  Conversation(VecWriter& out, const KeySet& set, const std::string& label)
      : out_(out), set_(set), label_(label) {
    alice_address_ = {"alice@example.org", 1111};
    bob_address_ = {"bob@example.org", 2222};
    lg::ImportedKeys alice_keys{
        Bytes(set.alice_identity.begin(), set.alice_identity.end()), 1111, std::nullopt, {}};
    lg::ImportedKeys bob_keys{
        Bytes(set.bob_identity.begin(), set.bob_identity.end()),
        2222,
        lg::ImportedKeys::SignedPreKey{set.spk_id, Bytes(set.bob_spk.begin(), set.bob_spk.end()),
                                       Bytes(set.spk_sig.begin(), set.spk_sig.end())},
        {}};
    if (set.bob_opk)
      bob_keys.pre_keys.emplace_back(set.opk_id, Bytes(set.bob_opk->begin(), set.bob_opk->end()));
    alice_ = std::make_unique<lg::SessionCore>(crypto::RandomSource::seeded(1), alice_keys);
    bob_ = std::make_unique<lg::SessionCore>(crypto::RandomSource::seeded(2), bob_keys);
    FieldList group{{"A_IdentityPriv", hex(set.alice_identity)},
                    {"A_IdentityPub", hex(alice_->identity_public())},
                    {"A_RegistrationId", integer(1111)},
                    {"A_DeviceId", integer(1111)},
                    {"B_IdentityPriv", hex(set.bob_identity)},
                    {"B_IdentityPub", hex(bob_->identity_public())},
                    {"B_RegistrationId", integer(2222)},
                    {"B_DeviceId", integer(2222)},
                    {"B_SignedPreKeyId", integer(set.spk_id)},
                    {"B_SignedPreKeyPriv", hex(set.bob_spk)},
                    {"B_SignedPreKeyPub", hex(lg::legacy_public_key(set.bob_spk))},
                    {"B_SignedPreKeySig", hex(set.spk_sig)}};
    if (set.bob_opk) {
      append(group, {{"B_PreKeyId", integer(set.opk_id)},
                     {"B_PreKeyPriv", hex(*set.bob_opk)},
                     {"B_PreKeyPub", hex(lg::legacy_public_key(*set.bob_opk))}});
    }
    append(group,
           {{"A_BaseKeyPriv", hex(set.alice_base)}, {"A_RatchetPriv", hex(set.alice_ratchet)}});
    out.group(label, std::move(group));
    alice_->arm_random_script(concat(set.alice_base, set.alice_ratchet));
    auto built = alice_->build_session(bob_address_, bob_->bundle_keys(),
                                       set.bob_opk ? std::optional(set.opk_id) : std::nullopt);
    if (!built || alice_->random_script_remaining() != 0)
      throw std::logic_error("legacy session generator: Alice cannot build her session");
    alice_->disarm_random_script();
  }

  struct Sent {
    Bytes message;
    bool prekey = false;
    Bytes key_material;
    std::optional<std::string> body;
    Bytes iv;
    Bytes payload;
  };

  // A body in an AES-128-GCM payload (`iv_length`, tag in the key or in the payload), or a key
  // transport message (16 bytes of key material, no payload) when `body` is nullopt.
  Sent send(bool from_alice, std::optional<std::string> body, std::string comment = {},
            std::size_t iv_length = 12, bool tag_in_payload = false) {
    Sent sent;
    sent.body = body;
    ++count_;
    FieldList fields{{"Op", word("encrypt")}, {"Sender", word(from_alice ? "alice" : "bob")}};
    if (!comment.empty()) fields.emplace_back("Comment", text(comment));
    const Bytes key = keys().bytes(label_ + "/payload-key/" + std::to_string(count_), 16);
    if (body) {
      const Bytes iv = keys().bytes(label_ + "/iv/" + std::to_string(count_), iv_length);
      lg::PayloadLayout layout;
      layout.tag_in_payload = tag_in_payload;
      const lg::SealedPayload sealed = lg::seal_payload(as_bytes(*body), key, iv, layout);
      sent.iv = sealed.iv;
      sent.payload = sealed.payload;
      sent.key_material = sealed.key_material;
      append(fields, {{"Body", text(*body)}, {"PayloadKey", hex(key)}, {"IV", hex(sent.iv)}});
      if (tag_in_payload) fields.emplace_back("TagInPayload", integer(1));
      fields.emplace_back("Payload", hex(sent.payload));
    } else {
      sent.key_material = key;  // KeyTransportElement: 16 bytes, no tag (spec §1.1)
    }
    lg::SessionCore& core = from_alice ? *alice_ : *bob_;
    core.arm_random_script({});
    auto encrypted = core.encrypt(from_alice ? bob_address_ : alice_address_, sent.key_material);
    core.disarm_random_script();
    if (!encrypted)
      throw std::logic_error("legacy session generator: " + encrypted.failure().detail);
    sent.message = encrypted->data;
    sent.prekey = encrypted->is_prekey;
    append(fields, {{"KeyMaterial", hex(sent.key_material)},
                    {"PreKey", integer(sent.prekey ? 1 : 0)},
                    {"Message", hex(sent.message)}});
    out_.record("valid", std::move(fields));
    return sent;
  }

  void deliver(bool from_alice, const Sent& sent, std::string comment = {},
               std::optional<Bytes> wire = std::nullopt,
               std::optional<Bytes> payload = std::nullopt) {
    const bool altered = wire.has_value() || payload.has_value();
    const std::string receiver = from_alice ? "bob" : "alice";
    lg::SessionCore& core = from_alice ? *bob_ : *alice_;
    const Key32 candidate = keys().curve_private(label_ + "/" + receiver + "/ratchet" +
                                                 std::to_string(turns_[receiver] + 1));
    core.arm_random_script(candidate);
    const Bytes& message = wire ? *wire : sent.message;
    auto plaintext = core.decrypt(from_alice ? alice_address_ : bob_address_, message, sent.prekey);
    const bool stepped = plaintext && core.random_script_remaining() == 0;
    core.disarm_random_script();
    bool accepted = plaintext.has_value();
    const Bytes& payload_bytes = payload ? *payload : sent.payload;
    if (accepted && sent.body)
      accepted = lg::open_payload(*plaintext, sent.iv, payload_bytes).has_value();
    if (accepted == altered)
      throw std::logic_error("legacy session generator: unexpected verdict: " + comment);
    if (stepped) ++turns_[receiver];
    FieldList fields{{"Op", word("decrypt")}, {"Sender", word(from_alice ? "alice" : "bob")}};
    if (!comment.empty()) fields.emplace_back("Comment", text(comment));
    append(fields, {{"PreKey", integer(sent.prekey ? 1 : 0)}, {"Message", hex(message)}});
    if (stepped) fields.emplace_back("NewRatchetPriv", hex(candidate));
    fields.emplace_back("KeyMaterial", hex(sent.key_material));
    if (sent.body) {
      append(fields,
             {{"Body", text(*sent.body)}, {"IV", hex(sent.iv)}, {"Payload", hex(payload_bytes)}});
    }
    out_.record(altered ? "invalid" : "valid", std::move(fields));
  }

 private:
  VecWriter& out_;
  const KeySet& set_;
  std::string label_;
  lg::RemoteAddress alice_address_, bob_address_;
  std::unique_ptr<lg::SessionCore> alice_, bob_;
  std::map<std::string, int> turns_{{"alice", 1}, {"bob", 0}};
  int count_ = 0;
};

GeneratedVectorFile session() {
  VecWriter out = make_writer(
      "Legacy OMEMO conversations: PreKeySignalMessage / SignalMessage bytes with AES-128-GCM "
      "payloads",
      "legacy-session",
      {"R-LEG-012", "R-LEG-018", "R-LEG-019", "R-LEG-021", "R-LEG-026", "R-LEG-029", "R-LEG-032",
       "R-LEG-033", "R-LEG-034", "R-LEG-035", "R-LEG-036", "R-LEG-037", "R-LEG-043", "A-01",
       "A-02"},
      {"A_IdentityPriv:hex",
       "A_IdentityPub:hex",
       "A_RegistrationId:int",
       "A_DeviceId:int",
       "B_IdentityPriv:hex",
       "B_IdentityPub:hex",
       "B_RegistrationId:int",
       "B_DeviceId:int",
       "B_SignedPreKeyId:int",
       "B_SignedPreKeyPriv:hex",
       "B_SignedPreKeyPub:hex",
       "B_SignedPreKeySig:hex",
       "B_PreKeyId:int",
       "B_PreKeyPriv:hex",
       "B_PreKeyPub:hex",
       "A_BaseKeyPriv:hex",
       "A_RatchetPriv:hex",
       "Op:enum(encrypt|decrypt)",
       "Sender:enum(alice|bob)",
       "Body:hex",
       "PayloadKey:hex",
       "IV:hex",
       "TagInPayload:int",
       "Payload:hex",
       "KeyMaterial:hex",
       "PreKey:int",
       "Message:hex",
       "NewRatchetPriv:hex"},
      "XEP-0384 0.3.0 §4.5-4.7; libsignal-protocol-c 2.3.3; requirements.md §2.2");
  out.comment(
      "Records run in order on two libsignal session cores rebuilt from the group's fixed keys");
  out.comment(
      "(see the legacy-session checker). Message is the <key> content (0x33 ‖ protobuf [‖ MAC8]);");
  out.comment(
      "KeyMaterial = AES-128-GCM key(16) ‖ tag(16), or the bare key with the tag at the end of");
  out.comment(
      "Payload (TagInPayload = 1, A-02), or 16 bytes with no payload (key transport). PN follows");
  out.comment("libsignal: previousCounter = index of the last message of the previous chain.");
  {
    const KeySet set = key_set("session with one-time prekey", true, 5, 55);
    Conversation c(out, set,
                   "with one-time prekey: turns, reordering, replay, old payload layouts");
    auto m1 = c.send(true, "Hello Bob", "PreKeySignalMessage, 12-byte IV");
    auto m2 =
        c.send(true, "Second, with a 16-byte IV", "still a PreKeySignalMessage (A-01 IV)", 16);
    c.deliver(true, m2, "m2 first: builds the session, skipping counter 0");
    c.deliver(true, m1, "m1: same base key, existing session, skipped key (R-LEG-032)");
    c.deliver(true, m1, "m1 again: duplicate (R-LEG-043)", m1.message);
    auto m3 = c.send(false, "Hi Alice \xc3\xa4\xc3\xb6\xc3\xbc",
                     "SignalMessage, 16-byte key, tag in payload (A-02)", 12, true);
    auto m4 = c.send(false, std::nullopt, "key transport: 16 bytes, no payload");
    c.deliver(false, m4, "m4 before m3: Alice turns");
    c.deliver(false, m3, "m3 late: skipped key; tag taken from the payload");
    auto m5 = c.send(true, "Alice's first SignalMessage");
    auto m6 = c.send(true, "Alice again");
    c.deliver(true, m6, "m6 first: Bob turns");
    c.deliver(true, m5, "m5 late: skipped key");
    auto m7 = c.send(false, "Bob's second chain");
    c.deliver(false, m7, "Alice turns");
    auto m8 = c.send(true, "Alice's third chain");
    c.deliver(true, m8, "one MAC byte flipped", flip(m8.message, m8.message.size() - 1));
    c.deliver(true, m8, "bad version byte 0x23", [&] {
      Bytes b = m8.message;
      b[0] = 0x23;
      return b;
    }());
    c.deliver(true, m8, "the ratchet opens (Bob turns), the GCM tag fails: one payload bit flipped",
              std::nullopt, flip(m8.payload, 0));
    auto m9 = c.send(true, "After a bad payload");
    c.deliver(true, m9, "same chain as m8");
    auto m10 = c.send(false, "", "empty body");
    c.deliver(false, m10, "Alice turns; empty body");
  }
  {
    const KeySet set = key_set("session without one-time prekey", false, 6, 0);
    Conversation c(out, set, "without one-time prekey (SPK-only, A-27)");
    auto m1 = c.send(true, "SPK only", "PreKeySignalMessage without preKeyId");
    c.deliver(true, m1);
    auto m2 = c.send(false, "reply");
    c.deliver(false, m2, "Alice turns");
    auto m3 = c.send(true, "now a SignalMessage");
    c.deliver(true, m3, "Bob turns");
  }
  return {"legacy/session.vec", out.render()};
}

// ---- bundle_signatures.vec ----

GeneratedVectorFile bundle_signatures() {
  VecWriter out = make_writer(
      "Legacy signed-prekey signatures: libsignal curvesig over the 33-byte SPK, both sign bits",
      "bundle-signature", {"R-LEG-012", "R-LEG-013", "A-11"},
      {"Profile:enum(legacy|omemo2)", "Op:enum(spk|label)", "IdentityPriv:hex", "IdentityKey:hex",
       "Msg:hex", "Random:hex", "Sig:hex"},
      "libsignal-protocol-c curve.c curve_calculate_signature / curve_verify_signature; "
      "requirements.md §2.2");
  out.comment(
      "Msg = the serialized SPK, 0x05 ‖ u (33 bytes). Sig = libsignal's curve25519_sign with its "
      "64");
  out.comment(
      "random bytes Random: an Ed25519 signature under the Ed25519 form of the identity key, "
      "whose");
  out.comment("sign bit is stored in sig[63] & 0x80. Verifiers take the sign bit from there.");
  for (int bit = 0; bit <= 1; ++bit) {
    Key32 identity{};
    for (int attempt = 0;; ++attempt) {
      identity = keys().curve_private("sig/" + std::to_string(bit) + "/" + std::to_string(attempt));
      if (((crypto::curve25519_private_to_ed25519_public(identity)[31] >> 7) & 1) == bit) break;
    }
    const Bytes identity_public = lg::legacy_public_key(identity);
    out.group("identity with Ed25519 sign bit " + std::to_string(bit),
              {{"Profile", word("legacy")},
               {"Op", word("spk")},
               {"IdentityPriv", hex(identity)},
               {"IdentityKey", hex(identity_public)}});
    for (int n = 1; n <= 2; ++n) {
      const Bytes spk = lg::legacy_public_key(
          keys().curve_private("sig/" + std::to_string(bit) + "/spk" + std::to_string(n)));
      const ByteArray<64> random =
          keys().nonce64("sig/" + std::to_string(bit) + "/random" + std::to_string(n));
      const Signature64 sig = lg::legacy_sign(identity, spk, random);
      out.record("valid", {{"Comment",
                            text(std::string("sig[63] top bit ") + ((sig[63] & 0x80) ? "1" : "0"))},
                           {"Msg", hex(spk)},
                           {"Random", hex(random)},
                           {"Sig", hex(sig)}});
      if (n == 2) continue;
      Bytes other_bit(sig.begin(), sig.end());
      other_bit[63] ^= 0x80;
      out.record("invalid", {{"Comment", text("sign bit in sig[63] inverted")},
                             {"Msg", hex(spk)},
                             {"Sig", hex(other_bit)}});
      out.record("invalid", {{"Comment", text("one bit of R flipped")},
                             {"Msg", hex(spk)},
                             {"Sig", hex(flip(Bytes(sig.begin(), sig.end()), 2))}});
      out.record(
          "invalid",
          {{"Comment", text("signature checked against the raw 32-byte SPK (OMEMO 2 input)")},
           {"Msg", hex(ByteView(spk).subspan(1))},
           {"Sig", hex(sig)}});
      const Signature64 raw_sig = lg::legacy_sign(identity, ByteView(spk).subspan(1), random);
      out.record(
          "invalid",
          {{"Comment", text("signature over the raw 32-byte SPK checked against 0x05 ‖ spk")},
           {"Msg", hex(spk)},
           {"Sig", hex(raw_sig)}});
    }
  }
  return {"legacy/bundle_signatures.vec", out.render()};
}

// ---- fingerprints.vec ----

GeneratedVectorFile fingerprints() {
  VecWriter out = make_writer(
      "Legacy fingerprints: the identity key without its 0x05 byte, 8 groups of 8 hex digits",
      "fingerprint", {"R-LEG-041"},
      {"Profile:enum(legacy|omemo2)", "IdentityKey:hex", "CurveKey:hex", "Fingerprint:str"},
      "XEP-0384 0.3.0 §7; requirements.md §2.5");
  out.group("fingerprints", {{"Profile", word("legacy")}});
  for (int n = 1; n <= 3; ++n) {
    const Bytes identity = lg::legacy_public_key(keys().curve_private("fp/" + std::to_string(n)));
    out.record("valid",
               {{"IdentityKey", hex(identity)},
                {"CurveKey", hex(ByteView(identity).subspan(1))},
                {"Fingerprint", text(engine::format_fingerprint(ByteView(identity).subspan(1)))}});
  }
  const Bytes identity = lg::legacy_public_key(keys().curve_private("fp/1"));
  out.record("invalid", {{"Comment", text("32 bytes, no 0x05 type byte")},
                         {"IdentityKey", hex(ByteView(identity).subspan(1))},
                         {"CurveKey", hex(ByteView(identity).subspan(1))},
                         {"Fingerprint", text("")}});
  Bytes wrong_type = identity;
  wrong_type[0] = 0x06;
  out.record("invalid", {{"Comment", text("type byte 0x06")},
                         {"IdentityKey", hex(wrong_type)},
                         {"CurveKey", hex(ByteView(identity).subspan(1))},
                         {"Fingerprint", text("")}});
  return {"legacy/fingerprints.vec", out.render()};
}

// ---- wire_formats.vec ----

Bytes cat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (const ByteView part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

GeneratedVectorFile wire_formats() {
  VecWriter out = make_writer(
      "Legacy SignalMessage / PreKeySignalMessage, well-formed and malformed", "wire-format",
      {"R-LEG-034", "A-27", "A-30"},
      {"Format:enum(signal-message|prekey-signal-message|omemo-message|omemo-authenticated-message|"
       "omemo-key-exchange)",
       "Wire:hex", "Canonical:hex", "Notes:list"},
      "libsignal-protocol-c protocol.c, WhisperTextProtocol.proto; requirements.md §2.2");
  out.comment(
      "Valid: accepted, with Canonical = the re-serialization (default: Wire) and Notes = the");
  out.comment("requirement IDs the codec must report. Invalid: the codec must reject.");
  const Bytes ratchet = lg::legacy_public_key(keys().curve_private("wire/ratchet"));
  const Bytes base = lg::legacy_public_key(keys().curve_private("wire/base"));
  const Bytes identity = lg::legacy_public_key(keys().curve_private("wire/identity"));
  const Bytes ciphertext = keys().bytes("wire/ct", 48);
  const Bytes mac = keys().bytes("wire/mac", 8);
  const Bytes f1 = field_bytes(1, ratchet), f2 = field_varint(2, 5), f3 = field_varint(3, 2),
              f4 = field_bytes(4, ciphertext);
  const Bytes body = cat({f1, f2, f3, f4});
  const Bytes signal = cat({Bytes{0x33}, body, mac});
  out.group("SignalMessage", {{"Format", word("signal-message")}});
  out.record("valid",
             {{"Comment", text("canonical: 0x33 ‖ protobuf ‖ MAC8")}, {"Wire", hex(signal)}});
  out.record("valid",
             {{"Comment", text("previousCounter absent (proto2 optional; re-serialized as 0)")},
              {"Wire", hex(cat({Bytes{0x33}, f1, f2, f4, mac}))},
              {"Canonical", hex(cat({Bytes{0x33}, f1, f2, field_varint(3, 0), f4, mac}))}});
  out.record("valid", {{"Comment", text("an unknown field 7 is skipped")},
                       {"Wire", hex(cat({Bytes{0x33}, body, field_varint(7, 1), mac}))},
                       {"Canonical", hex(signal)},
                       {"Notes", List{{"R-LEG-034"}}}});
  out.record("invalid", {{"Comment", text("version byte 0x23 (v2)")},
                         {"Wire", hex(cat({Bytes{0x23}, body, mac}))}});
  out.record("invalid", {{"Comment", text("version byte 0x43 (v4, unknown)")},
                         {"Wire", hex(cat({Bytes{0x43}, body, mac}))}});
  out.record("invalid", {{"Comment", text("ratchetKey missing")},
                         {"Wire", hex(cat({Bytes{0x33}, f2, f3, f4, mac}))}});
  out.record("invalid", {{"Comment", text("counter missing")},
                         {"Wire", hex(cat({Bytes{0x33}, f1, f3, f4, mac}))}});
  out.record("invalid", {{"Comment", text("ciphertext missing")},
                         {"Wire", hex(cat({Bytes{0x33}, f1, f2, f3, mac}))}});
  out.record("invalid", {{"Comment", text("shorter than version + MAC8")},
                         {"Wire", hex(Bytes{0x33, 1, 2, 3, 4, 5, 6})}});
  out.record("invalid", {{"Comment", text("varint of 11 bytes for counter")},
                         {"Wire", hex(cat({Bytes{0x33}, f1,
                                           Bytes{0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                                 0x80, 0x80, 0x80, 0x01},
                                           f3, f4, mac}))}});
  out.record(
      "invalid",
      {{"Comment", text("ratchetKey of 32 bytes (no 0x05 type byte)")},
       {"Wire",
        hex(cat({Bytes{0x33}, field_bytes(1, ByteView(ratchet).subspan(1)), f2, f3, f4, mac}))}});
  out.record("invalid", {{"Comment", text("MAC of 7 bytes: the protobuf loses its last byte")},
                         {"Wire", hex(cat({Bytes{0x33}, body, ByteView(mac).first(7)}))}});

  const Bytes pf1 = field_varint(1, 42), pf2 = field_bytes(2, base), pf3 = field_bytes(3, identity),
              pf4 = field_bytes(4, signal), pf5 = field_varint(5, 1234), pf6 = field_varint(6, 7);
  const Bytes prekey = cat({Bytes{0x33}, pf1, pf2, pf3, pf4, pf5, pf6});
  out.group("PreKeySignalMessage", {{"Format", word("prekey-signal-message")}});
  out.record("valid", {{"Comment", text("canonical")}, {"Wire", hex(prekey)}});
  out.record("valid", {{"Comment", text("registrationId absent (OMEMO has none, A-30)")},
                       {"Wire", hex(cat({Bytes{0x33}, pf1, pf2, pf3, pf4, pf6}))}});
  out.record("valid", {{"Comment", text("preKeyId absent: an SPK-only exchange (A-27)")},
                       {"Wire", hex(cat({Bytes{0x33}, pf2, pf3, pf4, pf5, pf6}))},
                       {"Notes", List{{"A-27"}}}});
  out.record("valid", {{"Comment", text("version byte 0x32: libsignal reads only the high nibble")},
                       {"Wire", hex(cat({Bytes{0x32}, pf1, pf2, pf3, pf4, pf5, pf6}))},
                       {"Notes", List{{"R-LEG-034"}}}});
  out.record("invalid", {{"Comment", text("version byte 0x23 (v2)")},
                         {"Wire", hex(cat({Bytes{0x23}, pf1, pf2, pf3, pf4, pf5, pf6}))}});
  out.record("invalid", {{"Comment", text("baseKey missing")},
                         {"Wire", hex(cat({Bytes{0x33}, pf1, pf3, pf4, pf5, pf6}))}});
  out.record("invalid", {{"Comment", text("identityKey missing")},
                         {"Wire", hex(cat({Bytes{0x33}, pf1, pf2, pf4, pf5, pf6}))}});
  out.record("invalid", {{"Comment", text("message missing")},
                         {"Wire", hex(cat({Bytes{0x33}, pf1, pf2, pf3, pf5, pf6}))}});
  out.record("invalid", {{"Comment", text("signedPreKeyId missing")},
                         {"Wire", hex(cat({Bytes{0x33}, pf1, pf2, pf3, pf4, pf5}))}});
  out.record("invalid", {{"Comment", text("truncated inside the embedded message")},
                         {"Wire", hex(Bytes(prekey.begin(), prekey.begin() + 90))}});
  out.record(
      "acceptable",
      {{"Comment", text("preKeyId above 2^32-1")},
       {"Policy", text("protobuf parsers (protobuf-c in libsignal, google.protobuf) truncate a "
                       "uint32 varint to its low 32 bits; the harness's codec rejects it. "
                       "Recorded, not judged.")},
       {"Wire",
        hex(cat({Bytes{0x33}, field_varint(1, 0x1FFFFFFFFULL), pf2, pf3, pf4, pf5, pf6}))}});
  return {"legacy/wire_formats.vec", out.render()};
}

}  // namespace

std::vector<GeneratedVectorFile> generate_legacy_protocol_vectors() {
  return {bundle_signatures(), chain_kdf(),    fingerprints(), root_kdf(),
          session(),           wire_formats(), x3dh()};
}

}  // namespace oi::scenario
