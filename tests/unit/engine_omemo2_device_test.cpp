// The OMEMO 2 Device: XML in and out, the SCE envelope, recipients, key exchanges, heartbeats,
// trust, prekeys and signed-prekey rotation, state export, and the receiver's reaction to every
// misbehaviour knob that applies to OMEMO 2 (state unchanged on every rejection).
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <utility>

#include "codec/bundle.h"
#include "codec/encrypted.h"
#include "codec/omemo2_messages.h"
#include "crypto/curve25519.h"
#include "engine/device.h"
#include "engine/omemo2/prekey_store.h"
#include "engine/omemo2/sce.h"
#include "engine/omemo2/x3dh.h"

using namespace oi;
using namespace oi::engine;

namespace {

constexpr std::string_view kTime = "2026-11-28T12:00:00Z";

DeviceOptions options_for(std::string jid, std::uint32_t device_id,
                          std::string identity_kind = "ed25519_seed") {
  DeviceOptions options;
  options.profile = codec::Profile::omemo2;
  options.jid = std::move(jid);
  options.device_id = device_id;
  options.pre_key_count = 25;
  options.identity_kind = std::move(identity_kind);
  return options;
}

codec::Encrypted parse(const std::string& xml) {
  codec::Parsed<codec::Encrypted> parsed = codec::parse_encrypted(xml);
  INFO(xml);
  REQUIRE(parsed.value.has_value());
  return *parsed.value;
}

// The ratchet header fields and key-exchange fields of one <key>.
struct KeyView {
  bool is_key_exchange = false;
  std::uint32_t n = 0;
  std::uint32_t prekey_id = 0;
  Bytes ephemeral_key;
};

KeyView inspect(const codec::KeyElement& key) {
  if (key.kex) {
    codec::Parsed<codec::OmemoKeyExchange> exchange = codec::parse_omemo_key_exchange(key.data);
    REQUIRE(exchange.value.has_value());
    return KeyView{true, exchange.value->message.message.n, exchange.value->pk_id,
                   exchange.value->ek};
  }
  codec::Parsed<codec::OmemoAuthenticatedMessage> message =
      codec::parse_omemo_authenticated_message(key.data);
  REQUIRE(message.value.has_value());
  return KeyView{false, message.value->message.n, 0, {}};
}

const codec::KeyElement& only_key(const EncryptedOutput& output) {
  REQUIRE(output.element.recipients.size() == 1);
  REQUIRE(output.element.recipients[0].keys.size() == 1);
  return output.element.recipients[0].keys[0];
}

struct Peers {
  std::unique_ptr<Device> alice;
  std::unique_ptr<Device> bob;
  DeviceAddress alice_address{"alice@example.org", 11};
  DeviceAddress bob_address{"bob@example.org", 22};
  StanzaContext to_bob{"alice@example.org", "bob@example.org", std::string(kTime)};
  StanzaContext to_alice{"bob@example.org", "alice@example.org", std::string(kTime)};

  explicit Peers(std::string alice_kind = "ed25519_seed", std::string bob_kind = "ed25519_seed")
      : alice(Device::create(options_for("alice@example.org", 11, std::move(alice_kind)),
                             crypto::RandomSource::seeded(11))),
        bob(Device::create(options_for("bob@example.org", 22, std::move(bob_kind)),
                           crypto::RandomSource::seeded(22))) {
    REQUIRE(alice->build_session(bob_address, bob->bundle()).has_value());
  }

  EncryptedOutput send_to_bob(const std::optional<std::string>& body) {
    auto output = alice->encrypt(body, {bob_address}, to_bob);
    REQUIRE(output.has_value());
    return *output;
  }
  EncryptedOutput send_to_alice(const std::optional<std::string>& body) {
    auto output = bob->encrypt(body, {alice_address}, to_alice);
    REQUIRE(output.has_value());
    return *output;
  }

  // Sends `body` from Alice to Bob through the XML the wire would carry.
  Result<ReceivedMessage> alice_to_bob(const std::optional<std::string>& body) {
    return bob->decrypt(parse(send_to_bob(body).xml), to_bob);
  }

  // Completes the key exchange: Bob answers with an empty message, so Alice stops sending
  // OMEMOKeyExchanges and starts a new sending chain.
  void acknowledge() {
    REQUIRE(alice_to_bob("hello").has_value());
    REQUIRE(alice->decrypt(parse(send_to_alice(std::nullopt).xml), to_alice).has_value());
  }

