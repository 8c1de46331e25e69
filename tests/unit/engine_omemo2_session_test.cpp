// OMEMO 2 sessions between two engine devices: many ratchet turns in both directions, loss and
// reordering, skip limits, key-exchange repetition and the ek compare, replays, heartbeats,
// export/import, and the rule that every failed receive leaves the state byte-for-byte unchanged.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <vector>

#include "codec/omemo2_messages.h"
#include "codec/protobuf_wire.h"
#include "crypto/curve25519.h"
#include "crypto/hash.h"
#include "crypto/random_source.h"
#include "crypto/symmetric.h"
#include "engine/omemo2/constants.h"
#include "engine/omemo2/identity.h"
#include "engine/omemo2/kdf.h"
#include "engine/omemo2/payload.h"
#include "engine/omemo2/session.h"
#include "engine/omemo2/state_io.h"

using namespace oi;
using namespace oi::engine;
using namespace oi::engine::omemo2;

namespace {

// A minimal device: identity, one signed prekey, a few one-time prekeys that are consumed when a
// key exchange builds a session, and its own random stream.
class TestDevice : public PrekeyLookup {
 public:
  TestDevice(std::uint64_t seed, IdentityKind kind, std::uint32_t first_prekey_id = 1)
      : random(crypto::RandomSource::seeded(seed)),
        identity(IdentityKey::generate(kind, random)),
        spk(crypto::curve25519_generate(random)),
        signed_prekey_signature(sign_signed_prekey(identity, spk.public_key, random)) {
    for (std::uint32_t id = first_prekey_id; id < first_prekey_id + 5; ++id)
      prekeys.emplace(id, crypto::curve25519_generate(random));
  }

  BundleKeys bundle(std::uint32_t prekey_id) const {
    BundleKeys out;
    out.identity_key = identity.ed25519_public();
    out.signed_prekey_id = kSignedPrekeyId;
    out.signed_prekey = spk.public_key;
    out.signed_prekey_signature = signed_prekey_signature;
    out.prekey_id = prekey_id;
    out.prekey = prekeys.at(prekey_id).public_key;
    return out;
  }

  std::optional<crypto::CurveKeyPair> signed_prekey(std::uint32_t id) const override {
    if (id != kSignedPrekeyId) return std::nullopt;
    return spk;
  }
  std::optional<crypto::CurveKeyPair> prekey(std::uint32_t id) const override {
    const auto it = prekeys.find(id);
    if (it == prekeys.end()) return std::nullopt;
    return it->second;
  }

  // Receives a <key>, consuming the prekey when a new session was built.
  Result<Received> receive(const OutgoingKey& key) {
    if (!key.is_key_exchange) {
      if (!session) return fail(DecryptError::no_session, "no session");
      return session->decrypt(key.data, random);
    }
    Result<KeyExchangeReceived> received =
        receive_key_exchange(session, key.data, identity, *this, random);
    if (!received) return received.failure();
    if (received->built_session) prekeys.erase(received->consumed_prekey_id);
    last_key_exchange = *received;
    return received->message;
  }

  Bytes exported() const { return session ? export_session(*session) : Bytes{}; }

  static constexpr std::uint32_t kSignedPrekeyId = 1;
  crypto::RandomSource random;
  IdentityKey identity;
  crypto::CurveKeyPair spk;
  Signature64 signed_prekey_signature;
  std::map<std::uint32_t, crypto::CurveKeyPair> prekeys;
  std::optional<Session> session;
  std::optional<KeyExchangeReceived> last_key_exchange;
};

Bytes key_material(std::uint32_t tag) {
  Bytes out(48);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(tag * 31 + i);
  return out;
}

// Alice starts a session with Bob's prekey `prekey_id`.
void connect(TestDevice& alice, const TestDevice& bob, std::uint32_t prekey_id = 1) {
  Result<Session> session = Session::initiate(alice.identity, bob.bundle(prekey_id), alice.random);
  REQUIRE(session);
  alice.session = std::move(*session);
}

OutgoingKey send(TestDevice& from, std::uint32_t tag) {
  REQUIRE(from.session);
  return from.session->encrypt(key_material(tag));
}

void deliver_ok(TestDevice& to, const OutgoingKey& key, std::uint32_t tag) {
  Result<Received> received = to.receive(key);
  INFO((received ? std::string("ok") : received.failure().detail));
  REQUIRE(received);
  CHECK(received->plaintext == key_material(tag));
}

// The receive fails with `error` and changes nothing.
void deliver_fails(TestDevice& to, const OutgoingKey& key, DecryptError error) {
  const Bytes before = to.exported();
  const auto prekeys_before = to.prekeys.size();
  Result<Received> received = to.receive(key);
  REQUIRE_FALSE(received);
  INFO(received.failure().detail);
  CHECK(decrypt_error_name(received.error()) == decrypt_error_name(error));
  CHECK(to.exported() == before);
  CHECK(to.prekeys.size() == prekeys_before);
}

codec::OmemoAuthenticatedMessage inner_message(const OutgoingKey& key) {
  if (key.is_key_exchange) {
    auto parsed = codec::parse_omemo_key_exchange(key.data);
    REQUIRE(parsed.value);
    return parsed.value->message;
  }
  auto parsed = codec::parse_omemo_authenticated_message(key.data);
  REQUIRE(parsed.value);
  return *parsed.value;
}

}  // namespace

