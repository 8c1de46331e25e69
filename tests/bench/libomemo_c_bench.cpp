// libomemo_c_bench: the OMEMO 2 baseline for `omemo-interop bench engine`. Raw libomemo-c v4
// (protocol version 4 = urn:xmpp:omemo:2) session_builder / session_cipher calls with an OpenSSL 3
// crypto provider and in-memory stores, and nothing else: no payload cipher, no SCE, no XML.
// The ratchet carries 48 bytes, the size of OMEMO 2's key || HMAC.
//
// It links libomemo-c only: libomemo-c and libsignal-protocol-c export the same symbols and must
// never be loaded into one process (feasibility.md §1), hence this separate program.
//
// Benchmarks (same names and definitions as the engine's, see harness/cli/bench.h):
//   omemo2/libomemo-c/setup_initiator  decode the bundle keys, process the bundle, first encrypt;
//   omemo2/libomemo-c/setup_responder  deserialise and decrypt that OMEMOKeyExchange;
//   omemo2/libomemo-c/steady/N         encrypt for N devices, each deserialises and decrypts.
// Usage: Google Benchmark's flags; `bench engine` runs it with --benchmark_format=json and reads
// the JSON from stdout.
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

extern "C" {
#include <omemo/curve.h>
#include <omemo/key_helper.h>
#include <omemo/protocol.h>
#include <omemo/ratchet.h>
#include <omemo/session_builder.h>
#include <omemo/session_cipher.h>
#include <omemo/session_pre_key.h>
#include <omemo/signal_protocol.h>

#include "engine/legacy/openssl_provider.h"
}

namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint32_t kOmemo2 = 4;  // CIPHERTEXT_OMEMO_VERSION
constexpr std::uint32_t kSignedPreKeyId = 1;
constexpr std::uint32_t kPreKeyId = 7;
const Bytes kKeyMaterial(48, 0x5a);

void check(int code, const char* what) {
  if (code < 0) throw std::runtime_error(std::string("libomemo-c: ") + what + " failed");
}

Bytes to_bytes(const signal_buffer* buffer) {
  return Bytes(signal_buffer_const_data(buffer),
               signal_buffer_const_data(buffer) + signal_buffer_len(buffer));
}

// Owning handles for libomemo-c's reference-counted objects and buffers.
template <class T>
struct Ref {
  Ref() = default;
  ~Ref() { reset(); }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  T** out() {
    reset();
    return &pointer;
  }
  void reset() {
    if (pointer != nullptr) signal_type_unref(reinterpret_cast<signal_type_base*>(pointer));
    pointer = nullptr;
  }
  T* pointer = nullptr;
};