  // Bob's decrypt of `xml` must fail with `error` and leave his state unchanged.
  void expect_rejected(const std::string& xml, DecryptError error) {
    Bytes before = bob->export_state();
    auto result = bob->decrypt(parse(xml), to_bob);
    REQUIRE_FALSE(result.has_value());
    INFO(result.failure().detail);
    CHECK(result.error() == error);
    CHECK(bob->export_state() == before);
  }
};

bool has_must_finding(const std::vector<codec::Finding>& findings, std::string_view requirement) {
  return std::any_of(findings.begin(), findings.end(), [&](const codec::Finding& finding) {
    return finding.requirement == requirement && finding.severity == codec::Severity::must;
  });
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Basic behaviour

TEST_CASE("omemo2 device: a body travels as XML inside an SCE envelope",
          "[engine][omemo2][device]") {
  Peers peers;
  EncryptedOutput output = peers.send_to_bob("héllo Bob");
  CHECK(output.element.profile == codec::Profile::omemo2);
  CHECK_FALSE(output.element.iv.has_value());
  REQUIRE(output.element.payload.has_value());
  REQUIRE(output.element.recipients.size() == 1);
  CHECK(output.element.recipients[0].jid == "bob@example.org");
  CHECK(only_key(output).kex);  // first message: OMEMOKeyExchange (R-OM2-016)
  codec::Parsed<codec::Encrypted> parsed = codec::parse_encrypted(output.xml);
  REQUIRE(parsed.value.has_value());
  CHECK_FALSE(codec::contains_must(parsed.findings));

  auto received = peers.bob->decrypt(*parsed.value, peers.to_bob);
  REQUIRE(received.has_value());
  CHECK(received->body == "héllo Bob");
  CHECK(received->was_key_exchange);
  CHECK(received->sender_trusted);
  CHECK_FALSE(received->heartbeat_due);
  REQUIRE(received->envelope.has_value());
  const codec::Envelope& envelope = *received->envelope;
  REQUIRE(envelope.rpad.has_value());
  CHECK(envelope.rpad->size() <= 200);
  CHECK(envelope.time == std::string(kTime));
  CHECK(envelope.to == "bob@example.org");
  CHECK(envelope.from == "alice@example.org");
  CHECK_FALSE(codec::contains_must(received->envelope_findings));
  CHECK(peers.bob->refresh_bundle() == 1);  // the consumed prekey is replaced
  CHECK(peers.bob->bundle().pre_keys.size() == 25);
}

TEST_CASE("omemo2 device: bundle size, ids, signature and identity kinds",
          "[engine][omemo2][device]") {
  DeviceOptions options = options_for("bob@example.org", 0);
  options.pre_key_count = 100;
  auto bob = Device::create(options, crypto::RandomSource::seeded(5));
  CHECK(bob->device_id() >= 1);
  CHECK(bob->device_id() <= 0x7FFFFFFFU);
  codec::Bundle bundle = bob->bundle();
  CHECK(bundle.pre_keys.size() == 100);
  CHECK(bundle.identity_key == bob->identity_key());
  CHECK(bundle.identity_key.size() == 32);
  for (const codec::PreKey& pre_key : bundle.pre_keys) {
    CHECK(pre_key.id >= 1);
    CHECK(pre_key.id <= 0x7FFFFFFFU);
    CHECK(pre_key.public_key.size() == 32);
  }
  Key32 spk{};
  std::copy(bundle.signed_pre_key.begin(), bundle.signed_pre_key.end(), spk.begin());
  CHECK(omemo2::signed_prekey_signature_is_valid(bundle.identity_key, spk,
                                                 bundle.signed_pre_key_signature));
  codec::Parsed<codec::Bundle> reparsed = codec::parse_bundle(codec::serialize_bundle(bundle));
  CHECK_FALSE(codec::contains_must(reparsed.findings));
  CHECK(bob->fingerprint().size() == 8 * 8 + 7);

  options.pre_key_count = 3;  // raised to the minimum of 25 (R-OM2-006)
  CHECK(Device::create(options, crypto::RandomSource::seeded(6))->bundle().pre_keys.size() == 25);

  options.identity_kind = "no-such-kind";
  CHECK_THROWS_AS(Device::create(options, crypto::RandomSource::seeded(7)), std::invalid_argument);
  CHECK_THROWS_AS(Device::create(options_for("", 1), crypto::RandomSource::seeded(7)),
                  std::invalid_argument);
}

TEST_CASE("omemo2 device: every identity kind talks to every other", "[engine][omemo2][device]") {
  std::string alice_kind = GENERATE("ed25519_seed", "curve25519_xeddsa", "curve25519_true_sign");
  std::string bob_kind = GENERATE("ed25519_seed", "curve25519_xeddsa", "curve25519_true_sign");
  Peers peers(alice_kind, bob_kind);
  INFO(alice_kind << " -> " << bob_kind);
  auto first = peers.alice_to_bob("one");
  REQUIRE(first.has_value());
  CHECK(first->body == "one");
  auto reply = peers.alice->decrypt(parse(peers.send_to_alice("two").xml), peers.to_alice);
  REQUIRE(reply.has_value());
  CHECK(reply->body == "two");
}

TEST_CASE("omemo2 device: many turns both ways, out of order, late and lost",
          "[engine][omemo2][device]") {
  Peers peers;
  struct InFlight {
    std::string xml;
    std::string body;
    int due_round;  // delivered in this round or later
  };
  std::vector<InFlight> to_bob, to_alice;
  int sent = 0, delivered = 0, lost = 0;
  bool bob_can_send = false;

  auto deliver = [&](std::vector<InFlight>& queue, Device& receiver, const StanzaContext& stanza,
                     int round) {
    std::vector<InFlight> now, later;
    for (InFlight& message : queue) (message.due_round <= round ? now : later).push_back(message);
    std::reverse(now.begin(), now.end());  // out of order
    for (const InFlight& message : now) {
      auto received = receiver.decrypt(parse(message.xml), stanza);
      INFO("round " << round << ": " << message.body);
      REQUIRE(received.has_value());
      CHECK(received->body == message.body);
      ++delivered;
    }
    queue = std::move(later);
  };

  for (int round = 0; round < 24; ++round) {
    const bool alice_sends = round % 2 == 0 || !bob_can_send;
    Device& sender = alice_sends ? *peers.alice : *peers.bob;
    const DeviceAddress& recipient = alice_sends ? peers.bob_address : peers.alice_address;
    const StanzaContext& stanza = alice_sends ? peers.to_bob : peers.to_alice;
    std::vector<InFlight>& queue = alice_sends ? to_bob : to_alice;
    const int count = 1 + round % 4;
    for (int i = 0; i < count; ++i) {
      std::string body = fmt::format("{} #{}", alice_sends ? "alice" : "bob", sent++);
      auto output = sender.encrypt(body, {recipient}, stanza);
      REQUIRE(output.has_value());
      if (round > 0 && sent % 7 == 3) {
        ++lost;  // dropped on the way
        continue;
      }
      // Every fifth message arrives three rounds late, after later chains.
      int due = sent % 5 == 1 ? round + 3 : round;
      queue.push_back(InFlight{output->xml, body, due});
    }
    deliver(to_bob, *peers.bob, peers.to_bob, round);
    deliver(to_alice, *peers.alice, peers.to_alice, round);
    bob_can_send = bob_can_send || peers.bob->has_session(peers.alice_address);
  }
  deliver(to_bob, *peers.bob, peers.to_bob, 1000);
  deliver(to_alice, *peers.alice, peers.to_alice, 1000);
  CHECK(lost > 0);
  CHECK(delivered + lost == sent);
}

TEST_CASE("omemo2 device: own other devices get keys, the sending device never",
          "[engine][omemo2][device]") {
  Peers peers;
  auto alice2 =
      Device::create(options_for("alice@example.org", 12), crypto::RandomSource::seeded(12));
  DeviceAddress alice2_address{"alice@example.org", 12};
  REQUIRE(peers.alice->build_session(alice2_address, alice2->bundle()).has_value());
  auto output = peers.alice->encrypt("hi", {peers.bob_address, alice2_address, peers.alice_address},
                                     peers.to_bob);
  REQUIRE(output.has_value());
  REQUIRE(output->element.recipients.size() == 2);
  CHECK(output->element.recipients[0].jid == "bob@example.org");
  CHECK(output->element.recipients[1].jid == "alice@example.org");
  REQUIRE(output->element.recipients[1].keys.size() == 1);
  CHECK(output->element.recipients[1].keys[0].rid == 12);
  for (Device* receiver : {peers.bob.get(), alice2.get()}) {
    auto received = receiver->decrypt(parse(output->xml), peers.to_bob);
    REQUIRE(received.has_value());
    CHECK(received->body == "hi");
  }
  // Only the sending device: nothing to encrypt for.
  auto alone = peers.alice->encrypt("hi", {peers.alice_address}, peers.to_bob);
  REQUIRE_FALSE(alone.has_value());
  CHECK(alone.error() == DecryptError::bad_data);
  // Not addressed to Carol: not for this device, and a <keys> for another JID does not count.
  auto carol =
      Device::create(options_for("carol@example.org", 22), crypto::RandomSource::seeded(3));
  auto not_mine = carol->decrypt(parse(output->xml), peers.to_bob);
  REQUIRE_FALSE(not_mine.has_value());
  CHECK(not_mine.error() == DecryptError::not_for_this_device);
  // No session with a recipient: refused before anything changes.
  Bytes before = peers.alice->export_state();
  auto no_session = peers.alice->encrypt("x", {{"carol@example.org", 22}}, peers.to_bob);
  REQUIRE_FALSE(no_session.has_value());
  CHECK(no_session.error() == DecryptError::no_session);
  CHECK(peers.alice->export_state() == before);
}

TEST_CASE("omemo2 device: the key exchange is repeated until the peer answers",
          "[engine][omemo2][device]") {
  Peers peers;
  std::vector<EncryptedOutput> outputs;
  for (int i = 0; i < 3; ++i) outputs.push_back(peers.send_to_bob(fmt::format("m{}", i)));
  KeyView first = inspect(only_key(outputs[0]));
  for (const EncryptedOutput& output : outputs) {
    KeyView key = inspect(only_key(output));
    CHECK(key.is_key_exchange);  // R-OM2-016: same ik, ek, pk_id on every message
    CHECK(key.ephemeral_key == first.ephemeral_key);
    CHECK(key.prekey_id == first.prekey_id);
  }
  // The third arrives first and builds the session; the others are matched by their ek
  // (R-OM2-017) and consume nothing.
  auto third = peers.bob->decrypt(parse(outputs[2].xml), peers.to_bob);
  REQUIRE(third.has_value());
  CHECK(third->was_key_exchange);
  for (int i : {0, 1}) {
    auto received = peers.bob->decrypt(parse(outputs[i].xml), peers.to_bob);
    REQUIRE(received.has_value());
    CHECK(received->body == fmt::format("m{}", i));
    CHECK_FALSE(received->was_key_exchange);
  }
  CHECK(peers.bob->bundle().pre_keys.size() == 24);
  CHECK(peers.bob->refresh_bundle() == 1);

  auto answer = peers.alice->decrypt(parse(peers.send_to_alice(std::nullopt).xml), peers.to_alice);
  REQUIRE(answer.has_value());
  CHECK_FALSE(answer->body.has_value());
  CHECK_FALSE(inspect(only_key(peers.send_to_bob("after the answer"))).is_key_exchange);
}

TEST_CASE("omemo2 device: empty messages", "[engine][omemo2][device]") {
  Peers peers;
  EncryptedOutput empty = peers.send_to_bob(std::nullopt);
  CHECK_FALSE(empty.element.payload.has_value());
  CHECK(empty.xml.find("<payload") == std::string::npos);
  auto received = peers.bob->decrypt(parse(empty.xml), peers.to_bob);
  REQUIRE(received.has_value());
  CHECK_FALSE(received->body.has_value());
  CHECK_FALSE(received->envelope.has_value());

  SECTION("48-byte key material without a <payload> is refused") {
    codec::Encrypted element = parse(peers.send_to_bob("content").xml);
    element.payload.reset();
    Bytes before = peers.bob->export_state();
    auto result = peers.bob->decrypt(element, peers.to_bob);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error() == DecryptError::bad_data);
    CHECK(peers.bob->export_state() == before);
  }
  SECTION("empty-message key material with a <payload> is refused") {
    Bytes payload = *parse(peers.send_to_bob("content").xml).payload;
    codec::Encrypted element = parse(peers.send_to_bob(std::nullopt).xml);
    element.payload = payload;
    Bytes before = peers.bob->export_state();
    auto result = peers.bob->decrypt(element, peers.to_bob);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error() == DecryptError::bad_data);
    CHECK(peers.bob->export_state() == before);
  }
}