TEST_CASE("omemo2 session: many ratchet turns in both directions, every identity kind",
          "[engine][omemo2]") {
  const IdentityKind kinds[] = {IdentityKind::ed25519_seed, IdentityKind::curve25519_xeddsa,
                                IdentityKind::curve25519_true_sign};
  const IdentityKind alice_kind = GENERATE_COPY(from_range(std::begin(kinds), std::end(kinds)));
  const IdentityKind bob_kind = GENERATE_COPY(from_range(std::begin(kinds), std::end(kinds)));
  TestDevice alice(11, alice_kind);
  TestDevice bob(22, bob_kind);
  connect(alice, bob);

  crypto::RandomSource script = crypto::RandomSource::seeded(std::uint64_t{99});
  std::uint32_t tag = 0;
  std::size_t turns = 0;
  bool alice_turn = true;
  for (int round = 0; round < 60; ++round) {
    TestDevice& from = alice_turn ? alice : bob;
    TestDevice& to = alice_turn ? bob : alice;
    const std::uint32_t burst = 1 + script.uniform(4);
    for (std::uint32_t i = 0; i < burst; ++i) {
      const OutgoingKey key = send(from, ++tag);
      deliver_ok(to, key, tag);
    }
    ++turns;
    alice_turn = !alice_turn;
  }
  CHECK(turns == 60);
  CHECK(alice.session->is_confirmed());
  CHECK(bob.session->role() == SessionRole::responder);
  // Both sides agree on the AD (initiator first) for the life of the session.
  CHECK(alice.session->ratchet().state().associated_data ==
        bob.session->ratchet().state().associated_data);
}

TEST_CASE("omemo2 session: key exchange repeated until answered, ek compare", "[engine][omemo2]") {
  TestDevice alice(1, IdentityKind::ed25519_seed);
  TestDevice bob(2, IdentityKind::curve25519_xeddsa);
  connect(alice, bob, 3);

  // R-OM2-016: three messages without a reply all carry the same key exchange.
  std::vector<OutgoingKey> sent;
  for (std::uint32_t tag = 1; tag <= 3; ++tag) sent.push_back(send(alice, tag));
  std::optional<codec::OmemoKeyExchange> first;
  for (const OutgoingKey& key : sent) {
    REQUIRE(key.is_key_exchange);
    auto parsed = codec::parse_omemo_key_exchange(key.data);
    REQUIRE(parsed.value);
    if (!first) first = parsed.value;
    CHECK(parsed.value->pk_id == 3);
    CHECK(parsed.value->spk_id == TestDevice::kSignedPrekeyId);
    CHECK(parsed.value->ik == first->ik);
    CHECK(parsed.value->ek == first->ek);
  }

  // The third arrives first and builds the session; the first and second then match the stored ek
  // and only their inner messages are processed (R-OM2-017): no second prekey consumed.
  deliver_ok(bob, sent[2], 3);
  CHECK(bob.last_key_exchange->built_session);
  CHECK_FALSE(bob.last_key_exchange->replaced_session);
  CHECK(bob.last_key_exchange->consumed_prekey_id == 3);
  CHECK(bob.prekeys.count(3) == 0);
  deliver_ok(bob, sent[0], 1);
  CHECK_FALSE(bob.last_key_exchange->built_session);
  CHECK(bob.last_key_exchange->message.used_skipped_key);
  deliver_ok(bob, sent[1], 2);

  // A replayed key exchange is a duplicate, not a new session.
  deliver_fails(bob, sent[2], DecryptError::replay);

  // Bob answers; from then on Alice sends plain OMEMOAuthenticatedMessages.
  const OutgoingKey reply = send(bob, 10);
  CHECK_FALSE(reply.is_key_exchange);
  CHECK(alice.session->sends_key_exchange());
  deliver_ok(alice, reply, 10);
  CHECK_FALSE(alice.session->sends_key_exchange());
  const OutgoingKey after = send(alice, 11);
  CHECK_FALSE(after.is_key_exchange);
  deliver_ok(bob, after, 11);

  // A key exchange with a different ek replaces the session.
  TestDevice alice_again(3, IdentityKind::ed25519_seed);
  alice_again.identity = alice.identity;
  connect(alice_again, bob, 4);
  const OutgoingKey restart = send(alice_again, 20);
  REQUIRE(restart.is_key_exchange);
  deliver_ok(bob, restart, 20);
  CHECK(bob.last_key_exchange->built_session);
  CHECK(bob.last_key_exchange->replaced_session);
  CHECK(bob.last_key_exchange->consumed_prekey_id == 4);
  // The old session is gone: its next message no longer decrypts.
  deliver_fails(bob, send(alice, 12), DecryptError::bad_data);

  // The first exchange again, after the session it built was replaced: its prekey is consumed.
  deliver_fails(bob, sent[0], DecryptError::unknown_prekey);
}

