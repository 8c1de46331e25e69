// X25519 (RFC 7748) over libsodium.
#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/curve25519.h"
#include "crypto/scalar_sign.h"
#include "crypto/sodium_init.h"

namespace oi::crypto {

CurveKeyPair curve25519_generate(RandomSource& random) {
  return curve25519_from_private(random.array<32>());
}

CurveKeyPair curve25519_from_private(const Key32& private_key) {
  detail::require_sodium();
  CurveKeyPair pair;
  pair.private_key = detail::clamp_scalar(private_key);
  // Fails only for a scalar that is zero after clamping, which clamping rules out.
  if (crypto_scalarmult_base(pair.public_key.data(), pair.private_key.data()) != 0) {
    throw std::logic_error("X25519 base multiplication failed for a clamped scalar");
  }
  return pair;
}

// libsodium returns -1 when the result is all zero, and for a small-order peer key it may return
// before writing the output at all. The clamped scalar is a multiple of the cofactor 8, so every
// input libsodium rejects has the all-zero result: the output starts zeroed and is forced to zero
// on failure. Non-canonical u (>= p, or bit 255 set) is masked and reduced as RFC 7748 says.
X25519Output x25519(const Key32& private_key, ByteView peer_public_key) {
  if (peer_public_key.size() != crypto_scalarmult_BYTES) {
    throw std::invalid_argument("x25519: peer public key must be 32 bytes");
  }
  detail::require_sodium();
  X25519Output out{};
  if (crypto_scalarmult(out.shared_secret.data(), private_key.data(), peer_public_key.data()) !=
      0) {
    std::fill(out.shared_secret.begin(), out.shared_secret.end(), std::uint8_t{0});
  }
  out.is_all_zero = sodium_is_zero(out.shared_secret.data(), out.shared_secret.size()) == 1;
  return out;
}

}  // namespace oi::crypto