TEST_CASE("omemo2 device: heartbeat due on the first message of a chain with n >= 53",
          "[engine][omemo2][device]") {
  Peers peers;
  peers.acknowledge();
  for (int round = 0; round < 2; ++round) {
    for (std::uint32_t i = 0; i < 60; ++i) {
      EncryptedOutput output = peers.send_to_bob(fmt::format("n={}", i));
      CHECK(inspect(only_key(output)).n == i);  // a new chain restarts at 0
      auto received = peers.bob->decrypt(parse(output.xml), peers.to_bob);
      REQUIRE(received.has_value());
      INFO("round " << round << " n=" << i);
      CHECK(received->heartbeat_due == (i == 53));
    }
    // The heartbeat: an empty message; Alice's next chain starts at 0 again.
    REQUIRE(peers.alice->decrypt(parse(peers.send_to_alice(std::nullopt).xml), peers.to_alice)
                .has_value());
  }
}

TEST_CASE("omemo2 device: trust policies gate content, not empty messages",
          "[engine][omemo2][device]") {
  SECTION("manual") {
    DeviceOptions options = options_for("alice@example.org", 11);
    options.trust_policy = TrustPolicy::manual;
    auto alice = Device::create(options, crypto::RandomSource::seeded(11));
    auto bob = Device::create(options_for("bob@example.org", 22), crypto::RandomSource::seeded(22));
    DeviceAddress bob_address{"bob@example.org", 22};
    StanzaContext stanza{"alice@example.org", "bob@example.org", std::string(kTime)};
    REQUIRE(alice->build_session(bob_address, bob->bundle()).has_value());
    auto refused = alice->encrypt("secret", {bob_address}, stanza);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == DecryptError::untrusted);
    CHECK(alice->encrypt(std::nullopt, {bob_address}, stanza).has_value());
    alice->trust().set_trusted(bob_address, bob->identity_key(), true);
    CHECK(alice->encrypt("secret", {bob_address}, stanza).has_value());
  }
  SECTION("btbv: once one device of a JID is verified, unverified ones are skipped") {
    Peers peers;
    auto bob2 =
        Device::create(options_for("bob@example.org", 23), crypto::RandomSource::seeded(23));
    DeviceAddress bob2_address{"bob@example.org", 23};
    REQUIRE(peers.alice->build_session(bob2_address, bob2->bundle()).has_value());
    CHECK(peers.alice->encrypt("x", {peers.bob_address, bob2_address}, peers.to_bob)
              ->skipped_untrusted.empty());
    peers.alice->trust().set_trusted(peers.bob_address, peers.bob->identity_key(), true);
    auto output = peers.alice->encrypt("x", {peers.bob_address, bob2_address}, peers.to_bob);
    REQUIRE(output.has_value());
    CHECK(output->skipped_untrusted == std::vector<DeviceAddress>{bob2_address});
    CHECK(output->element.recipients[0].keys.size() == 1);
  }
  SECTION("tofu: a new identity for a known device is not trusted") {
    DeviceOptions options = options_for("alice@example.org", 11);
    options.trust_policy = TrustPolicy::tofu;
    auto alice = Device::create(options, crypto::RandomSource::seeded(11));
    auto bob = Device::create(options_for("bob@example.org", 22), crypto::RandomSource::seeded(22));
    DeviceAddress bob_address{"bob@example.org", 22};
    StanzaContext to_bob{"alice@example.org", "bob@example.org", std::string(kTime)};
    StanzaContext to_alice{"bob@example.org", "alice@example.org", std::string(kTime)};
    REQUIRE(alice->build_session(bob_address, bob->bundle()).has_value());
    CHECK(alice->encrypt("first key", {bob_address}, to_bob).has_value());
    // Bob reinstalls under the same device id with a new identity.
    auto new_bob =
        Device::create(options_for("bob@example.org", 22), crypto::RandomSource::seeded(99));
    REQUIRE(alice->build_session(bob_address, new_bob->bundle()).has_value());
    auto refused = alice->encrypt("second key", {bob_address}, to_bob);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == DecryptError::untrusted);
    auto empty = alice->encrypt(std::nullopt, {bob_address}, to_bob);
    REQUIRE(empty.has_value());
    REQUIRE(new_bob->decrypt(parse(empty->xml), to_bob).has_value());
    // Messages from the untrusted identity decrypt, flagged (R-OM2-056).
    auto from_new = new_bob->encrypt("hi", {{"alice@example.org", 11}}, to_alice);
    REQUIRE(from_new.has_value());
    auto received = alice->decrypt(parse(from_new->xml), to_alice);
    REQUIRE(received.has_value());
    CHECK(received->body == "hi");
    CHECK_FALSE(received->sender_trusted);
  }
}