TEST_CASE("omemo2 session: lost and out-of-order messages across ratchet turns",
          "[engine][omemo2]") {
  TestDevice alice(5, IdentityKind::curve25519_true_sign);
  TestDevice bob(6, IdentityKind::ed25519_seed);
  connect(alice, bob);
  deliver_ok(bob, send(alice, 1), 1);
  deliver_ok(alice, send(bob, 2), 2);

  // Alice sends 10 in one chain; Bob gets them shuffled, two never arrive.
  std::vector<std::pair<OutgoingKey, std::uint32_t>> chain;
  for (std::uint32_t tag = 100; tag < 110; ++tag) chain.emplace_back(send(alice, tag), tag);
  const std::vector<std::size_t> order = {9, 3, 0, 7,
                                          5, 1, 8};  // 2, 4 and 6 held back; 2 and 4 lost
  for (std::size_t index : order) deliver_ok(bob, chain[index].first, chain[index].second);
  CHECK(bob.session->ratchet().state().skipped_keys.size() == 3);

  // Ratchet turn: Bob replies, Alice answers in a new chain; the held-back message of the old
  // chain still decrypts afterwards.
  deliver_ok(alice, send(bob, 200), 200);
  const OutgoingKey new_chain = send(alice, 300);
  CHECK(inner_message(new_chain).message.pn == 10);  // messages in Alice's previous chain
  deliver_ok(bob, new_chain, 300);
  deliver_ok(bob, chain[6].first, chain[6].second);

  // Old-chain message delivered twice: duplicate.
  deliver_fails(bob, chain[6].first, DecryptError::replay);
  deliver_fails(bob, chain[0].first, DecryptError::replay);

  // Messages of a chain that skipped a whole turn: Bob sends 3, Alice gets only the last, then a
  // message from Bob's next chain, then the two early ones.
  std::vector<OutgoingKey> burst;
  for (std::uint32_t tag = 400; tag < 403; ++tag) burst.push_back(send(bob, tag));
  deliver_ok(alice, burst[2], 402);
  deliver_ok(bob, send(alice, 500), 500);
  const OutgoingKey next = send(bob, 600);
  CHECK(inner_message(next).message.pn == 3);
  deliver_ok(alice, next, 600);
  deliver_ok(alice, burst[0], 400);
  deliver_ok(alice, burst[1], 401);
  CHECK(alice.session->ratchet().state().skipped_keys.empty());
}

