// The signing core shared by XEdDSA (xeddsa.cpp) and libsignal's curvesig (curvesig.cpp).
#include "crypto/scalar_sign.h"

#include <sodium.h>

#include <algorithm>

#include "crypto/sodium_init.h"

namespace oi::crypto::detail {
namespace {

using Scalar = ByteArray<crypto_core_ed25519_SCALARBYTES>;

// x mod L for a 64-byte little-endian integer (a SHA-512 output or a zero-extended 32-byte value).
Scalar reduce_wide(const ByteArray<64>& wide) {
  Scalar out;
  crypto_core_ed25519_scalar_reduce(out.data(), wide.data());
  return out;
}

Scalar reduce_narrow(const Key32& narrow) {
  ByteArray<64> wide{};
  std::copy(narrow.begin(), narrow.end(), wide.begin());
  return reduce_wide(wide);
}

// hash_1 prefix of the XEdDSA spec: the 32-byte little-endian encoding of 2^256 - 1 - 1.
constexpr ByteArray<32> kHash1Prefix = {
    0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

void hash_update(crypto_hash_sha512_state& state, ByteView data) {
  if (!data.empty()) crypto_hash_sha512_update(&state, data.data(), data.size());
}

}  // namespace

Key32 clamp_scalar(Key32 scalar) {
  scalar[0] &= 248;
  scalar[31] &= 127;
  scalar[31] |= 64;
  return scalar;
}

Key32 ed25519_base_multiply(const Key32& scalar) {
  require_sodium();
  Key32 point;
  // libsodium writes the point even when it reports the identity (scalar = 0 mod L); the
  // identity encoding is the right answer then, so the status is not an error here.
  [[maybe_unused]] const int status =
      crypto_scalarmult_ed25519_base_noclamp(point.data(), scalar.data());
  return point;
}

Signature64 sign_with_scalar(const Key32& scalar, const Key32& public_key, ByteView message,
                             const ByteArray<64>& z) {
  require_sodium();
  crypto_hash_sha512_state state;

  ByteArray<64> nonce_hash;
  crypto_hash_sha512_init(&state);
  hash_update(state, kHash1Prefix);
  hash_update(state, scalar);
  hash_update(state, message);
  hash_update(state, z);
  crypto_hash_sha512_final(&state, nonce_hash.data());
  const Scalar r = reduce_wide(nonce_hash);

  const Key32 big_r = ed25519_base_multiply(r);

  ByteArray<64> challenge_hash;
  crypto_hash_sha512_init(&state);
  hash_update(state, big_r);
  hash_update(state, public_key);
  hash_update(state, message);
  crypto_hash_sha512_final(&state, challenge_hash.data());
  const Scalar h = reduce_wide(challenge_hash);

  const Scalar a = reduce_narrow(scalar);
  Scalar ha;
  crypto_core_ed25519_scalar_mul(ha.data(), h.data(), a.data());
  Scalar s;
  crypto_core_ed25519_scalar_add(s.data(), ha.data(), r.data());

  Signature64 signature;
  std::copy(big_r.begin(), big_r.end(), signature.begin());
  std::copy(s.begin(), s.end(), signature.begin() + 32);
  return signature;
}

}  // namespace oi::crypto::detail