TEST_CASE("omemo2 device: export and import fork a device", "[engine][omemo2][device]") {
  Peers peers;
  Bytes fresh = peers.bob->export_state();
  EncryptedOutput first = peers.send_to_bob("one");
  REQUIRE(peers.bob->decrypt(parse(first.xml), peers.to_bob).has_value());
  // Restoring the earlier state brings back the consumed prekey: the same exchange decrypts.
  REQUIRE(peers.bob->import_state(fresh));
  CHECK(peers.bob->export_state() == fresh);
  auto again = peers.bob->decrypt(parse(first.xml), peers.to_bob);
  REQUIRE(again.has_value());
  CHECK(again->body == "one");
  CHECK(again->was_key_exchange);

  // A fork continues the same random stream: both copies produce the same bytes.
  auto fork = Device::create(options_for("bob@example.org", 22), crypto::RandomSource::seeded(1));
  REQUIRE(fork->import_state(peers.bob->export_state()));
  CHECK(fork->device_id() == 22);
  CHECK(fork->fingerprint() == peers.bob->fingerprint());
  auto a = peers.bob->encrypt("same", {peers.alice_address}, peers.to_alice);
  auto b = fork->encrypt("same", {peers.alice_address}, peers.to_alice);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK(a->xml == b->xml);

  Bytes before = peers.bob->export_state();
  CHECK_FALSE(peers.bob->import_state(Bytes{1, 2, 3}));
  auto legacy = Device::create(
      DeviceOptions{codec::Profile::legacy, "bob@example.org", 22, 20, TrustPolicy::btbv, ""},
      crypto::RandomSource::seeded(2));
  CHECK_FALSE(peers.bob->import_state(legacy->export_state()));
  Bytes truncated = before;
  truncated.pop_back();
  CHECK_FALSE(peers.bob->import_state(truncated));
  CHECK(peers.bob->export_state() == before);
}