TEST_CASE("omemo2 session: skip limits and the FIFO store of skipped keys", "[engine][omemo2]") {
  TestDevice alice(7, IdentityKind::ed25519_seed);
  TestDevice bob(8, IdentityKind::ed25519_seed);
  connect(alice, bob);
  deliver_ok(bob, send(alice, 0), 0);  // Bob: Nr = 1

  SECTION("exactly kMaxSkip skipped keys are accepted, one more is refused") {
    std::vector<OutgoingKey> sent;
    for (std::uint32_t i = 1; i <= kMaxSkip + 2; ++i) sent.push_back(send(alice, i));
    // n = 1002 would skip 1001 keys.
    deliver_fails(bob, sent[kMaxSkip + 1], DecryptError::skip_limit);
    // n = 1001 skips exactly 1000.
    deliver_ok(bob, sent[kMaxSkip], kMaxSkip + 1);
    CHECK(bob.session->ratchet().state().skipped_keys.size() == kMaxSkip);
    deliver_ok(bob, sent[0], 1);
    deliver_ok(bob, sent[kMaxSkip + 1], kMaxSkip + 2);
  }

  SECTION("the store keeps the newest 1000 keys") {
    std::vector<OutgoingKey> sent;
    for (std::uint32_t i = 1; i <= 1202; ++i) sent.push_back(send(alice, i));
    deliver_ok(bob, sent[600], 601);    // n = 601: stores n = 1..600
    deliver_ok(bob, sent[1201], 1202);  // n = 1202: stores n = 602..1201, drops the oldest 200
    CHECK(bob.session->ratchet().state().skipped_keys.size() == kMaxStoredSkippedKeys);
    deliver_fails(bob, sent[0], DecryptError::replay);    // n = 1 was dropped
    deliver_fails(bob, sent[199], DecryptError::replay);  // n = 200 was dropped
    deliver_ok(bob, sent[200], 201);                      // n = 201 is the oldest kept
    deliver_ok(bob, sent[1200], 1201);
  }

  SECTION("a previous-chain length too far ahead is refused") {
    for (std::uint32_t i = 1; i <= kMaxSkip + 1; ++i) send(alice, i);  // never delivered
    deliver_ok(alice, send(bob, 5000), 5000);
    const OutgoingKey next = send(alice, 5001);
    CHECK(inner_message(next).message.pn == kMaxSkip + 2);
    deliver_fails(bob, next, DecryptError::skip_limit);
  }

  SECTION("hostile counters are rejected without work and without change") {
    // Counters beyond the limit are refused before the MAC is even checked, so a forged message
    // with a zero MAC shows it.
    codec::OmemoMessage message;
    message.n = 0xffffffff;
    message.pn = 0;
    const Key32 ratchet_key = alice.session->ratchet().state().sending_ratchet.public_key;
    message.dh_pub.assign(ratchet_key.begin(), ratchet_key.end());
    message.ciphertext = Bytes(48, 0);
    codec::OmemoAuthenticatedMessage forged;
    forged.mac = Bytes(16, 0);
    forged.message = message;
    deliver_fails(bob, OutgoingKey{codec::serialize_omemo_authenticated_message(forged), false},
                  DecryptError::skip_limit);
    message.n = 5000;
    forged.message = message;
    deliver_fails(bob, OutgoingKey{codec::serialize_omemo_authenticated_message(forged), false},
                  DecryptError::skip_limit);
    // A new ratchet key with n beyond the limit.
    message.dh_pub.assign(32, 0x09);
    message.n = kMaxSkip + 1;
    forged.message = message;
    deliver_fails(bob, OutgoingKey{codec::serialize_omemo_authenticated_message(forged), false},
                  DecryptError::skip_limit);
  }
}