struct Buffer {
  Buffer() = default;
  explicit Buffer(signal_buffer* owned) : pointer(owned) {}
  ~Buffer() { signal_buffer_free(pointer); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  signal_buffer** out() {
    signal_buffer_free(pointer);
    pointer = nullptr;
    return &pointer;
  }
  signal_buffer* pointer = nullptr;
};

// ---- the OpenSSL 3 crypto provider (libomemo-c's signal_crypto_provider contract) ----

int random_bytes(uint8_t* data, size_t len, void*) {
  return RAND_bytes(data, static_cast<int>(len)) == 1 ? 0 : SG_ERR_UNKNOWN;
}

// ---- in-memory stores ----

using Address = std::pair<std::string, std::int32_t>;

struct Store {
  std::map<Address, Bytes> sessions;
  std::map<std::uint32_t, Bytes> pre_keys;
  std::map<std::uint32_t, Bytes> signed_pre_keys;
  Bytes identity_public, identity_private;
};

Store& self(void* user_data) {
  return *static_cast<Store*>(user_data);
}

Address address_of(const signal_protocol_address* address) {
  return {std::string(address->name, address->name_len), address->device_id};
}

signal_buffer* buffer_of(const Bytes& bytes) {
  return signal_buffer_create(bytes.data(), bytes.size());
}

int load_session(signal_buffer** record, signal_buffer** user_record,
                 const signal_protocol_address* address, void* user_data) {
  *user_record = nullptr;
  auto found = self(user_data).sessions.find(address_of(address));
  if (found == self(user_data).sessions.end()) return 0;
  *record = buffer_of(found->second);
  return 1;
}

int sub_device_sessions(signal_int_list** list, const char* name, size_t name_len,
                        void* user_data) {
  signal_int_list* result = signal_int_list_alloc();
  if (result == nullptr) return SG_ERR_NOMEM;
  std::string jid(name, name_len);
  for (const auto& [address, record] : self(user_data).sessions)
    if (address.first == jid) signal_int_list_push_back(result, address.second);
  *list = result;
  return static_cast<int>(signal_int_list_size(result));
}

int store_session(const signal_protocol_address* address, uint8_t* record, size_t record_len,
                  uint8_t*, size_t, void* user_data) {
  self(user_data).sessions[address_of(address)] = Bytes(record, record + record_len);
  return 0;
}

int contains_session(const signal_protocol_address* address, void* user_data) {
  return self(user_data).sessions.count(address_of(address)) > 0 ? 1 : 0;
}

int delete_session(const signal_protocol_address* address, void* user_data) {
  return self(user_data).sessions.erase(address_of(address)) > 0 ? 1 : 0;
}

int delete_all_sessions(const char* name, size_t name_len, void* user_data) {
  std::string jid(name, name_len);
  return static_cast<int>(std::erase_if(
      self(user_data).sessions, [&](const auto& entry) { return entry.first.first == jid; }));
}

template <std::map<std::uint32_t, Bytes> Store::*Member>
int load_key(signal_buffer** record, uint32_t id, void* user_data) {
  auto& keys = self(user_data).*Member;
  auto found = keys.find(id);
  if (found == keys.end()) return SG_ERR_INVALID_KEY_ID;
  *record = buffer_of(found->second);
  return SG_SUCCESS;
}

template <std::map<std::uint32_t, Bytes> Store::*Member>
int store_key(uint32_t id, uint8_t* record, size_t record_len, void* user_data) {
  (self(user_data).*Member)[id] = Bytes(record, record + record_len);
  return 0;
}

template <std::map<std::uint32_t, Bytes> Store::*Member>
int contains_key(uint32_t id, void* user_data) {
  return (self(user_data).*Member).count(id) > 0 ? 1 : 0;
}

template <std::map<std::uint32_t, Bytes> Store::*Member>
int remove_key(uint32_t id, void* user_data) {
  (self(user_data).*Member).erase(id);
  return 0;
}

int identity_key_pair(signal_buffer** public_data, signal_buffer** private_data, void* user_data) {
  *public_data = buffer_of(self(user_data).identity_public);
  *private_data = buffer_of(self(user_data).identity_private);
  return 0;
}

int registration_id(void*, uint32_t* id) {
  *id = 0;  // OMEMO publishes none
  return 0;
}

int save_identity(const signal_protocol_address*, uint8_t*, size_t, void*) {
  return 0;
}
int is_trusted(const signal_protocol_address*, uint8_t*, size_t, void*) {
  return 1;
}

// ---- one device ----

struct Party {
  Party(const std::string& jid, std::int32_t device_id) : name(jid) {
    address = {name.c_str(), name.size(), device_id};
    check(signal_context_create(&context, nullptr), "signal_context_create");
    signal_crypto_provider provider{};
    provider.random_func = random_bytes;
    oi::engine::legacy::openssl_provider::set_openssl_callbacks(provider);
    check(signal_context_set_crypto_provider(context, &provider), "set_crypto_provider");

    check(signal_protocol_key_helper_generate_identity_key_pair(identity.out(), context),
          "generate_identity_key_pair");
    Buffer public_key, private_key;
    check(ec_public_key_serialize(public_key.out(),
                                  ratchet_identity_key_pair_get_public(identity.pointer)),
          "ec_public_key_serialize");
    check(ec_private_key_serialize(private_key.out(),
                                   ratchet_identity_key_pair_get_private(identity.pointer)),
          "ec_private_key_serialize");
    store.identity_public = to_bytes(public_key.pointer);
    store.identity_private = to_bytes(private_key.pointer);

    check(signal_protocol_store_context_create(&stores, context), "store_context_create");
    signal_protocol_session_store session_store{
        load_session,   sub_device_sessions, store_session, contains_session,
        delete_session, delete_all_sessions, nullptr,       &store};
    signal_protocol_pre_key_store pre_key_store{load_key<&Store::pre_keys>,
                                                store_key<&Store::pre_keys>,
                                                contains_key<&Store::pre_keys>,
                                                remove_key<&Store::pre_keys>,
                                                nullptr,
                                                &store};
    signal_protocol_signed_pre_key_store signed_pre_key_store{load_key<&Store::signed_pre_keys>,
                                                              store_key<&Store::signed_pre_keys>,
                                                              contains_key<&Store::signed_pre_keys>,
                                                              remove_key<&Store::signed_pre_keys>,
                                                              nullptr,
                                                              &store};
    signal_protocol_identity_key_store identity_store{
        identity_key_pair, registration_id, save_identity, is_trusted, nullptr, &store};
    signal_protocol_store_context_set_session_store(stores, &session_store);
    signal_protocol_store_context_set_pre_key_store(stores, &pre_key_store);
    signal_protocol_store_context_set_signed_pre_key_store(stores, &signed_pre_key_store);
    signal_protocol_store_context_set_identity_key_store(stores, &identity_store);
  }
  ~Party() {
    for (session_cipher* cipher : ciphers) session_cipher_free(cipher);
    identity.reset();
    signal_protocol_store_context_destroy(stores);
    signal_context_destroy(context);
  }
  Party(const Party&) = delete;
  Party& operator=(const Party&) = delete;

