// The legacy Device: XML in and out, recipients, trust, state export, and the receiver's reaction
// to every misbehaviour knob that applies to a legacy element.
#include <catch2/catch.hpp>

#include "codec/encrypted.h"
#include "engine/device.h"

using namespace oi;
using namespace oi::engine;

namespace {

DeviceOptions options_for(std::string jid, std::uint32_t device_id) {
  DeviceOptions options;
  options.profile = codec::Profile::legacy;
  options.jid = std::move(jid);
  options.device_id = device_id;
  options.pre_key_count = 20;
  return options;
}

struct Peers {
  std::unique_ptr<Device> alice =
      Device::create(options_for("alice@example.org", 11), crypto::RandomSource::seeded(11));
  std::unique_ptr<Device> bob =
      Device::create(options_for("bob@example.org", 22), crypto::RandomSource::seeded(22));
  DeviceAddress alice_address{"alice@example.org", 11};
  DeviceAddress bob_address{"bob@example.org", 22};
  StanzaContext to_bob{"alice@example.org", "bob@example.org", "2026-11-28T12:00:00Z"};
  StanzaContext to_alice{"bob@example.org", "alice@example.org", "2026-11-28T12:00:00Z"};

  Peers() { REQUIRE(alice->build_session(bob_address, bob->bundle()).has_value()); }

  // Sends `body` from Alice to Bob through the XML the wire would carry.
  Result<ReceivedMessage> alice_to_bob(const std::optional<std::string>& body) {
    auto output = alice->encrypt(body, {bob_address}, to_bob);
    REQUIRE(output.has_value());
    return bob->decrypt(parse(output->xml), to_bob);
  }

  // Completes the handshake so that Alice sends SignalMessages from now on.
  void acknowledge() {
    REQUIRE(alice_to_bob("hello").has_value());
    auto reply = bob->encrypt(std::nullopt, {alice_address}, to_alice);
    REQUIRE(reply.has_value());
    REQUIRE(alice->decrypt(parse(reply->xml), to_alice).has_value());
  }

  static codec::Encrypted parse(const std::string& xml) {
    codec::Parsed<codec::Encrypted> parsed = codec::parse_encrypted(xml);
    REQUIRE(parsed.value.has_value());
    return *parsed.value;
  }
};

}  // namespace

TEST_CASE("legacy device: a body travels as XML and decrypts", "[engine][legacy][device]") {
  Peers peers;
  auto output = peers.alice->encrypt("héllo Bob", {peers.bob_address}, peers.to_bob);
  REQUIRE(output.has_value());
  CHECK(output->element.iv->size() == 12);
  REQUIRE(output->element.recipients.size() == 1);
  CHECK(output->element.recipients[0].keys[0].kex);  // first message: PreKeySignalMessage
  codec::Parsed<codec::Encrypted> parsed = codec::parse_encrypted(output->xml);
  REQUIRE(parsed.value.has_value());
  CHECK_FALSE(codec::contains_must(parsed.findings));
  auto received = peers.bob->decrypt(*parsed.value, peers.to_bob);
  REQUIRE(received.has_value());
  CHECK(received->body == "héllo Bob");
  CHECK(received->was_key_exchange);
  CHECK(peers.bob->refresh_bundle() == 1);  // the consumed prekey is replaced
}

TEST_CASE("legacy device: never encrypts for itself, and for other own devices",
          "[engine][legacy][device]") {
  Peers peers;
  auto alice2 =
      Device::create(options_for("alice@example.org", 12), crypto::RandomSource::seeded(12));
  DeviceAddress alice2_address{"alice@example.org", 12};
  REQUIRE(peers.alice->build_session(alice2_address, alice2->bundle()).has_value());
  auto output = peers.alice->encrypt("hi", {peers.bob_address, alice2_address, peers.alice_address},
                                     peers.to_bob);
  REQUIRE(output.has_value());
  std::vector<std::uint32_t> rids;
  for (const auto& key : output->element.recipients[0].keys) rids.push_back(key.rid);
  CHECK(rids == std::vector<std::uint32_t>{22, 12});
  auto on_own_device = alice2->decrypt(Peers::parse(output->xml), peers.to_bob);
  REQUIRE(on_own_device.has_value());
  CHECK(on_own_device->body == "hi");
}

