// The legacy baseline: libsignal-protocol-c called directly (session_builder / session_cipher),
// with the engine's OpenSSL crypto provider (SignalContext) and its in-memory store
// (SignalStore), and nothing else: no payload cipher, no XML, no base64, no state snapshots.
// The ratchet carries 32 bytes, the size of the legacy key||tag.
//   legacy/libsignal/setup_initiator  decode the bundle keys, process the bundle, first encrypt;
//   legacy/libsignal/setup_responder  deserialise and decrypt that PreKeySignalMessage;
//   legacy/libsignal/steady/N         encrypt for N devices, each deserialises and decrypts.
// Also libsignal's own curve operations (curve25519-donna and its ref10 signatures), which the
// legacy engine cannot avoid: primitive/libsignal/{x25519_dh,x25519_keygen,curvesig_verify}.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/bench.h"
#include "cli/bench_fixture.h"
#include "engine/legacy/signal_context.h"
#include "engine/legacy/signal_ref.h"
#include "engine/legacy/signal_store.h"

extern "C" {
#include <curve.h>
#include <key_helper.h>
#include <protocol.h>
#include <ratchet.h>
#include <session_builder.h>
#include <session_cipher.h>
#include <session_pre_key.h>
}

namespace oi::cli::bench {

namespace {

using engine::legacy::SignalBuffer;
using engine::legacy::SignalContext;
using engine::legacy::SignalRef;
using engine::legacy::SignalStore;

constexpr std::uint32_t kSignedPreKeyId = 1;
constexpr std::uint32_t kPreKeyId = 7;
const Bytes kKeyMaterial(32, 0x5a);

void check(int code, const char* what) {
  if (code < 0) throw std::runtime_error(fmt::format("libsignal: {} failed ({})", what, code));
}

Bytes to_bytes(const SignalBuffer& buffer) {
  return Bytes(buffer.data(), buffer.data() + buffer.size());
}

Bytes serialize(const ec_public_key* key) {
  SignalBuffer buffer;
  check(ec_public_key_serialize(buffer.out(), key), "ec_public_key_serialize");
  return to_bytes(buffer);
}

// One device: a seeded random stream, the OpenSSL provider, the store and an identity key.
struct Party {
  Party(std::uint64_t seed, const std::string& jid, std::int32_t device_id)
      : random(crypto::RandomSource::seeded(seed)), context(random), name(jid) {
    address = {name.c_str(), name.size(), device_id};
    check(signal_protocol_key_helper_generate_identity_key_pair(identity.out(), context.get()),
          "generate_identity_key_pair");
    SignalBuffer private_key;
    check(ec_private_key_serialize(private_key.out(),
                                   ratchet_identity_key_pair_get_private(identity.get())),
          "ec_private_key_serialize");
    store.set_identity(serialize(ratchet_identity_key_pair_get_public(identity.get())),
                       to_bytes(private_key), 0);
    store.attach(context.get());
  }
  ~Party() {
    for (session_cipher* cipher : ciphers) session_cipher_free(cipher);
  }
  Party(const Party&) = delete;
  Party& operator=(const Party&) = delete;

  signal_protocol_store_context* stores() { return store.attach(context.get()); }

  // A cipher towards `remote` that lives as long as this party.
  session_cipher* cipher_for(const signal_protocol_address& remote) {
    session_cipher* cipher = nullptr;
    check(session_cipher_create(&cipher, stores(), &remote, context.get()),
          "session_cipher_create");
    ciphers.push_back(cipher);
    return cipher;
  }

