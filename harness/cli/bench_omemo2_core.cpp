// The OMEMO 2 engine core (engine/omemo2 session.h + payload.h) on the same path the Device API
// takes, so that OMEMO 2 is measured before (and beside) its Device:
//   sender    SCE envelope (body, rpad, time, to, from) -> payload (HKDF, AES-256-CBC, HMAC) ->
//             one Session::encrypt per recipient -> codec::Encrypted -> XML;
//   receiver  parse_encrypted(XML) -> the key for this device -> Session::decrypt or
//             receive_key_exchange -> decrypt_payload -> parse_envelope.
// What it leaves out against the Device: trust bookkeeping, SCE affix checks against the stanza,
// misbehaviour switches, and any state snapshot the device takes for atomicity (the session
// layer is atomic by itself: DoubleRatchet computes on copies).
// Names: omemo2/core/{setup_initiator,setup_responder,steady/N}, defined as in bench_device.cpp.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/bench.h"
#include "cli/bench_fixture.h"
#include "codec/encrypted.h"
#include "codec/envelope.h"
#include "crypto/curve25519.h"
#include "engine/omemo2/identity.h"
#include "engine/omemo2/payload.h"
#include "engine/omemo2/session.h"
#include "engine/omemo2/x3dh.h"

namespace oi::cli::bench {

namespace {

using namespace engine::omemo2;
using engine::Result;

const char* const kBody = "Benchmark message: a chat line of typical length, about eighty bytes.";
const char* const kAliceJid = "alice@bench.example";
const char* const kBobJid = "bob@bench.example";
constexpr std::uint32_t kSignedPrekeyId = 1;
constexpr std::uint32_t kPrekeyCount = 100;  // the Device default

// A device reduced to what the core needs: keys, sessions by peer device, a random stream.
class Party : public PrekeyLookup {
 public:
  Party(std::uint64_t seed, std::string jid, std::uint32_t device_id)
      : jid_(std::move(jid)),
        device_id_(device_id),
        random_(crypto::RandomSource::seeded(seed)),
        identity_(IdentityKey::generate(IdentityKind::ed25519_seed, random_)),
        signed_prekey_(crypto::curve25519_generate(random_)),
        signature_(sign_signed_prekey(identity_, signed_prekey_.public_key, random_)) {
    for (std::uint32_t id = 1; id <= kPrekeyCount; ++id)
      prekeys_.emplace(id, crypto::curve25519_generate(random_));
  }

  std::optional<crypto::CurveKeyPair> signed_prekey(std::uint32_t id) const override {
    if (id != kSignedPrekeyId) return std::nullopt;
    return signed_prekey_;
  }
  std::optional<crypto::CurveKeyPair> prekey(std::uint32_t id) const override {
    auto found = prekeys_.find(id);
    if (found == prekeys_.end()) return std::nullopt;
    return found->second;
  }

  BundleKeys bundle(std::uint32_t prekey_id) const {
    return {identity_.ed25519_public(),
            kSignedPrekeyId,
            signed_prekey_.public_key,
            signature_,
            prekey_id,
            prekeys_.at(prekey_id).public_key};
  }

  // False when the signed prekey signature does not verify.
  bool initiate(std::uint32_t peer_id, const BundleKeys& bundle) {
    Result<Session> session = Session::initiate(identity_, bundle, random_);
    if (!session) return false;
    sessions_.insert_or_assign(peer_id, std::move(*session));
    return true;
  }

  // The <encrypted> XML for `peer_ids` (all devices of `to`).
  std::string encrypt(const std::vector<std::uint32_t>& peer_ids, const std::string& to) {
    codec::Envelope envelope;
    envelope.content.push_back(codec::make_content_element("body", "jabber:client", kBody));
    envelope.rpad = std::string(16 + random_.uniform(32), 'x');
    envelope.time = "2024-01-01T12:00:00Z";
    envelope.to = to;
    envelope.from = jid_;
    EncryptedPayload payload =
        encrypt_payload(as_bytes(codec::serialize_envelope(envelope)), random_);

    codec::Encrypted element;
    element.profile = codec::Profile::omemo2;
    element.sid = device_id_;
    codec::RecipientKeys keys{to, {}};
    for (std::uint32_t peer : peer_ids) {
      OutgoingKey key = sessions_.at(peer).encrypt(payload.key_material);
      keys.keys.push_back({peer, key.is_key_exchange, std::move(key.data)});
    }
    element.recipients.push_back(std::move(keys));
    element.payload = std::move(payload.ciphertext);
    return codec::serialize_encrypted(element);
  }