  // A version-4 cipher towards `remote` that lives as long as this party.
  session_cipher* cipher_for(const signal_protocol_address& remote) {
    session_cipher* cipher = nullptr;
    check(session_cipher_create(&cipher, stores, &remote, context), "session_cipher_create");
    session_cipher_set_version(cipher, kOmemo2);
    ciphers.push_back(cipher);
    return cipher;
  }

  std::string name;
  signal_protocol_address address{};
  signal_context* context = nullptr;
  signal_protocol_store_context* stores = nullptr;
  Store store;
  Ref<ratchet_identity_key_pair> identity;
  std::vector<session_cipher*> ciphers;
};

// The published bundle in its OMEMO 2 wire forms: ik as Ed25519, spk and pk as 32-byte X25519.
struct BundleBytes {
  Bytes identity_key, signed_pre_key, signature, pre_key;
};

BundleBytes publish(Party& party) {
  Ref<session_signed_pre_key> signed_pre_key;
  check(signal_protocol_key_helper_generate_signed_pre_key(
            signed_pre_key.out(), party.identity.pointer, kSignedPreKeyId, 0, party.context),
        "generate_signed_pre_key");
  Buffer record;
  check(session_signed_pre_key_serialize(record.out(), signed_pre_key.pointer),
        "session_signed_pre_key_serialize");
  party.store.signed_pre_keys[kSignedPreKeyId] = to_bytes(record.pointer);

  Ref<ec_key_pair> pre_key_pair;
  check(curve_generate_key_pair(party.context, pre_key_pair.out()), "curve_generate_key_pair");
  Ref<session_pre_key> pre_key;
  check(session_pre_key_create(pre_key.out(), kPreKeyId, pre_key_pair.pointer),
        "session_pre_key_create");
  check(session_pre_key_serialize(record.out(), pre_key.pointer), "session_pre_key_serialize");
  party.store.pre_keys[kPreKeyId] = to_bytes(record.pointer);

  BundleBytes bundle;
  Buffer identity_ed(
      ec_public_key_get_ed(ratchet_identity_key_pair_get_public(party.identity.pointer)));
  bundle.identity_key = to_bytes(identity_ed.pointer);
  Buffer spk, pk;
  check(ec_public_key_serialize_omemo(
            spk.out(),
            ec_key_pair_get_public(session_signed_pre_key_get_key_pair(signed_pre_key.pointer))),
        "ec_public_key_serialize_omemo");
  check(ec_public_key_serialize_omemo(pk.out(), ec_key_pair_get_public(pre_key_pair.pointer)),
        "ec_public_key_serialize_omemo");
  bundle.signed_pre_key = to_bytes(spk.pointer);
  bundle.pre_key = to_bytes(pk.pointer);
  const uint8_t* signature = session_signed_pre_key_get_signature_omemo(signed_pre_key.pointer);
  bundle.signature =
      Bytes(signature,
            signature + session_signed_pre_key_get_signature_omemo_len(signed_pre_key.pointer));
  return bundle;
}

Bytes serialized(const ciphertext_message* message) {
  return to_bytes(ciphertext_message_get_serialized(message));
}

// Alice's side of a setup; returns the serialised OMEMOKeyExchange.
Bytes initiate(Party& alice, const Party& bob, const BundleBytes& bundle) {
  Ref<ec_public_key> identity, signed_pre_key, pre_key;
  check(curve_decode_point_ed(identity.out(), bundle.identity_key.data(),
                              bundle.identity_key.size(), alice.context),
        "curve_decode_point_ed");
  check(curve_decode_point_mont(signed_pre_key.out(), bundle.signed_pre_key.data(),
                                bundle.signed_pre_key.size(), alice.context),
        "curve_decode_point_mont");
  check(curve_decode_point_mont(pre_key.out(), bundle.pre_key.data(), bundle.pre_key.size(),
                                alice.context),
        "curve_decode_point_mont");
  Ref<session_pre_key_bundle> libomemo_bundle;
  check(session_pre_key_bundle_create(libomemo_bundle.out(), 0, bob.address.device_id, kPreKeyId,
                                      pre_key.pointer, kSignedPreKeyId, signed_pre_key.pointer,
                                      bundle.signature.data(), bundle.signature.size(),
                                      identity.pointer),
        "session_pre_key_bundle_create");
  session_builder* builder = nullptr;
  check(session_builder_create(&builder, alice.stores, &bob.address, alice.context),
        "session_builder_create");
  session_builder_set_version(builder, kOmemo2);
  int code = session_builder_process_pre_key_bundle(builder, libomemo_bundle.pointer);
  session_builder_free(builder);
  check(code, "session_builder_process_pre_key_bundle");

  session_cipher* cipher = nullptr;
  check(session_cipher_create(&cipher, alice.stores, &bob.address, alice.context),
        "session_cipher_create");
  session_cipher_set_version(cipher, kOmemo2);
  Ref<ciphertext_message> message;
  code = session_cipher_encrypt(cipher, kKeyMaterial.data(), kKeyMaterial.size(), message.out());
  session_cipher_free(cipher);
  check(code, "session_cipher_encrypt");
  return serialized(message.pointer);
}

void respond(Party& bob, const Party& alice, const Bytes& data) {
  Ref<pre_key_signal_message> message;
  check(pre_key_signal_message_deserialize_omemo(message.out(), data.data(), data.size(), 0,
                                                 bob.context),
        "pre_key_signal_message_deserialize_omemo");
  session_cipher* cipher = nullptr;
  check(session_cipher_create(&cipher, bob.stores, &alice.address, bob.context),
        "session_cipher_create");
  session_cipher_set_version(cipher, kOmemo2);
  Buffer plaintext;
  int code = session_cipher_decrypt_pre_key_signal_message(cipher, message.pointer, nullptr,
                                                           plaintext.out());
  session_cipher_free(cipher);
  check(code, "session_cipher_decrypt_pre_key_signal_message");
}

Bytes encrypt(session_cipher* cipher) {
  Ref<ciphertext_message> message;
  check(session_cipher_encrypt(cipher, kKeyMaterial.data(), kKeyMaterial.size(), message.out()),
        "session_cipher_encrypt");
  return serialized(message.pointer);
}

void decrypt(session_cipher* cipher, signal_context* context, const Bytes& data) {
  Ref<signal_message> message;
  check(signal_message_deserialize_omemo(message.out(), data.data(), data.size(), context),
        "signal_message_deserialize_omemo");
  Buffer plaintext;
  check(session_cipher_decrypt_signal_message(cipher, message.pointer, nullptr, plaintext.out()),
        "session_cipher_decrypt_signal_message");
}

struct SetupFixture {
  SetupFixture()
      : alice(std::make_unique<Party>("alice@bench.example", 1)),
        bob(std::make_unique<Party>("bob@bench.example", 2)),
        bundle(publish(*bob)),
        bob_pre_key(bob->store.pre_keys.at(kPreKeyId)) {}