  crypto::RandomSource random;
  SignalContext context;
  SignalStore store;
  std::string name;
  signal_protocol_address address{};
  SignalRef<ratchet_identity_key_pair> identity;
  std::vector<session_cipher*> ciphers;
};

// The published half of a bundle, as bytes.
struct BundleBytes {
  Bytes identity_key, signed_pre_key, signature, pre_key;
};

// Gives `party` a signed prekey and one one-time prekey (in its store) and returns the bundle.
BundleBytes publish(Party& party) {
  SignalRef<session_signed_pre_key> signed_pre_key;
  check(signal_protocol_key_helper_generate_signed_pre_key(
            signed_pre_key.out(), party.identity.get(), kSignedPreKeyId, 0, party.context.get()),
        "generate_signed_pre_key");
  SignalBuffer record;
  check(session_signed_pre_key_serialize(record.out(), signed_pre_key.get()),
        "session_signed_pre_key_serialize");
  party.store.signed_pre_keys[kSignedPreKeyId] = to_bytes(record);

  SignalRef<ec_key_pair> pre_key_pair;
  check(curve_generate_key_pair(party.context.get(), pre_key_pair.out()),
        "curve_generate_key_pair");
  SignalRef<session_pre_key> pre_key;
  check(session_pre_key_create(pre_key.out(), kPreKeyId, pre_key_pair.get()),
        "session_pre_key_create");
  check(session_pre_key_serialize(record.out(), pre_key.get()), "session_pre_key_serialize");
  party.store.pre_keys[kPreKeyId] = to_bytes(record);

  const std::uint8_t* signature = session_signed_pre_key_get_signature(signed_pre_key.get());
  return {
      serialize(ratchet_identity_key_pair_get_public(party.identity.get())),
      serialize(ec_key_pair_get_public(session_signed_pre_key_get_key_pair(signed_pre_key.get()))),
      Bytes(signature, signature + session_signed_pre_key_get_signature_len(signed_pre_key.get())),
      serialize(ec_key_pair_get_public(pre_key_pair.get()))};
}

// Alice's side of a setup: the session from the bundle, then the first message. Returns the
// serialised PreKeySignalMessage.
Bytes initiate(Party& alice, const Party& bob, const BundleBytes& bundle) {
  signal_context* context = alice.context.get();
  SignalRef<ec_public_key> identity, signed_pre_key, pre_key;
  check(curve_decode_point(identity.out(), bundle.identity_key.data(), bundle.identity_key.size(),
                           context),
        "curve_decode_point");
  check(curve_decode_point(signed_pre_key.out(), bundle.signed_pre_key.data(),
                           bundle.signed_pre_key.size(), context),
        "curve_decode_point");
  check(curve_decode_point(pre_key.out(), bundle.pre_key.data(), bundle.pre_key.size(), context),
        "curve_decode_point");
  SignalRef<session_pre_key_bundle> libsignal_bundle;
  check(session_pre_key_bundle_create(libsignal_bundle.out(), 0, bob.address.device_id, kPreKeyId,
                                      pre_key.get(), kSignedPreKeyId, signed_pre_key.get(),
                                      bundle.signature.data(), bundle.signature.size(),
                                      identity.get()),
        "session_pre_key_bundle_create");
  session_builder* builder = nullptr;
  check(session_builder_create(&builder, alice.stores(), &bob.address, context),
        "session_builder_create");
  int code = session_builder_process_pre_key_bundle(builder, libsignal_bundle.get());
  session_builder_free(builder);
  check(code, "session_builder_process_pre_key_bundle");

  session_cipher* cipher = nullptr;
  check(session_cipher_create(&cipher, alice.stores(), &bob.address, context),
        "session_cipher_create");
  SignalRef<ciphertext_message> message;
  code = session_cipher_encrypt(cipher, kKeyMaterial.data(), kKeyMaterial.size(), message.out());
  session_cipher_free(cipher);
  check(code, "session_cipher_encrypt");
  signal_buffer* serialized = ciphertext_message_get_serialized(message.get());
  return Bytes(signal_buffer_data(serialized),
               signal_buffer_data(serialized) + signal_buffer_len(serialized));
}

// Bob's side of a setup.
void respond(Party& bob, const Party& alice, const Bytes& data) {
  SignalRef<pre_key_signal_message> message;
  check(pre_key_signal_message_deserialize(message.out(), data.data(), data.size(),
                                           bob.context.get()),
        "pre_key_signal_message_deserialize");
  session_cipher* cipher = nullptr;
  check(session_cipher_create(&cipher, bob.stores(), &alice.address, bob.context.get()),
        "session_cipher_create");
  SignalBuffer plaintext;
  int code = session_cipher_decrypt_pre_key_signal_message(cipher, message.get(), nullptr,
                                                           plaintext.out());
  session_cipher_free(cipher);
  check(code, "session_cipher_decrypt_pre_key_signal_message");
}

Bytes encrypt(session_cipher* cipher) {
  SignalRef<ciphertext_message> message;
  check(session_cipher_encrypt(cipher, kKeyMaterial.data(), kKeyMaterial.size(), message.out()),
        "session_cipher_encrypt");
  signal_buffer* serialized = ciphertext_message_get_serialized(message.get());
  return Bytes(signal_buffer_data(serialized),
               signal_buffer_data(serialized) + signal_buffer_len(serialized));
}

void decrypt(session_cipher* cipher, signal_context* context, const Bytes& data) {
  SignalRef<signal_message> message;
  check(signal_message_deserialize(message.out(), data.data(), data.size(), context),
        "signal_message_deserialize");
  SignalBuffer plaintext;
  check(session_cipher_decrypt_signal_message(cipher, message.get(), nullptr, plaintext.out()),
        "session_cipher_decrypt_signal_message");
}

struct SetupFixture {
  SetupFixture()
      : alice(std::make_unique<Party>(401, "alice@bench.example", 1)),
        bob(std::make_unique<Party>(402, "bob@bench.example", 2)),
        bundle(publish(*bob)),
        bob_pre_key(bob->store.pre_keys.at(kPreKeyId)) {}

  void reset() {
    alice->store.sessions.clear();
    alice->store.identities.clear();
    bob->store.sessions.clear();
    bob->store.identities.clear();
    bob->store.pre_keys[kPreKeyId] = bob_pre_key;
  }