TEST_CASE("legacy device: key transport, not-for-this-device, device ids",
          "[engine][legacy][device]") {
  Peers peers;
  auto transport = peers.alice_to_bob(std::nullopt);
  REQUIRE(transport.has_value());
  CHECK_FALSE(transport->body.has_value());
  auto carol =
      Device::create(options_for("carol@example.org", 33), crypto::RandomSource::seeded(3));
  auto output = peers.alice->encrypt("x", {peers.bob_address}, peers.to_bob);
  auto not_mine = carol->decrypt(Peers::parse(output->xml), peers.to_bob);
  REQUIRE_FALSE(not_mine.has_value());
  CHECK(not_mine.error() == DecryptError::not_for_this_device);
  CHECK(peers.alice->fingerprint().size() == 8 * 8 + 7);
}

TEST_CASE("legacy device: manual trust skips untrusted recipients for content",
          "[engine][legacy][device]") {
  DeviceOptions options = options_for("alice@example.org", 11);
  options.trust_policy = TrustPolicy::manual;
  auto alice = Device::create(options, crypto::RandomSource::seeded(11));
  auto bob = Device::create(options_for("bob@example.org", 22), crypto::RandomSource::seeded(22));
  DeviceAddress bob_address{"bob@example.org", 22};
  StanzaContext stanza{"alice@example.org", "bob@example.org", ""};
  REQUIRE(alice->build_session(bob_address, bob->bundle()).has_value());
  auto refused = alice->encrypt("secret", {bob_address}, stanza);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error() == DecryptError::untrusted);
  CHECK(alice->encrypt(std::nullopt, {bob_address}, stanza).has_value());  // empty: no trust needed
  alice->trust().set_trusted(bob_address, bob->identity_key(), true);
  CHECK(alice->encrypt("secret", {bob_address}, stanza).has_value());
}

TEST_CASE("legacy device: export and import fork a device", "[engine][legacy][device]") {
  Peers peers;
  peers.acknowledge();
  Bytes saved = peers.bob->export_state();
  auto first = peers.alice->encrypt("one", {peers.bob_address}, peers.to_bob);
  REQUIRE(peers.bob->decrypt(Peers::parse(first->xml), peers.to_bob).has_value());
  // Restoring the earlier state makes the same message decrypt again: a replay from a fork.
  REQUIRE(peers.bob->import_state(saved));
  auto again = peers.bob->decrypt(Peers::parse(first->xml), peers.to_bob);
  REQUIRE(again.has_value());
  CHECK(again->body == "one");
  CHECK_FALSE(peers.bob->import_state(Bytes{1, 2, 3}));
}