TEST_CASE("omemo2 device: signed-prekey rotation keeps the previous one for a period",
          "[engine][omemo2][device]") {
  Peers peers;
  codec::Bundle before_rotation = peers.bob->bundle();
  peers.bob->rotate_signed_pre_key();
  codec::Bundle after_rotation = peers.bob->bundle();
  CHECK(after_rotation.signed_pre_key_id == before_rotation.signed_pre_key_id + 1);
  CHECK(after_rotation.signed_pre_key != before_rotation.signed_pre_key);

  // Alice's exchange names the previous signed prekey (R-OM2-007): it still decrypts.
  auto received = peers.alice_to_bob("against the previous spk");
  REQUIRE(received.has_value());
  CHECK(received->body == "against the previous spk");

  auto carol =
      Device::create(options_for("carol@example.org", 33), crypto::RandomSource::seeded(3));
  StanzaContext carol_to_bob{"carol@example.org", "bob@example.org", std::string(kTime)};
  REQUIRE(carol->build_session(peers.bob_address, before_rotation).has_value());
  peers.bob->rotate_signed_pre_key();  // the first signed prekey is gone now
  auto output = carol->encrypt("too old", {peers.bob_address}, carol_to_bob);
  REQUIRE(output.has_value());
  Bytes before = peers.bob->export_state();
  auto refused = peers.bob->decrypt(parse(output->xml), carol_to_bob);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error() == DecryptError::unknown_prekey);
  CHECK(peers.bob->export_state() == before);

  auto dave = Device::create(options_for("dave@example.org", 44), crypto::RandomSource::seeded(4));
  StanzaContext dave_to_bob{"dave@example.org", "bob@example.org", std::string(kTime)};
  REQUIRE(dave->build_session(peers.bob_address, peers.bob->bundle()).has_value());
  auto current = peers.bob->decrypt(
      parse(dave->encrypt("current spk", {peers.bob_address}, dave_to_bob)->xml), dave_to_bob);
  REQUIRE(current.has_value());
  CHECK(current->body == "current spk");
}

TEST_CASE("omemo2 device: hostile <key> contents leave the state unchanged",
          "[engine][omemo2][device]") {
  Peers peers;
  peers.acknowledge();
  codec::Encrypted element = parse(peers.send_to_bob("x").xml);
  Bytes& data = element.recipients[0].keys[0].data;
  SECTION("truncated") {
    data.resize(data.size() / 2);
  }
  SECTION("a flipped ciphertext byte") {
    data[data.size() - 20] ^= 0x40;
  }
  SECTION("garbage") {
    data = Bytes(64, 0xAB);
  }
  Bytes before = peers.bob->export_state();
  auto result = peers.bob->decrypt(element, peers.to_bob);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error() == DecryptError::bad_data);
  CHECK(peers.bob->export_state() == before);
  CHECK_FALSE(peers.alice->build_session({"bob@example.org", 0}, peers.bob->bundle()).has_value());
}

// ---------------------------------------------------------------------------------------------
// SCE envelope