TEST_CASE("omemo2 session: failures leave the state unchanged", "[engine][omemo2]") {
  TestDevice alice(9, IdentityKind::curve25519_xeddsa);
  TestDevice bob(10, IdentityKind::curve25519_true_sign);
  connect(alice, bob);
  deliver_ok(bob, send(alice, 1), 1);
  deliver_ok(alice, send(bob, 2), 2);
  const OutgoingKey good = send(alice, 3);
  REQUIRE_FALSE(good.is_key_exchange);

  auto variant = [&](auto mutate) {
    OutgoingKey key = good;
    mutate(key.data);
    return key;
  };
  // The last byte is inside the ciphertext; byte 2 is inside the MAC.
  deliver_fails(bob, variant([](Bytes& b) { b.back() ^= 0x01; }), DecryptError::bad_data);
  deliver_fails(bob, variant([](Bytes& b) { b[2] ^= 0x80; }), DecryptError::bad_data);
  deliver_fails(bob, variant([](Bytes& b) { b.resize(b.size() - 5); }), DecryptError::bad_data);
  deliver_fails(bob, variant([](Bytes& b) { b.assign(b.size(), 0xff); }), DecryptError::bad_data);
  deliver_fails(bob, variant([](Bytes& b) { b.clear(); }), DecryptError::bad_data);

  // A MAC truncated to 8 bytes (the legacy length) is refused even though it is a correct prefix.
  {
    codec::OmemoAuthenticatedMessage message = inner_message(good);
    message.mac.resize(8);
    deliver_fails(bob, OutgoingKey{codec::serialize_omemo_authenticated_message(message), false},
                  DecryptError::bad_data);
  }
  // A message of another session.
  TestDevice mallory(12, IdentityKind::ed25519_seed);
  connect(mallory, bob, 2);
  const OutgoingKey foreign = send(mallory, 3);
  deliver_fails(
      bob, OutgoingKey{codec::serialize_omemo_authenticated_message(inner_message(foreign)), false},
      DecryptError::bad_data);
  // Key exchanges that fail while a session exists: garbage, unknown spk, unknown pk, bad MAC.
  deliver_fails(bob, OutgoingKey{Bytes(40, 0x2a), true}, DecryptError::bad_data);
  {
    auto exchange = codec::parse_omemo_key_exchange(foreign.data).value.value();
    exchange.spk_id = 77;
    deliver_fails(bob, OutgoingKey{codec::serialize_omemo_key_exchange(exchange), true},
                  DecryptError::unknown_prekey);
    exchange.spk_id = TestDevice::kSignedPrekeyId;
    exchange.pk_id = 77;
    deliver_fails(bob, OutgoingKey{codec::serialize_omemo_key_exchange(exchange), true},
                  DecryptError::unknown_prekey);
    exchange.pk_id = 2;
    exchange.message.mac[0] ^= 1;
    deliver_fails(bob, OutgoingKey{codec::serialize_omemo_key_exchange(exchange), true},
                  DecryptError::bad_data);
  }
  // After all that, the good message still decrypts, exactly once.
  deliver_ok(bob, good, 3);
  deliver_fails(bob, good, DecryptError::replay);

  // No session at all.
  TestDevice carol(13, IdentityKind::ed25519_seed);
  deliver_fails(carol, good, DecryptError::no_session);
}

TEST_CASE("omemo2 session: a MAC over non-canonical bytes is checked as received",
          "[engine][omemo2]") {
  TestDevice alice(14, IdentityKind::ed25519_seed);
  TestDevice bob(15, IdentityKind::ed25519_seed);
  connect(alice, bob);
  deliver_ok(bob, send(alice, 1), 1);
  deliver_ok(alice, send(bob, 2), 2);

  // Build Alice's next message by hand with the fields in reverse order (R-OM2-014).
  const RatchetState state = alice.session->ratchet().state();
  const ChainStep step = kdf_chain(*state.sending_chain);
  const MessageKeys keys = expand_message_key(step.message_key);
  const Bytes plaintext = key_material(3);
  const Bytes ciphertext = crypto::aes_cbc_pkcs7_encrypt(keys.encryption_key, keys.iv, plaintext);
  codec::pb::Writer writer;
  writer.bytes_field(4, ciphertext);
  writer.bytes_field(3, state.sending_ratchet.public_key);
  writer.varint_field(2, state.previous_sending_length);
  writer.varint_field(1, state.sending_n);
  codec::OmemoAuthenticatedMessage message;
  message.message_bytes = writer.take();
  Bytes mac_input(state.associated_data.begin(), state.associated_data.end());
  mac_input.insert(mac_input.end(), message.message_bytes.begin(), message.message_bytes.end());
  message.mac = crypto::hmac_sha256_truncated(keys.authentication_key, mac_input, 16);
  deliver_ok(bob, OutgoingKey{codec::serialize_omemo_authenticated_message(message), false}, 3);
}

