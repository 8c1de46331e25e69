// The engine through its Device API, per profile, on the path a client takes:
//   setup_initiator  build_session(bundle) + the first encrypt (its XML included);
//   setup_responder  parse_encrypted(xml) + decrypt of that first key exchange;
//   steady/N         one encrypt for N recipient devices (payload, ratchet, XML, base64), then
//                    every recipient parses the XML and decrypts its key and the payload.
// Steady state means confirmed sessions (each recipient has answered once, so no key
// exchanges are sent) and a one-way stream of messages on the symmetric chains.
// The bundle is used as a codec::Bundle: fetching and parsing it is not part of a setup.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/bench.h"
#include "cli/bench_fixture.h"
#include "codec/encrypted.h"
#include "engine/device.h"

namespace oi::cli::bench {

namespace {

using engine::Device;
using engine::DeviceAddress;

const char* const kBody = "Benchmark message: a chat line of typical length, about eighty bytes.";
const char* const kAliceJid = "alice@bench.example";
const char* const kBobJid = "bob@bench.example";

const char* profile_label(codec::Profile profile) {
  return profile == codec::Profile::legacy ? "legacy" : "omemo2";
}

std::unique_ptr<Device> make_device(codec::Profile profile, const std::string& jid,
                                    std::uint32_t device_id, std::uint64_t seed) {
  engine::DeviceOptions options;
  options.profile = profile;
  options.jid = jid;
  options.device_id = device_id;
  return Device::create(options, crypto::RandomSource::seeded(seed));
}

engine::StanzaContext stanza_from(const std::string& from, const std::string& to) {
  return {from, to, "2024-01-01T12:00:00Z"};
}

// Parses the element as received and decrypts it; the failure detail, or empty on success.
std::string receive(Device& device, const std::string& xml, const engine::StanzaContext& stanza) {
  codec::Parsed<codec::Encrypted> parsed = codec::parse_encrypted(xml);
  if (!parsed.value) return "the element does not parse";
  engine::Result<engine::ReceivedMessage> received = device.decrypt(*parsed.value, stanza);
  return received ? std::string() : received.failure().detail;
}

// Alice and Bob before any session; their exported states restore them between iterations.
struct SetupFixture {
  explicit SetupFixture(codec::Profile profile)
      : alice(make_device(profile, kAliceJid, 1, 101)),
        bob(make_device(profile, kBobJid, 2, 102)),
        alice_fresh(alice->export_state()),
        bob_fresh(bob->export_state()),
        bundle(bob->bundle()) {}

  // Restores both devices, builds Alice's session and returns her first message's XML.
  std::optional<std::string> initiate() {
    if (!alice->import_state(alice_fresh)) return std::nullopt;
    if (!alice->build_session(bob_address, bundle)) return std::nullopt;
    auto sent = alice->encrypt(std::string(kBody), {bob_address}, stanza_from(kAliceJid, kBobJid));
    if (!sent) return std::nullopt;
    return sent->xml;
  }

  std::unique_ptr<Device> alice, bob;
  Bytes alice_fresh, bob_fresh;
  codec::Bundle bundle;
  DeviceAddress bob_address{kBobJid, 2};
};

// Alice with confirmed sessions to `count` devices of Bob.
struct SteadyFixture {
  SteadyFixture(codec::Profile profile, int count)
      : alice(make_device(profile, kAliceJid, 1, 201)) {
    DeviceAddress alice_address{kAliceJid, 1};
    for (int i = 0; i < count; ++i) {
      std::uint32_t id = 1001 + static_cast<std::uint32_t>(i);
      recipients.push_back(make_device(profile, kBobJid, id, 300 + static_cast<std::uint64_t>(i)));
      addresses.push_back({kBobJid, id});
      Device& bob = *recipients.back();
      if (!alice->build_session(addresses.back(), bob.bundle())) fail("build_session");
      auto first = alice->encrypt(std::string(kBody), {addresses.back()}, to_bob);
      if (!first || !receive(bob, first->xml, to_bob).empty()) fail("the first message");
      auto reply = bob.encrypt(std::string(kBody), {alice_address}, to_alice);
      if (!reply || !receive(*alice, reply->xml, to_alice).empty()) fail("the reply");
    }
  }

  [[noreturn]] static void fail(const char* step) {
    throw std::runtime_error(fmt::format("steady-state fixture: {} failed", step));
  }

  std::unique_ptr<Device> alice;
  std::vector<std::unique_ptr<Device>> recipients;
  std::vector<DeviceAddress> addresses;
  engine::StanzaContext to_bob = stanza_from(kAliceJid, kBobJid);
  engine::StanzaContext to_alice = stanza_from(kBobJid, kAliceJid);
};

void setup_initiator(benchmark::State& state, SetupFixture& fixture) {
  auto to_bob = stanza_from(kAliceJid, kBobJid);
  for (auto _ : state) {
    state.PauseTiming();
    bool restored = fixture.alice->import_state(fixture.alice_fresh);
    state.ResumeTiming();
    auto built = fixture.alice->build_session(fixture.bob_address, fixture.bundle);
    auto sent = fixture.alice->encrypt(std::string(kBody), {fixture.bob_address}, to_bob);
    if (!restored || !built || !sent) {
      state.SkipWithError("the initiator side failed");
      break;
    }
    benchmark::DoNotOptimize(sent->xml.data());
  }
}

void setup_responder(benchmark::State& state, SetupFixture& fixture) {
  auto to_bob = stanza_from(kAliceJid, kBobJid);
  for (auto _ : state) {
    state.PauseTiming();
    std::optional<std::string> xml = fixture.initiate();
    bool restored = fixture.bob->import_state(fixture.bob_fresh);
    state.ResumeTiming();
    std::string problem = xml && restored ? receive(*fixture.bob, *xml, to_bob) : "set-up failed";
    if (!problem.empty()) {
      state.SkipWithError(problem.c_str());
      break;
    }
  }
}

void steady(benchmark::State& state, SteadyFixture& fixture) {
  for (auto _ : state) {
    auto sent = fixture.alice->encrypt(std::string(kBody), fixture.addresses, fixture.to_bob);
    if (!sent) {
      state.SkipWithError(sent.failure().detail.c_str());
      break;
    }
    for (auto& recipient : fixture.recipients) {
      std::string problem = receive(*recipient, sent->xml, fixture.to_bob);
      if (!problem.empty()) {
        state.SkipWithError(problem.c_str());
        break;
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(fixture.addresses.size()));
}

void register_profile(codec::Profile profile) {
  std::string prefix = fmt::format("{}/engine/", profile_label(profile));
  benchmark::RegisterBenchmark((prefix + "setup_initiator").c_str(),
                               with_fixture(setup_initiator, profile))
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark((prefix + "setup_responder").c_str(),
                               with_fixture(setup_responder, profile))
      ->Unit(benchmark::kMicrosecond);
  for (int count : {kFewRecipients, kManyRecipients}) {
    benchmark::RegisterBenchmark(fmt::format("{}steady/{}", prefix, count).c_str(),
                                 with_fixture(steady, profile, count))
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace

void register_device_benchmarks(std::vector<std::string>& notes) {
  register_profile(codec::Profile::legacy);
  try {
    make_device(codec::Profile::omemo2, kAliceJid, 1, 1);
    register_profile(codec::Profile::omemo2);
  } catch (const std::invalid_argument& error) {
    notes.push_back(fmt::format(
        "omemo2/engine: not measured ({}); omemo2/core (session + payload + SCE + XML, the same "
        "path without the Device API) stands in for it",
        error.what()));
  }
}

}  // namespace oi::cli::bench
