// The legacy session layer on libsignal-protocol-c: sessions in both directions, ratchet turns,
// out-of-order and lost messages, and atomic failures.
#include <catch2/catch.hpp>

#include "engine/legacy/session_core.h"

using namespace oi;
using namespace oi::engine;
using namespace oi::engine::legacy;

namespace {

const RemoteAddress kAliceAddress{"alice@example.org", 1111};
const RemoteAddress kBobAddress{"bob@example.org", 2222};

Bytes key_material(std::uint8_t fill) {
  return Bytes(32, fill);
}

struct Pair {
  SessionCore alice{crypto::RandomSource::seeded(1), 1111, 25};
  SessionCore bob{crypto::RandomSource::seeded(2), 2222, 25};

  // Alice starts a session with Bob using the first prekey of his bundle.
  void connect() {
    BundleKeys bundle = bob.bundle_keys();
    REQUIRE(alice.build_session(kBobAddress, bundle, bundle.pre_keys.front().first).has_value());
  }
};

}  // namespace

TEST_CASE("legacy: the bundle has the requested prekeys and libsignal key forms",
          "[engine][legacy]") {
  SessionCore core(crypto::RandomSource::seeded(7), 7, 100);
  BundleKeys bundle = core.bundle_keys();
  CHECK(bundle.pre_keys.size() == 100);
  CHECK(bundle.identity_key.size() == 33);
  CHECK(bundle.identity_key[0] == 0x05);
  CHECK(bundle.signed_pre_key.size() == 33);
  CHECK(bundle.signed_pre_key_signature.size() == 64);
  for (const auto& [id, key] : bundle.pre_keys) {
    CHECK(id >= 1);
    CHECK(id < 0xFFFFFF);
    CHECK(key.size() == 33);
  }
}

TEST_CASE("legacy: a seeded core is reproducible byte for byte", "[engine][legacy]") {
  SessionCore first(crypto::RandomSource::seeded(42), 5, 20);
  SessionCore second(crypto::RandomSource::seeded(42), 5, 20);
  CHECK(first.export_state() == second.export_state());
  SessionCore other(crypto::RandomSource::seeded(43), 5, 20);
  CHECK(first.identity_public() != other.identity_public());
}

TEST_CASE("legacy: messages flow both ways over many ratchet turns", "[engine][legacy]") {
  Pair pair;
  pair.connect();
  // PreKeySignalMessages until Bob answers (R-LEG-033).
  auto first = pair.alice.encrypt(kBobAddress, key_material(1));
  REQUIRE(first.has_value());
  CHECK(first->is_prekey);
  auto second = pair.alice.encrypt(kBobAddress, key_material(2));
  REQUIRE(second.has_value());
  CHECK(second->is_prekey);
  auto decrypted = pair.bob.decrypt(kAliceAddress, first->data, true);
  REQUIRE(decrypted.has_value());
  CHECK(decrypted.value() == key_material(1));
  // The repeated key exchange (same base key) decrypts on the existing session (R-LEG-032).
  auto repeated = pair.bob.decrypt(kAliceAddress, second->data, true);
  REQUIRE(repeated.has_value());
  CHECK(repeated.value() == key_material(2));

  for (std::uint8_t turn = 0; turn < 20; ++turn) {
    auto reply = pair.bob.encrypt(kAliceAddress, key_material(turn));
    REQUIRE(reply.has_value());
    CHECK_FALSE(reply->is_prekey);
    auto got = pair.alice.decrypt(kBobAddress, reply->data, false);
    REQUIRE(got.has_value());
    CHECK(got.value() == key_material(turn));
    auto answer =
        pair.alice.encrypt(kBobAddress, key_material(static_cast<std::uint8_t>(turn + 100)));
    REQUIRE(answer.has_value());
    CHECK_FALSE(answer->is_prekey);  // Alice has heard from Bob: no more key exchange
    auto back = pair.bob.decrypt(kAliceAddress, answer->data, false);
    REQUIRE(back.has_value());
    CHECK(back.value() == key_material(static_cast<std::uint8_t>(turn + 100)));
  }
}

TEST_CASE("legacy: out-of-order and lost messages", "[engine][legacy]") {
  Pair pair;
  pair.connect();
  auto kex = pair.alice.encrypt(kBobAddress, key_material(0));
  REQUIRE(pair.bob.decrypt(kAliceAddress, kex->data, true).has_value());
  auto ack = pair.bob.encrypt(kAliceAddress, key_material(1));
  REQUIRE(pair.alice.decrypt(kBobAddress, ack->data, false).has_value());

  std::vector<Bytes> sent;
  for (std::uint8_t i = 0; i < 10; ++i) {
    sent.push_back(pair.alice.encrypt(kBobAddress, key_material(i))->data);
  }
  // Deliver 9, 3, 5, 0 and never 1, 2, 4, 6, 7, 8 (lost).
  for (int index : {9, 3, 5, 0}) {
    auto got = pair.bob.decrypt(kAliceAddress, sent[static_cast<std::size_t>(index)], false);
    REQUIRE(got.has_value());
    CHECK(got.value() == key_material(static_cast<std::uint8_t>(index)));
  }
  // A replay of an already decrypted message is a duplicate (R-LEG-043).
  auto replay = pair.bob.decrypt(kAliceAddress, sent[3], false);
  REQUIRE_FALSE(replay.has_value());
  CHECK(replay.failure().error == DecryptError::replay);
}

