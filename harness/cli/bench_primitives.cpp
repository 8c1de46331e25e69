// The elliptic-curve primitives a session setup is made of, called straight on libsodium (the
// fastest implementation in the process, and the one the OMEMO 2 engine uses): X25519 shared
// secret, X25519 key generation (a fixed-base multiplication), Ed25519 sign and verify. Their
// rates give the physical floor of a session setup (bench_report.cpp).
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "cli/bench.h"
#include "crypto/random_source.h"

namespace oi::cli::bench {

namespace {

using Key = std::array<std::uint8_t, 32>;

void require_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
}

void x25519_dh(benchmark::State& state) {
  require_sodium();
  crypto::RandomSource random = crypto::RandomSource::seeded(std::uint64_t{1});
  Key secret = random.array<32>();
  Key peer_secret = random.array<32>();
  Key peer_public{}, shared{};
  crypto_scalarmult_base(peer_public.data(), peer_secret.data());
  for (auto _ : state) {
    if (crypto_scalarmult(shared.data(), secret.data(), peer_public.data()) != 0) {
      state.SkipWithError("crypto_scalarmult failed");
    }
    benchmark::DoNotOptimize(shared);
  }
}

void x25519_keygen(benchmark::State& state) {
  require_sodium();
  crypto::RandomSource random = crypto::RandomSource::seeded(std::uint64_t{2});
  Key secret = random.array<32>();
  Key public_key{};
  for (auto _ : state) {
    crypto_scalarmult_base(public_key.data(), secret.data());
    benchmark::DoNotOptimize(public_key);
    secret[0] ^= public_key[0];  // a new scalar each time, for free
  }
}

struct SigningKey {
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> public_key{};
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> secret_key{};
};

SigningKey signing_key() {
  require_sodium();
  crypto::RandomSource random = crypto::RandomSource::seeded(std::uint64_t{3});
  Key seed = random.array<32>();
  SigningKey key;
  crypto_sign_seed_keypair(key.public_key.data(), key.secret_key.data(), seed.data());
  return key;
}

// The message a signed prekey signature covers: a 32-byte key (OMEMO 2; legacy signs 33 bytes).
const std::vector<std::uint8_t> kSignedMessage(32, 0x42);

void ed25519_sign(benchmark::State& state) {
  SigningKey key = signing_key();
  std::array<std::uint8_t, crypto_sign_BYTES> signature{};
  for (auto _ : state) {
    crypto_sign_detached(signature.data(), nullptr, kSignedMessage.data(), kSignedMessage.size(),
                         key.secret_key.data());
    benchmark::DoNotOptimize(signature);
  }
}

void ed25519_verify(benchmark::State& state) {
  SigningKey key = signing_key();
  std::array<std::uint8_t, crypto_sign_BYTES> signature{};
  crypto_sign_detached(signature.data(), nullptr, kSignedMessage.data(), kSignedMessage.size(),
                       key.secret_key.data());
  for (auto _ : state) {
    int verdict = crypto_sign_verify_detached(signature.data(), kSignedMessage.data(),
                                              kSignedMessage.size(), key.public_key.data());
    if (verdict != 0) state.SkipWithError("the signature does not verify");
    benchmark::DoNotOptimize(verdict);
  }
}

}  // namespace

void register_primitive_benchmarks(std::vector<std::string>& /*notes*/) {
  benchmark::RegisterBenchmark("primitive/libsodium/x25519_dh", x25519_dh)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("primitive/libsodium/x25519_keygen", x25519_keygen)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("primitive/libsodium/ed25519_sign", ed25519_sign)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("primitive/libsodium/ed25519_verify", ed25519_verify)
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace oi::cli::bench