TEST_CASE("legacy device: the receiver reacts to each sender misbehaviour",
          "[engine][legacy][device][misbehaviour]") {
  Peers peers;
  auto& knobs = peers.alice->misbehaviours();

  SECTION("wrong-ratchet-mac and truncated-ratchet-mac: bad data, state unchanged") {
    peers.acknowledge();
    for (Misbehaviour knob :
         {Misbehaviour::wrong_ratchet_mac, Misbehaviour::truncated_ratchet_mac}) {
      knobs.enable(knob);
      auto output = peers.alice->encrypt("x", {peers.bob_address}, peers.to_bob);
      knobs.disable(knob);
      Bytes before = peers.bob->export_state();
      auto result = peers.bob->decrypt(Peers::parse(output->xml), peers.to_bob);
      REQUIRE_FALSE(result.has_value());
      CHECK(result.error() == DecryptError::bad_data);
      CHECK(peers.bob->export_state() == before);
    }
  }
  SECTION("wrong-ratchet-mac inside a key exchange") {
    knobs.enable(Misbehaviour::wrong_ratchet_mac);
    Bytes before = peers.bob->export_state();
    auto result = peers.alice_to_bob("x");
    REQUIRE_FALSE(result.has_value());
    CHECK(peers.bob->export_state() == before);
  }
  SECTION("wrong-payload-mac: bad payload MAC, ratchet step undone") {
    knobs.enable(Misbehaviour::wrong_payload_mac);
    Bytes before = peers.bob->export_state();
    auto result = peers.alice_to_bob("x");
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error() == DecryptError::bad_payload_mac);
    CHECK(peers.bob->export_state() == before);
  }
  SECTION("counter-skip: decrypts") {
    peers.acknowledge();
    knobs.enable(Misbehaviour::counter_skip);
    auto result = peers.alice_to_bob("skipped ahead");
    REQUIRE(result.has_value());
    CHECK(result->body == "skipped ahead");
  }
  SECTION("counter-far-ahead: skip limit; the session stays usable for earlier messages") {
    peers.acknowledge();
    auto earlier = peers.alice->encrypt("earlier", {peers.bob_address}, peers.to_bob);
    knobs.enable(Misbehaviour::counter_far_ahead);
    Bytes before = peers.bob->export_state();
    auto result = peers.alice_to_bob("too far");
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error() == DecryptError::skip_limit);
    CHECK(peers.bob->export_state() == before);
    auto still_usable = peers.bob->decrypt(Peers::parse(earlier->xml), peers.to_bob);
    REQUIRE(still_usable.has_value());
    CHECK(still_usable->body == "earlier");
  }
  SECTION("replay-message: the second delivery is a duplicate") {
    peers.acknowledge();
    REQUIRE(peers.alice_to_bob("once").has_value());
    knobs.enable(Misbehaviour::replay_message);
    auto result = peers.alice_to_bob("ignored: the last element is sent again");
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error() == DecryptError::replay);
  }
  SECTION("reuse-consumed-prekey: the second key exchange is refused") {
    codec::Bundle stale = peers.bob->bundle();
    REQUIRE(peers.alice_to_bob("first").has_value());
    knobs.enable(Misbehaviour::reuse_consumed_prekey);
    REQUIRE(peers.alice->build_session(peers.bob_address, stale).has_value());
    Bytes before = peers.bob->export_state();
    auto result = peers.alice_to_bob("second");
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error() == DecryptError::unknown_prekey);
    CHECK(peers.bob->export_state() == before);
  }
  SECTION("key-exchange-without-prekey: libsignal accepts it (recorded, A-27)") {
    knobs.enable(Misbehaviour::key_exchange_without_prekey);
    REQUIRE(peers.alice->build_session(peers.bob_address, peers.bob->bundle()).has_value());
    auto result = peers.alice_to_bob("spk only");
    REQUIRE(result.has_value());
    CHECK(result->body == "spk only");
  }
  SECTION("bad-signed-prekey-signature: no session is built from the bundle") {
    peers.bob->misbehaviours().enable(Misbehaviour::bad_signed_prekey_signature);
    auto carol =
        Device::create(options_for("carol@example.org", 33), crypto::RandomSource::seeded(3));
    auto result = carol->build_session(peers.bob_address, peers.bob->bundle());
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error() == DecryptError::bad_signature);
    CHECK_FALSE(carol->has_session(peers.bob_address));
  }
  SECTION("legacy-key-without-type-byte: the bundle is refused") {
    peers.bob->misbehaviours().enable(Misbehaviour::legacy_key_without_type_byte);
    auto carol =
        Device::create(options_for("carol@example.org", 33), crypto::RandomSource::seeded(3));
    auto result = carol->build_session(peers.bob_address, peers.bob->bundle());
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error() == DecryptError::bad_data);
  }
  SECTION("iv-16-bytes and tag-in-payload: accepted (A-01, A-02)") {
    knobs.enable(Misbehaviour::iv_16_bytes);
    knobs.enable(Misbehaviour::tag_in_payload);
    auto output = peers.alice->encrypt("old sender", {peers.bob_address}, peers.to_bob);
    CHECK(output->element.iv->size() == 16);
    auto result = peers.bob->decrypt(Peers::parse(output->xml), peers.to_bob);
    REQUIRE(result.has_value());
    CHECK(result->body == "old sender");
  }
  SECTION("XML deviations deployed clients send are accepted") {
    Misbehaviour knob =
        GENERATE(Misbehaviour::prekey_attribute_one, Misbehaviour::prekey_attribute_omitted,
                 Misbehaviour::base64_whitespace, Misbehaviour::shuffled_children);
    knobs.enable(knob);
    auto output = peers.alice->encrypt("tolerated", {peers.bob_address}, peers.to_bob);
    INFO(misbehaviour_info(knob).name << ": " << output->xml);
    auto result = peers.bob->decrypt(Peers::parse(output->xml), peers.to_bob);
    REQUIRE(result.has_value());
    CHECK(result->body == "tolerated");
  }
  SECTION("device-id-zero and device-id-too-large: refused, nothing changes") {
    Misbehaviour knob = GENERATE(Misbehaviour::device_id_zero, Misbehaviour::device_id_too_large);
    knobs.enable(knob);
    auto output = peers.alice->encrypt("bad sid", {peers.bob_address}, peers.to_bob);
    codec::Parsed<codec::Encrypted> parsed = codec::parse_encrypted(output->xml);
    CHECK(codec::contains_requirement(parsed.findings, "R-LEG-002"));
    if (parsed.value) {
      Bytes before = peers.bob->export_state();
      auto result = peers.bob->decrypt(*parsed.value, peers.to_bob);
      REQUIRE_FALSE(result.has_value());
      CHECK(result.error() == DecryptError::bad_data);
      CHECK(peers.bob->export_state() == before);
    }
  }
}