TEST_CASE("legacy: failures leave the whole state unchanged", "[engine][legacy]") {
  Pair pair;
  pair.connect();
  auto kex = pair.alice.encrypt(kBobAddress, key_material(0));
  REQUIRE(pair.bob.decrypt(kAliceAddress, kex->data, true).has_value());
  auto ack = pair.bob.encrypt(kAliceAddress, key_material(1));
  REQUIRE(pair.alice.decrypt(kBobAddress, ack->data, false).has_value());
  auto message = pair.alice.encrypt(kBobAddress, key_material(1));
  REQUIRE_FALSE(message->is_prekey);  // a SignalMessage: 0x33 ‖ protobuf ‖ 8-byte MAC
  Bytes before = pair.bob.export_state();

  SECTION("a flipped MAC bit") {
    Bytes tampered = message->data;
    tampered.back() ^= 0x01;
    auto result = pair.bob.decrypt(kAliceAddress, tampered, message->is_prekey);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.failure().error == DecryptError::bad_data);
  }
  SECTION("truncated bytes") {
    Bytes truncated(message->data.begin(), message->data.begin() + 10);
    auto result = pair.bob.decrypt(kAliceAddress, truncated, message->is_prekey);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.failure().error == DecryptError::bad_data);
  }
  SECTION("a message from a device without a session") {
    auto result = pair.bob.decrypt({"mallory@example.org", 9}, message->data, message->is_prekey);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.failure().error == DecryptError::no_session);
  }
  CHECK(pair.bob.export_state() == before);
  // And the untouched message still decrypts afterwards.
  auto good = pair.bob.decrypt(kAliceAddress, message->data, message->is_prekey);
  REQUIRE(good.has_value());
  CHECK(good.value() == key_material(1));
}

TEST_CASE("legacy: a consumed prekey cannot be used by a second key exchange", "[engine][legacy]") {
  Pair pair;
  BundleKeys bundle = pair.bob.bundle_keys();
  std::uint32_t pre_key_id = bundle.pre_keys.front().first;
  REQUIRE(pair.alice.build_session(kBobAddress, bundle, pre_key_id).has_value());
  auto kex = pair.alice.encrypt(kBobAddress, key_material(0));
  REQUIRE(pair.bob.decrypt(kAliceAddress, kex->data, true).has_value());
  CHECK_FALSE(pair.bob.store().pre_keys.contains(pre_key_id));  // R-LEG-031

  SessionCore carol(crypto::RandomSource::seeded(3), 3333, 20);
  REQUIRE(carol.build_session(kBobAddress, bundle, pre_key_id).has_value());  // stale bundle
  auto stale = carol.encrypt(kBobAddress, key_material(9));
  Bytes before = pair.bob.export_state();
  auto result = pair.bob.decrypt({"carol@example.org", 3333}, stale->data, true);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.failure().error == DecryptError::unknown_prekey);
  CHECK(pair.bob.export_state() == before);
  // Replenishing restores the count with fresh ids.
  auto added = pair.bob.replenish_pre_keys(25);
  CHECK(added.size() == 1);
  CHECK(added.front() != pre_key_id);
}

TEST_CASE("legacy: a bundle with a bad signature is refused", "[engine][legacy]") {
  Pair pair;
  BundleKeys bundle = pair.bob.bundle_keys();
  bundle.signed_pre_key_signature[5] ^= 0x40;
  auto result = pair.alice.build_session(kBobAddress, bundle, bundle.pre_keys.front().first);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.failure().error == DecryptError::bad_signature);
  CHECK_FALSE(pair.alice.has_session(kBobAddress));
}

TEST_CASE("legacy: a counter more than 2000 ahead hits the skip limit", "[engine][legacy]") {
  Pair pair;
  pair.connect();
  auto kex = pair.alice.encrypt(kBobAddress, key_material(0));
  REQUIRE(pair.bob.decrypt(kAliceAddress, kex->data, true).has_value());
  auto ack = pair.bob.encrypt(kAliceAddress, key_material(1));
  REQUIRE(pair.alice.decrypt(kBobAddress, ack->data, false).has_value());
  Bytes last;
  for (int i = 0; i < 2002; ++i) last = pair.alice.encrypt(kBobAddress, key_material(2))->data;
  Bytes before = pair.bob.export_state();
  auto result = pair.bob.decrypt(kAliceAddress, last, false);
  REQUIRE_FALSE(result.has_value());
  INFO(result.failure().detail);
  CHECK(result.failure().error == DecryptError::skip_limit);
  CHECK(pair.bob.export_state() == before);
}