  // Empty on success, else why it failed.
  std::string receive(const std::string& xml) {
    codec::Parsed<codec::Encrypted> parsed = codec::parse_encrypted(xml);
    if (!parsed.value) return "the element does not parse";
    std::vector<const codec::KeyElement*> keys = codec::keys_for(*parsed.value, device_id_, jid_);
    if (keys.empty() || !parsed.value->payload) return "no key or no payload";
    const codec::KeyElement& key = *keys.front();
    std::uint32_t sender = parsed.value->sid;
    Result<Received> received = fail(engine::DecryptError::no_session, "no session");
    if (key.kex) {
      std::optional<Session> session;
      if (auto found = sessions_.find(sender); found != sessions_.end()) session = found->second;
      Result<KeyExchangeReceived> exchange =
          receive_key_exchange(session, key.data, identity_, *this, random_);
      if (!exchange) return exchange.failure().detail;
      if (exchange->built_session) prekeys_.erase(exchange->consumed_prekey_id);
      sessions_.insert_or_assign(sender, std::move(*session));
      received = std::move(exchange->message);
    } else if (auto found = sessions_.find(sender); found != sessions_.end()) {
      received = found->second.decrypt(key.data, random_);
    }
    if (!received) return received.failure().detail;
    Result<Bytes> plaintext = decrypt_payload(received->plaintext, *parsed.value->payload);
    if (!plaintext) return plaintext.failure().detail;
    std::string envelope_xml(plaintext->begin(), plaintext->end());
    codec::Parsed<codec::Envelope> envelope = codec::parse_envelope(envelope_xml);
    return envelope.value ? std::string() : "the envelope does not parse";
  }

  void forget_sessions() { sessions_.clear(); }
  void restore_prekey(std::uint32_t id, const crypto::CurveKeyPair& key) { prekeys_[id] = key; }
  std::uint32_t device_id() const { return device_id_; }

 private:
  std::string jid_;
  std::uint32_t device_id_;
  crypto::RandomSource random_;
  IdentityKey identity_;
  crypto::CurveKeyPair signed_prekey_;
  Signature64 signature_;
  std::map<std::uint32_t, crypto::CurveKeyPair> prekeys_;
  std::map<std::uint32_t, Session> sessions_;  // by peer device id (one peer JID each way here)
};

constexpr std::uint32_t kSetupPrekey = 42;

struct SetupFixture {
  SetupFixture()
      : alice(std::make_unique<Party>(801, kAliceJid, 1)),
        bob(std::make_unique<Party>(802, kBobJid, 2)),
        bundle(bob->bundle(kSetupPrekey)),
        prekey(*bob->prekey(kSetupPrekey)) {}

  std::optional<std::string> initiate() {
    alice->forget_sessions();
    if (!alice->initiate(bob->device_id(), bundle)) return std::nullopt;
    return alice->encrypt({bob->device_id()}, kBobJid);
  }
  void reset_bob() {
    bob->forget_sessions();
    bob->restore_prekey(kSetupPrekey, prekey);
  }

  std::unique_ptr<Party> alice, bob;
  BundleKeys bundle;
  crypto::CurveKeyPair prekey;
};

struct SteadyFixture {
  explicit SteadyFixture(int count) : alice(std::make_unique<Party>(901, kAliceJid, 1)) {
    for (int i = 0; i < count; ++i) {
      std::uint32_t id = 1001 + static_cast<std::uint32_t>(i);
      auto bob = std::make_unique<Party>(1000 + static_cast<std::uint64_t>(i), kBobJid, id);
      if (!alice->initiate(id, bob->bundle(1)) ||
          !bob->receive(alice->encrypt({id}, kBobJid)).empty() ||
          !alice->receive(bob->encrypt({1}, kAliceJid)).empty()) {
        throw std::runtime_error("omemo2 core steady-state fixture: the first exchange failed");
      }
      ids.push_back(id);
      recipients.push_back(std::move(bob));
    }
  }

  std::unique_ptr<Party> alice;
  std::vector<std::unique_ptr<Party>> recipients;
  std::vector<std::uint32_t> ids;
};

void setup_initiator(benchmark::State& state, SetupFixture& fixture) {
  for (auto _ : state) {
    std::optional<std::string> xml = fixture.initiate();
    if (!xml) {
      state.SkipWithError("the bundle signature does not verify");
      break;
    }
    benchmark::DoNotOptimize(xml->data());
  }
}

void setup_responder(benchmark::State& state, SetupFixture& fixture) {
  for (auto _ : state) {
    state.PauseTiming();
    std::optional<std::string> xml = fixture.initiate();
    fixture.reset_bob();
    state.ResumeTiming();
    std::string problem = xml ? fixture.bob->receive(*xml) : "set-up failed";
    if (!problem.empty()) {
      state.SkipWithError(problem.c_str());
      break;
    }
  }
}

void steady(benchmark::State& state, SteadyFixture& fixture) {
  for (auto _ : state) {
    std::string xml = fixture.alice->encrypt(fixture.ids, kBobJid);
    for (auto& recipient : fixture.recipients) {
      std::string problem = recipient->receive(xml);
      if (!problem.empty()) {
        state.SkipWithError(problem.c_str());
        break;
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(fixture.ids.size()));
}

}  // namespace

void register_omemo2_core_benchmarks(std::vector<std::string>& /*notes*/) {
  benchmark::RegisterBenchmark("omemo2/core/setup_initiator", with_fixture(setup_initiator))
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("omemo2/core/setup_responder", with_fixture(setup_responder))
      ->Unit(benchmark::kMicrosecond);
  for (int count : {kFewRecipients, kManyRecipients}) {
    benchmark::RegisterBenchmark(fmt::format("omemo2/core/steady/{}", count).c_str(),
                                 with_fixture(steady, count))
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace oi::cli::bench
