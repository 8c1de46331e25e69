// The RFC 7748 §4.1 birational map between Curve25519 (u) and Ed25519 (y), and key derivations
// that cross it. libsodium does the Ed -> Curve direction; the Curve -> Ed direction needs one
// field inversion mod p, done with OpenSSL BIGNUM because libsodium does not export its field.
#include <openssl/bn.h>
#include <sodium.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "crypto/curve25519.h"
#include "crypto/scalar_sign.h"
#include "crypto/sodium_init.h"

namespace oi::crypto {
namespace {

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
  void operator()(BN_CTX* ctx) const { BN_CTX_free(ctx); }
};
using Bn = std::unique_ptr<BIGNUM, BnDeleter>;

Bn new_bn() {
  Bn bn(BN_new());
  if (!bn) throw std::runtime_error("OpenSSL failure: BN_new");
  return bn;
}

void check(int status, const char* what) {
  if (status != 1) throw std::runtime_error(std::string("OpenSSL failure: ") + what);
}

}  // namespace

std::optional<Key32> ed25519_public_to_curve25519(ByteView ed_public_key) {
  if (ed_public_key.size() != crypto_sign_PUBLICKEYBYTES) return std::nullopt;
  detail::require_sodium();
  Key32 u;
  if (crypto_sign_ed25519_pk_to_curve25519(u.data(), ed_public_key.data()) != 0) {
    return std::nullopt;
  }
  return u;
}

Key32 ed25519_seed_to_curve25519(const Key32& seed) {
  detail::require_sodium();
  // libsodium reads only the seed half of the 64-byte secret key; the rest may stay zero.
  ByteArray<crypto_sign_SECRETKEYBYTES> secret{};
  std::copy(seed.begin(), seed.end(), secret.begin());
  Key32 scalar;
  if (crypto_sign_ed25519_sk_to_curve25519(scalar.data(), secret.data()) != 0) {
    throw std::runtime_error("crypto_sign_ed25519_sk_to_curve25519 failed");
  }
  sodium_memzero(secret.data(), secret.size());
  return scalar;
}

std::optional<Key32> curve25519_public_to_ed25519(const Key32& curve_public_key, bool sign_bit) {
  // p = 2^255 - 19, big-endian.
  static constexpr ByteArray<32> kPrimeBigEndian = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xed};

  std::unique_ptr<BN_CTX, BnDeleter> ctx(BN_CTX_new());
  if (!ctx) throw std::runtime_error("OpenSSL failure: BN_CTX_new");
  Bn p = new_bn(), u = new_bn(), numerator = new_bn(), denominator = new_bn(), y = new_bn();

  check(BN_bin2bn(kPrimeBigEndian.data(), 32, p.get()) != nullptr ? 1 : 0, "BN_bin2bn");
  // RFC 7748 decoding: mask bit 255, then reduce mod p (u may be non-canonical).
  Key32 masked = curve_public_key;
  masked[31] &= 0x7f;
  check(BN_lebin2bn(masked.data(), 32, u.get()) != nullptr ? 1 : 0, "BN_lebin2bn");
  check(BN_nnmod(u.get(), u.get(), p.get(), ctx.get()), "BN_nnmod");

  check(BN_mod_sub(numerator.get(), u.get(), BN_value_one(), p.get(), ctx.get()), "BN_mod_sub");
  check(BN_mod_add(denominator.get(), u.get(), BN_value_one(), p.get(), ctx.get()), "BN_mod_add");
  if (BN_is_zero(denominator.get())) return std::nullopt;  // u = -1: no Ed25519 point
  if (BN_mod_inverse(denominator.get(), denominator.get(), p.get(), ctx.get()) == nullptr) {
    throw std::runtime_error("OpenSSL failure: BN_mod_inverse");
  }
  check(BN_mod_mul(y.get(), numerator.get(), denominator.get(), p.get(), ctx.get()), "BN_mod_mul");

  Key32 ed;
  check(BN_bn2lebinpad(y.get(), ed.data(), 32) == 32 ? 1 : 0, "BN_bn2lebinpad");
  // y < p < 2^255, so bit 255 is free for the sign of x.
  if (sign_bit) ed[31] |= 0x80;
  return ed;
}

// The scalar is clamped first (as X25519 does), so the result is the Ed25519 form of the same
// point whose u-coordinate curve25519_from_private() returns.
Key32 curve25519_private_to_ed25519_public(const Key32& curve_private_key) {
  return detail::ed25519_base_multiply(detail::clamp_scalar(curve_private_key));
}

}  // namespace oi::crypto