  std::unique_ptr<Party> alice, bob;
  BundleBytes bundle;
  Bytes bob_pre_key;
};

// Alice with confirmed sessions to `count` devices, and ciphers both ways.
struct SteadyFixture {
  explicit SteadyFixture(int count)
      : alice(std::make_unique<Party>(501, "alice@bench.example", 1)) {
    for (int i = 0; i < count; ++i) {
      auto bob = std::make_unique<Party>(600 + static_cast<std::uint64_t>(i), "bob@bench.example",
                                         1001 + i);
      BundleBytes bundle = publish(*bob);
      respond(*bob, *alice, initiate(*alice, *bob, bundle));
      session_cipher* bob_cipher = bob->cipher_for(alice->address);
      decrypt(alice->cipher_for(bob->address), alice->context.get(), encrypt(bob_cipher));
      receive_ciphers.push_back(bob_cipher);
      send_ciphers.push_back(alice->ciphers.back());
      recipients.push_back(std::move(bob));
    }
  }

  std::unique_ptr<Party> alice;
  std::vector<std::unique_ptr<Party>> recipients;
  std::vector<session_cipher*> send_ciphers, receive_ciphers;
};

void setup_initiator(benchmark::State& state, SetupFixture& fixture) {
  for (auto _ : state) {
    state.PauseTiming();
    fixture.reset();
    state.ResumeTiming();
    benchmark::DoNotOptimize(initiate(*fixture.alice, *fixture.bob, fixture.bundle));
  }
}

void setup_responder(benchmark::State& state, SetupFixture& fixture) {
  for (auto _ : state) {
    state.PauseTiming();
    fixture.reset();
    Bytes message = initiate(*fixture.alice, *fixture.bob, fixture.bundle);
    state.ResumeTiming();
    respond(*fixture.bob, *fixture.alice, message);
  }
}

void steady(benchmark::State& state, SteadyFixture& fixture) {
  std::vector<Bytes> messages(fixture.send_ciphers.size());
  for (auto _ : state) {
    for (std::size_t i = 0; i < messages.size(); ++i)
      messages[i] = encrypt(fixture.send_ciphers[i]);
    for (std::size_t i = 0; i < messages.size(); ++i) {
      decrypt(fixture.receive_ciphers[i], fixture.recipients[i]->context.get(), messages[i]);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(messages.size()));
}

// libsignal's curve operations, for the legacy floor.
struct CurveFixture {
  CurveFixture() : party(701, "curve@bench.example", 1) {
    check(curve_generate_key_pair(party.context.get(), peer.out()), "curve_generate_key_pair");
    SignalBuffer signature_buffer;
    message = serialize(ec_key_pair_get_public(peer.get()));
    check(curve_calculate_signature(party.context.get(), signature_buffer.out(),
                                    ratchet_identity_key_pair_get_private(party.identity.get()),
                                    message.data(), message.size()),
          "curve_calculate_signature");
    signature = to_bytes(signature_buffer);
  }
  Party party;
  SignalRef<ec_key_pair> peer;
  Bytes message, signature;
};

void curve_dh(benchmark::State& state, CurveFixture& fixture) {
  for (auto _ : state) {
    std::uint8_t* shared = nullptr;
    int length = curve_calculate_agreement(
        &shared, ec_key_pair_get_public(fixture.peer.get()),
        ratchet_identity_key_pair_get_private(fixture.party.identity.get()));
    if (length != 32) state.SkipWithError("curve_calculate_agreement failed");
    free(shared);  // NOLINT: libsignal allocates the secret with malloc
  }
}

void curve_keygen(benchmark::State& state, CurveFixture& fixture) {
  for (auto _ : state) {
    SignalRef<ec_key_pair> pair;
    check(curve_generate_key_pair(fixture.party.context.get(), pair.out()),
          "curve_generate_key_pair");
  }
}

void curve_verify(benchmark::State& state, CurveFixture& fixture) {
  for (auto _ : state) {
    int verdict = curve_verify_signature(
        ratchet_identity_key_pair_get_public(fixture.party.identity.get()), fixture.message.data(),
        fixture.message.size(), fixture.signature.data(), fixture.signature.size());
    if (verdict != 1) state.SkipWithError("curve_verify_signature failed");
  }
}

}  // namespace

void register_libsignal_benchmarks(std::vector<std::string>& /*notes*/) {
  benchmark::RegisterBenchmark("legacy/libsignal/setup_initiator", with_fixture(setup_initiator))
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("legacy/libsignal/setup_responder", with_fixture(setup_responder))
      ->Unit(benchmark::kMicrosecond);
  for (int count : {kFewRecipients, kManyRecipients}) {
    benchmark::RegisterBenchmark(fmt::format("legacy/libsignal/steady/{}", count).c_str(),
                                 with_fixture(steady, count))
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("primitive/libsignal/x25519_dh", with_fixture(curve_dh))
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("primitive/libsignal/x25519_keygen", with_fixture(curve_keygen))
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("primitive/libsignal/curvesig_verify", with_fixture(curve_verify))
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace oi::cli::bench