  void reset() {
    alice->store.sessions.clear();
    bob->store.sessions.clear();
    bob->store.pre_keys[kPreKeyId] = bob_pre_key;
  }

  std::unique_ptr<Party> alice, bob;
  BundleBytes bundle;
  Bytes bob_pre_key;
};

struct SteadyFixture {
  explicit SteadyFixture(int count) : alice(std::make_unique<Party>("alice@bench.example", 1)) {
    for (int i = 0; i < count; ++i) {
      auto bob = std::make_unique<Party>("bob@bench.example", 1001 + i);
      respond(*bob, *alice, initiate(*alice, *bob, publish(*bob)));
      session_cipher* bob_cipher = bob->cipher_for(alice->address);
      decrypt(alice->cipher_for(bob->address), alice->context, encrypt(bob_cipher));
      receive_ciphers.push_back(bob_cipher);
      send_ciphers.push_back(alice->ciphers.back());
      recipients.push_back(std::move(bob));
    }
  }

  std::unique_ptr<Party> alice;
  std::vector<std::unique_ptr<Party>> recipients;
  std::vector<session_cipher*> send_ciphers, receive_ciphers;
};

// Fixtures are built on a benchmark's first run and kept for its later ones.
template <class Fixture, class... Args>
auto with_fixture(void (*body)(benchmark::State&, Fixture&), Args... args) {
  auto cache = std::make_shared<std::unique_ptr<Fixture>>();
  return [=](benchmark::State& state) {
    try {
      if (!*cache) *cache = std::make_unique<Fixture>(args...);
      body(state, **cache);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
    }
  };
}

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
    for (std::size_t i = 0; i < messages.size(); ++i)
      decrypt(fixture.receive_ciphers[i], fixture.recipients[i]->context, messages[i]);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(messages.size()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::RegisterBenchmark("omemo2/libomemo-c/setup_initiator", with_fixture(setup_initiator))
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("omemo2/libomemo-c/setup_responder", with_fixture(setup_responder))
      ->Unit(benchmark::kMicrosecond);
  for (int count : {1, 100}) {
    benchmark::RegisterBenchmark(("omemo2/libomemo-c/steady/" + std::to_string(count)).c_str(),
                                 with_fixture(steady, count))
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
