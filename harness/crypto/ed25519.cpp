// Ed25519 (RFC 8032) over libsodium; verification is libsodium's strict one.
#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/curve25519.h"
#include "crypto/sodium_init.h"

namespace oi::crypto {
namespace {

using SecretKey = ByteArray<crypto_sign_SECRETKEYBYTES>;  // seed || public key

SecretKey secret_key_from_seed(const Key32& seed, Key32* public_key) {
  detail::require_sodium();
  SecretKey secret;
  Key32 unused_public;
  Key32& pk = public_key != nullptr ? *public_key : unused_public;
  if (crypto_sign_seed_keypair(pk.data(), secret.data(), seed.data()) != 0) {
    throw std::runtime_error("crypto_sign_seed_keypair failed");
  }
  return secret;
}

}  // namespace

EdKeyPair ed25519_generate(RandomSource& random) {
  return ed25519_from_seed(random.array<32>());
}

EdKeyPair ed25519_from_seed(const Key32& seed) {
  EdKeyPair pair;
  pair.seed = seed;
  SecretKey secret = secret_key_from_seed(seed, &pair.public_key);
  sodium_memzero(secret.data(), secret.size());
  return pair;
}

Signature64 ed25519_sign(const Key32& seed, ByteView message) {
  SecretKey secret = secret_key_from_seed(seed, nullptr);
  Signature64 signature;
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), secret.data());
  sodium_memzero(secret.data(), secret.size());
  return signature;
}

bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  detail::require_sodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

}  // namespace oi::crypto
