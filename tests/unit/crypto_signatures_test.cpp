// XEdDSA and libsignal's curvesig: known answers, both Ed sign-bit cases, rejections.
#include <algorithm>
#include <catch2/catch.hpp>

#include "crypto/curve25519.h"

using oi::ByteArray;
using oi::Bytes;
using oi::from_hex;
using oi::Key32;
using oi::Signature64;
using oi::to_hex;
namespace crypto = oi::crypto;

namespace {

template <typename Array>
Array array_from_hex(std::string_view hex) {
  const Bytes bytes = *from_hex(hex);
  REQUIRE(bytes.size() == Array().size());
  Array out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

bool has_ed_sign_bit(const Key32& curve_private_key) {
  return (crypto::curve25519_private_to_ed25519_public(curve_private_key)[31] & 0x80) != 0;
}

// A clamped private key whose Ed25519 public key has the requested sign bit.
Key32 key_with_sign(crypto::RandomSource& random, bool sign_bit) {
  for (;;) {
    const Key32 key = crypto::curve25519_generate(random).private_key;
    if (has_ed_sign_bit(key) == sign_bit) return key;
  }
}

ByteArray<64> counting_bytes() {
  ByteArray<64> z;
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = static_cast<std::uint8_t>(i);
  return z;
}

const Bytes kMessage = {'o', 'm', 'e', 'm', 'o', '-', 'i', 'n', 't', 'e',
                        'r', 'o', 'p', ' ', 'x', 'e', 'd', 'd', 's', 'a'};

}  // namespace

TEST_CASE("crypto.xeddsa: known answers from python3-xeddsa 1.0.2", "[crypto][xeddsa]") {
  // Produced by python3-xeddsa 1.0.2 (libxeddsa):
  //   ed25519_priv_sign(priv_force_sign(priv, False), b"omemo-interop xeddsa", bytes(range(64)))
  // for an unclamped priv; the first key's Ed25519 form has sign bit 1, the second's 0.
  struct Case {
    const char* priv;
    const char* curve_public;
    const char* signature;
  };
  const Case cases[] = {
      {"8893e44c96b38cbd89b07fddf6014e486b720acba05e5a13bf90e07ca7b0e031",
       "3e69f7547faf7901c1fca11c939d7723da627b7533806860a763a07491d6e61d",
       "c4f3532674b1d0c37bdc5a8b15fb8424a416818bdd3537fe155169432de7ce55"
       "a7b32aeeae65104ae0e2eef0e36da020e2768f5725ab0e4a34a23dbff8ef6d0d"},
      {"74f58d0d3c329ae3f11733e3dae540ae9d377b25929e145d0777bc7fea149823",
       "72980236d6a45b1414ae316bdd59dfdd52925835f0c53a3894c83d10a1080a25",
       "788439be44f81cea21bdd4ebeab9e2cedb5de9c67903100bff900e2259c03149"
       "f3a47b2f69ba90b82b68d9de369095715ad19f1a86c9d7e2998a5c339a066905"},
  };
  bool seen_sign[2] = {false, false};
  for (const Case& c : cases) {
    const Key32 priv = array_from_hex<Key32>(c.priv);
    seen_sign[has_ed_sign_bit(priv) ? 1 : 0] = true;
    const Signature64 signature = crypto::xeddsa_sign(priv, kMessage, counting_bytes());
    CHECK(to_hex(signature) == c.signature);
    CHECK(crypto::xeddsa_verify(array_from_hex<Key32>(c.curve_public), kMessage, signature));
  }
  CHECK(seen_sign[0]);
  CHECK(seen_sign[1]);
}

TEST_CASE("crypto.xeddsa: round trip for both sign-bit cases", "[crypto][xeddsa]") {
  auto random = crypto::RandomSource::seeded(11);
  for (bool sign_bit : {false, true}) {
    INFO("Ed sign bit " << sign_bit);
    const auto pair = crypto::curve25519_from_private(key_with_sign(random, sign_bit));
    const Signature64 signature =
        crypto::xeddsa_sign(pair.private_key, kMessage, random.array<64>());
    CHECK(crypto::xeddsa_verify(pair.public_key, kMessage, signature));
    // An XEdDSA signature is a plain Ed25519 signature under the sign-0 Ed25519 key.
    const auto ed_public = crypto::curve25519_public_to_ed25519(pair.public_key, false);
    REQUIRE(ed_public);
    CHECK(crypto::ed25519_verify(*ed_public, kMessage, signature));
    CHECK((signature[63] & 0xe0) == 0);
  }
}

TEST_CASE("crypto.xeddsa: rejections", "[crypto][xeddsa]") {
  auto random = crypto::RandomSource::seeded(12);
  const auto pair = crypto::curve25519_from_private(key_with_sign(random, true));
  const Signature64 signature = crypto::xeddsa_sign(pair.private_key, kMessage, random.array<64>());
  REQUIRE(crypto::xeddsa_verify(pair.public_key, kMessage, signature));

  Signature64 flipped = signature;
  flipped[3] ^= 0x01;
  CHECK_FALSE(crypto::xeddsa_verify(pair.public_key, kMessage, flipped));
  Bytes other_message = kMessage;
  other_message.back() ^= 0x01;
  CHECK_FALSE(crypto::xeddsa_verify(pair.public_key, other_message, signature));
  CHECK_FALSE(crypto::xeddsa_verify(pair.public_key, kMessage,
                                    Bytes(signature.begin(), signature.end() - 1)));
  Signature64 top_bit = signature;
  top_bit[63] |= 0x80;
  CHECK_FALSE(crypto::xeddsa_verify(pair.public_key, kMessage, top_bit));
  // The spec rejects u >= p even where the masked value would verify.
  Key32 non_canonical = pair.public_key;
  non_canonical[31] |= 0x80;
  CHECK_FALSE(crypto::xeddsa_verify(non_canonical, kMessage, signature));
  const auto other = crypto::curve25519_generate(random);
  CHECK_FALSE(crypto::xeddsa_verify(other.public_key, kMessage, signature));
}

TEST_CASE("crypto.curvesig: round trip and the sign bit in sig[63]", "[crypto][curvesig]") {
  auto random = crypto::RandomSource::seeded(13);
  for (bool sign_bit : {false, true}) {
    INFO("Ed sign bit " << sign_bit);
    const auto pair = crypto::curve25519_from_private(key_with_sign(random, sign_bit));
    const auto random64 = random.array<64>();
    const Signature64 signature = crypto::curvesig_sign(pair.private_key, kMessage, random64);
    CHECK(((signature[63] & 0x80) != 0) == sign_bit);
    CHECK(crypto::curvesig_verify(pair.public_key, kMessage, signature));
    CHECK(crypto::curvesig_sign(pair.private_key, kMessage, random64) == signature);

    Signature64 flipped = signature;
    flipped[40] ^= 0x10;
    CHECK_FALSE(crypto::curvesig_verify(pair.public_key, kMessage, flipped));
    Signature64 wrong_sign = signature;
    wrong_sign[63] ^= 0x80;
    CHECK_FALSE(crypto::curvesig_verify(pair.public_key, kMessage, wrong_sign));
    CHECK_FALSE(crypto::curvesig_verify(pair.public_key, kMessage, Bytes(65, 0)));

    // Spec A-11: with sign bit 0 the two schemes coincide byte for byte (same scalar, same A,
    // same nonce). With sign bit 1 an XEdDSA verifier rejects the curvesig signature, while a
    // curvesig verifier still accepts the XEdDSA one: its sig[63] bit is 0, which selects exactly
    // the sign-0 key XEdDSA signs for.
    const Signature64 xeddsa = crypto::xeddsa_sign(pair.private_key, kMessage, random64);
    CHECK(crypto::curvesig_verify(pair.public_key, kMessage, xeddsa));
    if (sign_bit) {
      CHECK(xeddsa != signature);
      CHECK_FALSE(crypto::xeddsa_verify(pair.public_key, kMessage, signature));
    } else {
      CHECK(xeddsa == signature);
      CHECK(crypto::xeddsa_verify(pair.public_key, kMessage, signature));
    }
  }
}
