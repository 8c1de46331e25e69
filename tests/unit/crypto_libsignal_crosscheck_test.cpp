// Cross-check of curvesig against libsignal-protocol-c itself (spec A-11): our signatures verify
// with libsignal's curve_verify_signature, and libsignal's curve_calculate_signature output
// verifies with ours and equals ours byte for byte given the same 64 random bytes.
#include <curve.h>
#include <signal_protocol.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>

#include "crypto/curve25519.h"

using oi::ByteArray;
using oi::Bytes;
using oi::Key32;
using oi::Signature64;
namespace crypto = oi::crypto;

namespace {

// libsignal draws curve_calculate_signature's nonce input through the provider; we serve it from
// a RandomSource and remember the last draw so that our own signer can be given the same bytes.
struct RandomFeed {
  crypto::RandomSource source = crypto::RandomSource::seeded(0x5197a1);
  Bytes last;
};

int feed_random(uint8_t* data, size_t len, void* user_data) {
  auto* feed = static_cast<RandomFeed*>(user_data);
  feed->last = feed->source.bytes(len);
  std::copy(feed->last.begin(), feed->last.end(), data);
  return 0;
}

// signal_context_set_crypto_provider insists on HMAC callbacks; curve signatures never call them.
int no_hmac_init(void**, const uint8_t*, size_t, void*) {
  return SG_ERR_UNKNOWN;
}
int no_hmac_update(void*, const uint8_t*, size_t, void*) {
  return SG_ERR_UNKNOWN;
}
int no_hmac_final(void*, signal_buffer**, void*) {
  return SG_ERR_UNKNOWN;
}
void no_hmac_cleanup(void*, void*) {}

struct ContextDeleter {
  void operator()(signal_context* ctx) const { signal_context_destroy(ctx); }
};

struct Libsignal {
  RandomFeed feed;
  std::unique_ptr<signal_context, ContextDeleter> context;

  Libsignal() {
    signal_context* raw = nullptr;
    REQUIRE(signal_context_create(&raw, nullptr) == 0);
    context.reset(raw);
    signal_crypto_provider provider{};
    provider.random_func = feed_random;
    provider.hmac_sha256_init_func = no_hmac_init;
    provider.hmac_sha256_update_func = no_hmac_update;
    provider.hmac_sha256_final_func = no_hmac_final;
    provider.hmac_sha256_cleanup_func = no_hmac_cleanup;
    provider.user_data = &feed;
    REQUIRE(signal_context_set_crypto_provider(context.get(), &provider) == 0);
  }

  ec_public_key* public_key(const Key32& u) {
    uint8_t serialized[33];
    serialized[0] = 0x05;  // DJB_TYPE
    std::copy(u.begin(), u.end(), serialized + 1);
    ec_public_key* key = nullptr;
    REQUIRE(curve_decode_point(&key, serialized, sizeof serialized, context.get()) == 0);
    return key;
  }

  ec_private_key* private_key(const Key32& k) {
    ec_private_key* key = nullptr;
    REQUIRE(curve_decode_private_point(&key, k.data(), k.size(), context.get()) == 0);
    return key;
  }
};

}  // namespace

TEST_CASE("crypto.curvesig: agrees with libsignal-protocol-c", "[crypto][curvesig][libsignal]") {
  Libsignal signal;
  auto random = crypto::RandomSource::seeded(0xc0ffee);
  int keys_by_sign[2] = {0, 0};
  int checks = 0;

  for (int i = 0; i < 64; ++i) {
    const auto pair = crypto::curve25519_generate(random);
    const bool sign_bit =
        (crypto::curve25519_private_to_ed25519_public(pair.private_key)[31] & 0x80) != 0;
    ++keys_by_sign[sign_bit ? 1 : 0];
    ec_public_key* lib_public = signal.public_key(pair.public_key);
    ec_private_key* lib_private = signal.private_key(pair.private_key);

    // libsignal derives the same public key from the private key.
    ec_public_key* derived = nullptr;
    REQUIRE(curve_generate_public_key(&derived, lib_private) == 0);
    CHECK(ec_public_key_compare(derived, lib_public) == 0);
    SIGNAL_UNREF(derived);

    const Bytes message = random.bytes(static_cast<std::size_t>(i) % 40 + 1);
    INFO("key " << i << ", Ed sign bit " << sign_bit);

    // (1) ours -> libsignal
    const Signature64 ours = crypto::curvesig_sign(pair.private_key, message, random.array<64>());
    CHECK(curve_verify_signature(lib_public, message.data(), message.size(), ours.data(),
                                 ours.size()) == 1);
    Signature64 tampered = ours;
    tampered[5] ^= 0x01;
    CHECK(curve_verify_signature(lib_public, message.data(), message.size(), tampered.data(),
                                 tampered.size()) == 0);

    // (2) libsignal -> ours, and byte equality given the same random input
    signal_buffer* theirs = nullptr;
    REQUIRE(curve_calculate_signature(signal.context.get(), &theirs, lib_private, message.data(),
                                      message.size()) == 0);
    REQUIRE(signal_buffer_len(theirs) == 64);
    const Bytes their_signature(signal_buffer_data(theirs), signal_buffer_data(theirs) + 64);
    signal_buffer_free(theirs);
    CHECK(crypto::curvesig_verify(pair.public_key, message, their_signature));
    REQUIRE(signal.feed.last.size() == 64);
    ByteArray<64> same_random;
    std::copy(signal.feed.last.begin(), signal.feed.last.end(), same_random.begin());
    const Signature64 replay = crypto::curvesig_sign(pair.private_key, message, same_random);
    CHECK(Bytes(replay.begin(), replay.end()) == their_signature);

    SIGNAL_UNREF(lib_public);
    SIGNAL_UNREF(lib_private);
    ++checks;
  }
  CHECK(checks == 64);
  // Both sign-bit cases must be exercised for the cross-check to mean anything.
  CHECK(keys_by_sign[0] >= 16);
  CHECK(keys_by_sign[1] >= 16);
}