TEST_CASE("omemo2 sce: XEP-0082 stamps", "[engine][omemo2][sce]") {
  using omemo2::format_datetime;
  using omemo2::parse_datetime;
  CHECK(parse_datetime("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_datetime("2026-11-28T12:00:00Z") == parse_datetime("2026-11-28T14:30:00.123+02:30"));
  CHECK(parse_datetime("2026-11-28T12:00:00Z") == parse_datetime("2026-11-28T07:00:00-05:00"));
  CHECK(format_datetime(*parse_datetime("2024-02-29T23:59:59Z")) == "2024-02-29T23:59:59Z");
  CHECK(format_datetime(*parse_datetime("1969-12-31T23:00:00Z")) == "1969-12-31T23:00:00Z");
  CHECK_FALSE(parse_datetime("2026-11-28 12:00:00Z").has_value());
  CHECK_FALSE(parse_datetime("2026-13-28T12:00:00Z").has_value());
  CHECK_FALSE(parse_datetime("2026-11-28T12:00:00").has_value());
  CHECK_FALSE(parse_datetime("").has_value());
}

TEST_CASE("omemo2 sce: affixes are checked against the stanza", "[engine][omemo2][sce]") {
  StanzaContext stanza{"alice@example.org", "bob@example.org", "2026-11-28T12:00:00Z"};
  codec::Envelope envelope;
  envelope.to = "Bob@Example.org/phone";  // bare and case-insensitive comparison
  envelope.from = "alice@example.org";
  envelope.time = "2026-11-28T14:00:00Z";  // +2 h: inside the margin
  CHECK(omemo2::check_affixes(envelope, stanza).empty());
  envelope.time = "2026-11-26T12:00:00Z";  // -2 days: outside
  envelope.to = "eve@example.org";
  envelope.from = "mallory@example.org";
  auto findings = omemo2::check_affixes(envelope, stanza);
  CHECK(has_must_finding(findings, "R-OM2-063"));
  CHECK(has_must_finding(findings, "R-OM2-064"));
  CHECK(has_must_finding(findings, "R-OM2-065"));
  // Nothing to compare against: no finding.
  CHECK(omemo2::check_affixes(envelope, StanzaContext{}).empty());
}

TEST_CASE("omemo2 sce: content handling on receipt", "[engine][omemo2][sce]") {
  StanzaContext stanza{"alice@example.org", "bob@example.org", ""};
  auto open = [&](std::string_view xml) { return omemo2::open_envelope(as_bytes(xml), stanza); };
  SECTION("server-processed elements inside <content> are dropped (R-OM2-061)") {
    auto opened = open(
        "<envelope xmlns='urn:xmpp:sce:1'><content><body xmlns='jabber:client'>hi</body>"
        "<store xmlns='urn:xmpp:hints'/></content><rpad/></envelope>");
    REQUIRE(opened.has_value());
    CHECK(opened->body == "hi");
    REQUIRE(opened->envelope.content.size() == 1);
    CHECK(opened->envelope.content[0].name == "body");
    CHECK(has_must_finding(opened->findings, "R-OM2-061"));
  }
  SECTION("a body outside jabber:client is not a body (R-OM2-067)") {
    auto opened = open(
        "<envelope xmlns='urn:xmpp:sce:1'><content><body xmlns='urn:example'>hi</body>"
        "</content><rpad/></envelope>");
    REQUIRE(opened.has_value());
    CHECK_FALSE(opened->body.has_value());
    CHECK(has_must_finding(opened->findings, "R-OM2-067"));
  }
  SECTION("not an envelope: rejected (R-OM2-060)") {
    for (std::string_view xml :
         {"plain text", "<envelope xmlns='urn:xmpp:sce:0'><content/></envelope>",
          "<envelope xmlns='urn:xmpp:sce:1'><rpad/></envelope>"}) {
      auto opened = open(xml);
      REQUIRE_FALSE(opened.has_value());
      CHECK(opened.error() == DecryptError::bad_data);
    }
  }
  SECTION("the sender's envelope has every affix and a short rpad") {
    crypto::RandomSource random = crypto::RandomSource::seeded(1);
    StanzaContext sending{"alice@example.org", "bob@example.org", std::string(kTime)};
    for (int i = 0; i < 20; ++i) {
      Bytes plaintext = omemo2::build_envelope("x", sending, random, Switchboard{});
      auto opened = omemo2::open_envelope(plaintext, sending);
      REQUIRE(opened.has_value());
      CHECK(opened->findings.empty());
      CHECK(opened->envelope.rpad->size() <= omemo2::kMaxRpadLength);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Prekey store

TEST_CASE("omemo2 prekey store: consume, refill, rotate, export", "[engine][omemo2][prekeys]") {
  crypto::RandomSource random = crypto::RandomSource::seeded(8);
  omemo2::IdentityKey identity =
      omemo2::IdentityKey::generate(omemo2::IdentityKind::ed25519_seed, random);
  omemo2::PrekeyStore store = omemo2::PrekeyStore::generate(identity, 25, random);
  CHECK(store.prekeys().size() == 25);
  CHECK(store.prekeys().begin()->first == 1);
  CHECK(store.consume(3));
  CHECK_FALSE(store.consume(3));
  CHECK_FALSE(store.prekey(3).has_value());
  CHECK(store.refill(25, random) == 1);
  CHECK(store.prekeys().rbegin()->first == 26);  // a consumed id is not handed out again soon
  CHECK(store.refill(25, random) == 0);

  const std::uint32_t first_spk = store.current_signed_prekey().id;
  store.rotate(identity, random);
  CHECK(store.signed_prekey(first_spk).has_value());
  CHECK(store.signed_prekey(first_spk + 1).has_value());
  store.rotate(identity, random);
  CHECK_FALSE(store.signed_prekey(first_spk).has_value());
  CHECK(store.previous_signed_prekey()->id == first_spk + 1);
  CHECK(omemo2::signed_prekey_signature_is_valid(identity.ed25519_public(),
                                                 store.current_signed_prekey().key_pair.public_key,
                                                 store.current_signed_prekey().signature));

  Bytes exported = store.export_state();
  std::optional<omemo2::PrekeyStore> imported = omemo2::PrekeyStore::import_state(exported);
  REQUIRE(imported.has_value());
  CHECK(imported->export_state() == exported);
  exported.push_back(0);
  CHECK_FALSE(omemo2::PrekeyStore::import_state(exported).has_value());
}

// ---------------------------------------------------------------------------------------------
// The receiver's reaction to each sender misbehaviour (misbehaviour.h)

namespace {

// Knobs that are not device knobs: they act on the stanza or on PEP, outside the <encrypted>.
const std::set<Misbehaviour> kStanzaLevelKnobs = {Misbehaviour::plaintext_body_beside,
                                                  Misbehaviour::pep_item_id_not_current,
                                                  Misbehaviour::empty_device_list};

// Every OMEMO 2 device knob, each with a SECTION below.
const std::set<Misbehaviour> kCoveredKnobs = {
    Misbehaviour::wrong_ratchet_mac,
    Misbehaviour::truncated_ratchet_mac,
    Misbehaviour::counter_skip,
    Misbehaviour::counter_far_ahead,
    Misbehaviour::replay_message,
    Misbehaviour::reuse_consumed_prekey,
    Misbehaviour::key_exchange_without_prekey,
    Misbehaviour::bad_signed_prekey_signature,
    Misbehaviour::spk_signature_over_prefixed_key,
    Misbehaviour::stop_kex_early,
    Misbehaviour::new_ek_same_session,
    Misbehaviour::suppress_heartbeat,
    Misbehaviour::wrong_payload_mac,
    Misbehaviour::pre_0_7_key_material,
    Misbehaviour::kex_attribute_one,
    Misbehaviour::kex_mislabelled,
    Misbehaviour::base64_whitespace,
    Misbehaviour::shuffled_children,
    Misbehaviour::device_id_zero,
    Misbehaviour::device_id_too_large,
    Misbehaviour::sce_wrong_from,
    Misbehaviour::sce_wrong_to,
    Misbehaviour::sce_time_off,
    Misbehaviour::sce_rpad_missing,
    Misbehaviour::sce_rpad_huge,
    Misbehaviour::sce_not_envelope,
};

}  // namespace

TEST_CASE("omemo2 device: every OMEMO 2 knob has a receiver test", "[engine][omemo2][device]") {
  for (const MisbehaviourInfo& info : all_misbehaviours()) {
    if (info.profiles == "legacy" || kStanzaLevelKnobs.contains(info.knob)) continue;
    INFO(info.name);
    CHECK(kCoveredKnobs.contains(info.knob));
  }
}

TEST_CASE("omemo2 device: the receiver reacts to each sender misbehaviour",
          "[engine][omemo2][device][misbehaviour]") {
  Peers peers;
  auto& knobs = peers.alice->misbehaviours();
  auto carol =
      Device::create(options_for("carol@example.org", 33), crypto::RandomSource::seeded(3));

  SECTION("wrong-ratchet-mac and truncated-ratchet-mac: bad data, state unchanged") {
    peers.acknowledge();
    for (Misbehaviour knob :
         {Misbehaviour::wrong_ratchet_mac, Misbehaviour::truncated_ratchet_mac}) {
      knobs.enable(knob);
      EncryptedOutput output = peers.send_to_bob("x");
      knobs.disable(knob);
      peers.expect_rejected(output.xml, DecryptError::bad_data);
    }
    auto still_usable = peers.alice_to_bob("after");
    REQUIRE(still_usable.has_value());
  }
  SECTION("wrong-ratchet-mac and truncated-ratchet-mac inside a key exchange") {
    Misbehaviour knob =
        GENERATE(Misbehaviour::wrong_ratchet_mac, Misbehaviour::truncated_ratchet_mac);
    knobs.enable(knob);
    peers.expect_rejected(peers.send_to_bob("x").xml, DecryptError::bad_data);
    CHECK(peers.bob->bundle().pre_keys.size() == 25);  // nothing consumed
  }
  SECTION("wrong-payload-mac: bad payload MAC, ratchet step undone") {
    knobs.enable(Misbehaviour::wrong_payload_mac);
    peers.expect_rejected(peers.send_to_bob("x").xml, DecryptError::bad_payload_mac);
  }
  SECTION("pre-0.7-key-material: 64-byte key material is refused (A-20)") {
    knobs.enable(Misbehaviour::pre_0_7_key_material);
    peers.expect_rejected(peers.send_to_bob("x").xml, DecryptError::bad_data);
  }
  SECTION("counter-skip: decrypts; an earlier message still decrypts later") {
    peers.acknowledge();
    EncryptedOutput earlier = peers.send_to_bob("earlier");
    knobs.enable(Misbehaviour::counter_skip);
    EncryptedOutput skipped = peers.send_to_bob("skipped ahead");
    CHECK(inspect(only_key(skipped)).n == 11);
    auto result = peers.bob->decrypt(parse(skipped.xml), peers.to_bob);
    REQUIRE(result.has_value());
    CHECK(result->body == "skipped ahead");
    auto late = peers.bob->decrypt(parse(earlier.xml), peers.to_bob);
    REQUIRE(late.has_value());
    CHECK(late->body == "earlier");
  }
  SECTION("counter-far-ahead: skip limit; the session stays usable") {
    peers.acknowledge();
    EncryptedOutput earlier = peers.send_to_bob("earlier");
    knobs.enable(Misbehaviour::counter_far_ahead);
    EncryptedOutput far = peers.send_to_bob("too far");
    CHECK(inspect(only_key(far)).n > 1000);
    peers.expect_rejected(far.xml, DecryptError::skip_limit);
    auto still_usable = peers.bob->decrypt(parse(earlier.xml), peers.to_bob);
    REQUIRE(still_usable.has_value());
    CHECK(still_usable->body == "earlier");
  }
  SECTION("replay-message: the second delivery is a duplicate") {
    peers.acknowledge();
    REQUIRE(peers.alice_to_bob("once").has_value());
    knobs.enable(Misbehaviour::replay_message);
    peers.expect_rejected(peers.send_to_bob("ignored: the last element is sent again").xml,
                          DecryptError::replay);
  }
  SECTION("replay-message of a key exchange: a duplicate, no second prekey use") {
    REQUIRE(peers.alice_to_bob("once").has_value());
    knobs.enable(Misbehaviour::replay_message);
    peers.expect_rejected(peers.send_to_bob("again").xml, DecryptError::replay);
  }
  SECTION("reuse-consumed-prekey: the second key exchange is refused (R-OM2-005)") {
    codec::Bundle stale = peers.bob->bundle();
    REQUIRE(peers.alice_to_bob("first").has_value());
    knobs.enable(Misbehaviour::reuse_consumed_prekey);
    REQUIRE(peers.alice->build_session(peers.bob_address, stale).has_value());
    peers.expect_rejected(peers.send_to_bob("second").xml, DecryptError::unknown_prekey);
  }
  SECTION("key-exchange-without-prekey: refused by an OMEMO 2 receiver (R-OM2-005, A-27)") {
    knobs.enable(Misbehaviour::key_exchange_without_prekey);
    REQUIRE(peers.alice->build_session(peers.bob_address, peers.bob->bundle()).has_value());
    EncryptedOutput output = peers.send_to_bob("spk only");
    KeyView key = inspect(only_key(output));
    CHECK(key.is_key_exchange);
    CHECK(key.prekey_id == 0);
    peers.expect_rejected(output.xml, DecryptError::bad_data);
  }
  SECTION("bad-signed-prekey-signature and spk-signature-over-prefixed-key: no session") {
    Misbehaviour knob = GENERATE(Misbehaviour::bad_signed_prekey_signature,
                                 Misbehaviour::spk_signature_over_prefixed_key);
    peers.bob->misbehaviours().enable(knob);
    codec::Bundle bundle = peers.bob->bundle();
    if (knob == Misbehaviour::spk_signature_over_prefixed_key) {
      Bytes prefixed{0x05};
      prefixed.insert(prefixed.end(), bundle.signed_pre_key.begin(), bundle.signed_pre_key.end());
      CHECK(crypto::ed25519_verify(bundle.identity_key, prefixed, bundle.signed_pre_key_signature));
    }
    Bytes before = carol->export_state();
    auto result = carol->build_session(peers.bob_address, bundle);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error() == DecryptError::bad_signature);
    CHECK_FALSE(carol->has_session(peers.bob_address));
    CHECK(carol->export_state() == before);
  }
  SECTION("stop-kex-early: without the first message the receiver has no session") {
    knobs.enable(Misbehaviour::stop_kex_early);
    EncryptedOutput first = peers.send_to_bob("first");
    EncryptedOutput second = peers.send_to_bob("second");
    CHECK(inspect(only_key(first)).is_key_exchange);
    CHECK_FALSE(inspect(only_key(second)).is_key_exchange);
    peers.expect_rejected(second.xml, DecryptError::no_session);
    REQUIRE(peers.bob->decrypt(parse(first.xml), peers.to_bob).has_value());
    auto now = peers.bob->decrypt(parse(second.xml), peers.to_bob);
    REQUIRE(now.has_value());
    CHECK(now->body == "second");
  }
  SECTION("new-ek-same-session: a key exchange with a new ek replaces the session") {
    peers.acknowledge();
    knobs.enable(Misbehaviour::new_ek_same_session);
    EncryptedOutput restarted = peers.send_to_bob("restart");
    knobs.disable(Misbehaviour::new_ek_same_session);
    KeyView key = inspect(only_key(restarted));
    CHECK(key.is_key_exchange);
    auto received = peers.bob->decrypt(parse(restarted.xml), peers.to_bob);
    REQUIRE(received.has_value());
    CHECK(received->body == "restart");
    CHECK(received->was_key_exchange);  // R-OM2-017: full exchange, new session
    auto reply =
        peers.alice->decrypt(parse(peers.send_to_alice("on the new session").xml), peers.to_alice);
    REQUIRE(reply.has_value());
    CHECK(reply->body == "on the new session");
  }
  SECTION("suppress-heartbeat: the receiver never asks for one; the sender keeps encrypting") {
    peers.acknowledge();
    peers.bob->misbehaviours().enable(Misbehaviour::suppress_heartbeat);
    for (int i = 0; i < 120; ++i) {
      auto received = peers.alice_to_bob(fmt::format("n={}", i));
      REQUIRE(received.has_value());
      CHECK_FALSE(received->heartbeat_due);
    }
  }
  SECTION("XML deviations deployed clients send are accepted") {
    Misbehaviour knob = GENERATE(Misbehaviour::kex_attribute_one, Misbehaviour::base64_whitespace,
                                 Misbehaviour::shuffled_children);
    knobs.enable(knob);
    EncryptedOutput output = peers.send_to_bob("tolerated");
    INFO(misbehaviour_info(knob).name << ": " << output.xml);
    if (knob == Misbehaviour::kex_attribute_one)
      CHECK(output.xml.find("kex=\"1\"") != std::string::npos);
    auto result = peers.bob->decrypt(parse(output.xml), peers.to_bob);
    REQUIRE(result.has_value());
    CHECK(result->body == "tolerated");
    CHECK(result->was_key_exchange);
  }
  SECTION("kex-mislabelled: the flag contradicts the content; bad data (R-OM2-036)") {
    bool acknowledged = GENERATE(false, true);
    if (acknowledged) peers.acknowledge();
    knobs.enable(Misbehaviour::kex_mislabelled);
    EncryptedOutput output = peers.send_to_bob("mislabelled");
    CHECK(codec::contains_requirement(codec::parse_encrypted(output.xml).findings, "R-OM2-036"));
    peers.expect_rejected(output.xml, DecryptError::bad_data);
  }
  SECTION("device-id-zero and device-id-too-large: refused, nothing changes (R-OM2-020)") {
    Misbehaviour knob = GENERATE(Misbehaviour::device_id_zero, Misbehaviour::device_id_too_large);
    knobs.enable(knob);
    EncryptedOutput output = peers.send_to_bob("bad sid");
    codec::Parsed<codec::Encrypted> parsed = codec::parse_encrypted(output.xml);
    CHECK(codec::contains_requirement(parsed.findings, "R-OM2-020"));
    peers.expect_rejected(output.xml, DecryptError::bad_data);
  }
  SECTION("sce-wrong-from, sce-wrong-to, sce-time-off: delivered with an alert") {
    auto [knob, requirement] =
        GENERATE(std::make_pair(Misbehaviour::sce_wrong_from, std::string_view("R-OM2-064")),
                 std::make_pair(Misbehaviour::sce_wrong_to, std::string_view("R-OM2-063")),
                 std::make_pair(Misbehaviour::sce_time_off, std::string_view("R-OM2-065")));
    knobs.enable(knob);
    auto received = peers.alice_to_bob("affix");
    REQUIRE(received.has_value());
    CHECK(received->body == "affix");
    CHECK(has_must_finding(received->envelope_findings, requirement));
  }
  SECTION("sce-rpad-missing: accepted, the missing MUST recorded (R-OM2-033)") {
    knobs.enable(Misbehaviour::sce_rpad_missing);
    auto received = peers.alice_to_bob("no padding");
    REQUIRE(received.has_value());
    CHECK(received->body == "no padding");
    CHECK_FALSE(received->envelope->rpad.has_value());
    CHECK(has_must_finding(received->envelope_findings, "R-OM2-033"));
  }
  SECTION("sce-rpad-huge: accepted, never rejected for its size (R-OM2-066)") {
    knobs.enable(Misbehaviour::sce_rpad_huge);
    auto received = peers.alice_to_bob("padded");
    REQUIRE(received.has_value());
    CHECK(received->body == "padded");
    CHECK(received->envelope->rpad->size() == 10000);
    CHECK_FALSE(codec::contains_must(received->envelope_findings));
  }
  SECTION("sce-not-envelope: refused as bad data, state unchanged (R-OM2-060)") {
    knobs.enable(Misbehaviour::sce_not_envelope);
    peers.expect_rejected(peers.send_to_bob("raw body").xml, DecryptError::bad_data);
  }
}