TEST_CASE("omemo2 session: heartbeat flag on the first message of a chain with n >= 53",
          "[engine][omemo2]") {
  TestDevice alice(16, IdentityKind::ed25519_seed);
  TestDevice bob(17, IdentityKind::ed25519_seed);
  connect(alice, bob);
  std::vector<std::uint32_t> flagged;
  for (std::uint32_t n = 0; n < 60; ++n) {
    Result<Received> received = bob.receive(send(alice, n));
    REQUIRE(received);
    if (received->heartbeat_due) flagged.push_back(received->header.n);
  }
  CHECK(flagged == std::vector<std::uint32_t>{53});

  // Bob's heartbeat (an empty message) restarts Alice's next chain at n = 0.
  const OutgoingKey heartbeat = bob.session->encrypt(kEmptyMessageKeyMaterial);
  Result<Received> empty = alice.receive(heartbeat);
  REQUIRE(empty);
  CHECK(is_empty_message_key_material(empty->plaintext));
  const OutgoingKey next = send(alice, 100);
  CHECK(inner_message(next).message.n == 0);
  CHECK(inner_message(next).message.pn == 60);

  // In the new chain the first message seen with n >= 53 (here n = 55, two lost) is flagged.
  flagged.clear();
  Result<Received> first = bob.receive(next);
  REQUIRE(first);
  for (std::uint32_t n = 1; n < 60; ++n) {
    const OutgoingKey key = send(alice, 100 + n);
    if (n == 53 || n == 54) continue;
    Result<Received> received = bob.receive(key);
    REQUIRE(received);
    if (received->heartbeat_due) flagged.push_back(received->header.n);
  }
  CHECK(flagged == std::vector<std::uint32_t>{55});
}

TEST_CASE("omemo2 session: export, import and fork", "[engine][omemo2]") {
  TestDevice alice(18, IdentityKind::ed25519_seed);
  TestDevice bob(19, IdentityKind::curve25519_xeddsa);
  connect(alice, bob);
  // Unconfirmed initiator with a key exchange to repeat.
  {
    const Bytes bytes = export_session(*alice.session);
    std::optional<Session> copy = import_session(bytes);
    REQUIRE(copy);
    CHECK(copy->state() == alice.session->state());
    CHECK(export_session(*copy) == bytes);
  }
  std::vector<OutgoingKey> sent;
  for (std::uint32_t tag = 1; tag <= 4; ++tag) sent.push_back(send(alice, tag));
  deliver_ok(bob, sent[3], 4);  // two skipped keys stored

  const Bytes snapshot = bob.exported();
  std::optional<Session> fork = import_session(snapshot);
  REQUIRE(fork);
  CHECK(fork->state() == bob.session->state());
  CHECK(fork->ratchet().state().skipped_keys.size() == 3);

  deliver_ok(bob, sent[1], 2);
  deliver_fails(bob, sent[1], DecryptError::replay);
  // The fork has not seen it yet.
  Result<Received> forked = fork->decrypt(inner_message(sent[1]), bob.random);
  REQUIRE(forked);
  CHECK(forked->plaintext == key_material(2));

  // Malformed exports are refused.
  CHECK_FALSE(import_session(Bytes{}));
  CHECK_FALSE(import_session(Bytes(snapshot.begin(), snapshot.end() - 1)));
  Bytes unknown_field = snapshot;
  unknown_field.insert(unknown_field.end(), {0x50, 0x01});  // field 10, varint 1
  CHECK_FALSE(import_session(unknown_field));
  CHECK_FALSE(import_ratchet_state(Bytes{0x0a, 0x01, 0x00}));
}

TEST_CASE("omemo2 session: initiation verifies the bundle first", "[engine][omemo2]") {
  TestDevice alice(20, IdentityKind::ed25519_seed);
  TestDevice bob(21, IdentityKind::curve25519_true_sign);

  BundleKeys bundle = bob.bundle(1);
  bundle.signed_prekey_signature[10] ^= 0x01;
  crypto::RandomSource before = alice.random;
  Result<Session> bad = Session::initiate(alice.identity, bundle, alice.random);
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == DecryptError::bad_signature);
  CHECK(alice.random.bytes(8) == before.bytes(8));  // nothing drawn

  // The identity key with its sign bit flipped is another key: the signature fails.
  bundle = bob.bundle(1);
  bundle.identity_key[31] ^= 0x80;
  CHECK(Session::initiate(alice.identity, bundle, alice.random).error() ==
        DecryptError::bad_signature);

  // R-OM2-004: a signature over 0x05 || spk is not a signature over spk.
  bundle = bob.bundle(1);
  Bytes prefixed{0x05};
  prefixed.insert(prefixed.end(), bundle.signed_prekey.begin(), bundle.signed_prekey.end());
  bundle.signed_prekey_signature = bob.identity.sign(prefixed, bob.random);
  CHECK(Session::initiate(alice.identity, bundle, alice.random).error() ==
        DecryptError::bad_signature);
}
