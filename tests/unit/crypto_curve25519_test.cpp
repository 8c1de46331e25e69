// X25519, Ed25519 and the birational map: RFC known answers, edge cases, round trips.
#include <algorithm>
#include <catch2/catch.hpp>

#include "crypto/curve25519.h"

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

}  // namespace

TEST_CASE("crypto.x25519: RFC 7748 §6.1", "[crypto][x25519]") {
  const auto alice = crypto::curve25519_from_private(
      array_from_hex<Key32>("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  const auto bob = crypto::curve25519_from_private(
      array_from_hex<Key32>("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  CHECK(to_hex(alice.public_key) ==
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  CHECK(to_hex(bob.public_key) ==
        "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  const std::string shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
  const auto ab = crypto::x25519(alice.private_key, bob.public_key);
  const auto ba = crypto::x25519(bob.private_key, alice.public_key);
  CHECK(to_hex(ab.shared_secret) == shared);
  CHECK(to_hex(ba.shared_secret) == shared);
  CHECK_FALSE(ab.is_all_zero);
  // curve25519_from_private clamps.
  CHECK(alice.private_key[0] % 8 == 0);
  CHECK((alice.private_key[31] & 0xc0) == 0x40);
}

TEST_CASE("crypto.x25519: low-order peer keys give the all-zero flag", "[crypto][x25519]") {
  const Key32 key = crypto::curve25519_from_private(Key32{1, 2, 3}).private_key;
  for (const char* low_order : {
           "0000000000000000000000000000000000000000000000000000000000000000",  // 0
           "0100000000000000000000000000000000000000000000000000000000000000",  // 1
           "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p - 1
           "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p (= 0)
           "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",  // order 8
       }) {
    INFO(low_order);
    const auto out = crypto::x25519(key, *from_hex(low_order));
    CHECK(out.is_all_zero);
    CHECK(out.shared_secret == Key32{});
  }
}

TEST_CASE("crypto.x25519: non-canonical u is masked and reduced (RFC 7748 §5)",
          "[crypto][x25519]") {
  const Key32 key = crypto::curve25519_from_private(Key32{7}).private_key;
  Key32 nine{9};
  const auto expected = crypto::x25519(key, nine);
  CHECK(expected.shared_secret == crypto::curve25519_from_private(key).public_key);
  Key32 top_bit = nine;
  top_bit[31] |= 0x80;
  CHECK(crypto::x25519(key, top_bit).shared_secret == expected.shared_secret);
  // p + 9 = 2^255 - 10.
  const Bytes p_plus_9 =
      *from_hex("f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  CHECK(crypto::x25519(key, p_plus_9).shared_secret == expected.shared_secret);
  CHECK_THROWS_AS(crypto::x25519(key, Bytes(31, 9)), std::invalid_argument);
}

TEST_CASE("crypto.x25519: generated key pairs agree", "[crypto][x25519]") {
  auto random = crypto::RandomSource::seeded(3);
  const auto a = crypto::curve25519_generate(random);
  const auto b = crypto::curve25519_generate(random);
  CHECK(crypto::x25519(a.private_key, b.public_key).shared_secret ==
        crypto::x25519(b.private_key, a.public_key).shared_secret);
}

TEST_CASE("crypto.ed25519: RFC 8032 §7.1 test 1", "[crypto][ed25519]") {
  const auto pair = crypto::ed25519_from_seed(
      array_from_hex<Key32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  CHECK(to_hex(pair.public_key) ==
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const Signature64 signature = crypto::ed25519_sign(pair.seed, {});
  CHECK(to_hex(signature) ==
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701c"
        "f9b46bd25bf5f0595bbe24655141438e7a100b");
  CHECK(crypto::ed25519_verify(pair.public_key, {}, signature));
}

TEST_CASE("crypto.ed25519: rejections", "[crypto][ed25519]") {
  auto random = crypto::RandomSource::seeded(4);
  const auto pair = crypto::ed25519_generate(random);
  const Bytes message = {'m', 's', 'g'};
  const Signature64 signature = crypto::ed25519_sign(pair.seed, message);
  REQUIRE(crypto::ed25519_verify(pair.public_key, message, signature));

  Signature64 flipped = signature;
  flipped[10] ^= 0x04;
  CHECK_FALSE(crypto::ed25519_verify(pair.public_key, message, flipped));
  CHECK_FALSE(crypto::ed25519_verify(pair.public_key, Bytes{'m', 's', 'h'}, signature));
  CHECK_FALSE(crypto::ed25519_verify(Bytes(31, 1), message, signature));
  CHECK_FALSE(crypto::ed25519_verify(pair.public_key, message, Bytes(63, 0)));

  // S + L verifies under a lax verifier; strict verification rejects the non-canonical S.
  static constexpr std::uint8_t kL[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                          0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                          0,    0,    0,    0,    0,    0,    0,    0,
                                          0,    0,    0,    0,    0,    0,    0,    0x10};
  Signature64 malleated = signature;
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    const unsigned sum = malleated[32 + i] + kL[i] + carry;
    malleated[32 + i] = static_cast<std::uint8_t>(sum);
    carry = sum >> 8;
  }
  CHECK_FALSE(crypto::ed25519_verify(pair.public_key, message, malleated));

  // The identity point as public key (small order).
  Key32 identity{1};
  CHECK_FALSE(crypto::ed25519_verify(identity, message, signature));
}

TEST_CASE("crypto.map: Ed25519 <-> Curve25519 round trips", "[crypto][map]") {
  auto random = crypto::RandomSource::seeded(5);
  int sign_counts[2] = {0, 0};
  for (int i = 0; i < 32; ++i) {
    const auto ed = crypto::ed25519_generate(random);
    const bool sign = (ed.public_key[31] & 0x80) != 0;
    ++sign_counts[sign ? 1 : 0];
    const auto u = crypto::ed25519_public_to_curve25519(ed.public_key);
    REQUIRE(u);
    // The Curve25519 scalar from the seed has the converted key as its public key.
    const Key32 scalar = crypto::ed25519_seed_to_curve25519(ed.seed);
    CHECK(crypto::curve25519_from_private(scalar).public_key == *u);
    CHECK(crypto::curve25519_private_to_ed25519_public(scalar) == ed.public_key);
    // Back to Ed25519 with the sign bit the Curve25519 form has lost.
    CHECK(crypto::curve25519_public_to_ed25519(*u, sign) == ed.public_key);
    Key32 other_sign = ed.public_key;
    other_sign[31] ^= 0x80;
    CHECK(crypto::curve25519_public_to_ed25519(*u, !sign) == other_sign);
  }
  CHECK(sign_counts[0] > 0);
  CHECK(sign_counts[1] > 0);
}

TEST_CASE("crypto.map: known answers from python3-xeddsa 1.0.2", "[crypto][map]") {
  // Values produced by python3-xeddsa 1.0.2 (libxeddsa): priv_to_curve25519_pub,
  // priv_to_ed25519_pub and curve25519_pub_to_ed25519_pub(pub, False), for an unclamped priv.
  const Key32 priv =
      array_from_hex<Key32>("8893e44c96b38cbd89b07fddf6014e486b720acba05e5a13bf90e07ca7b0e031");
  const Key32 curve_public =
      array_from_hex<Key32>("3e69f7547faf7901c1fca11c939d7723da627b7533806860a763a07491d6e61d");
  CHECK(crypto::curve25519_from_private(priv).public_key == curve_public);
  CHECK(to_hex(crypto::curve25519_private_to_ed25519_public(priv)) ==
        "2d3a141da472e7a6f60bf51ae5ab324f7a89264aee38abf09236a8af9fbc17ef");
  CHECK(to_hex(*crypto::curve25519_public_to_ed25519(curve_public, false)) ==
        "2d3a141da472e7a6f60bf51ae5ab324f7a89264aee38abf09236a8af9fbc176f");
}

TEST_CASE("crypto.map: keys without a counterpart", "[crypto][map]") {
  // u = -1 = p - 1 has no Ed25519 point.
  const Key32 minus_one =
      array_from_hex<Key32>("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  CHECK_FALSE(crypto::curve25519_public_to_ed25519(minus_one, false));
  CHECK_FALSE(crypto::curve25519_public_to_ed25519(minus_one, true));
  // u with bit 255 set decodes as the masked u.
  const Key32 nine{9};
  Key32 nine_top = nine;
  nine_top[31] |= 0x80;
  CHECK(crypto::curve25519_public_to_ed25519(nine_top, false) ==
        crypto::curve25519_public_to_ed25519(nine, false));
  // The Ed25519 base point's y = 4/5 is the Curve25519 base point u = 9.
  CHECK(to_hex(*crypto::curve25519_public_to_ed25519(nine, false)) ==
        "5866666666666666666666666666666666666666666666666666666666666666");

  CHECK_FALSE(crypto::ed25519_public_to_curve25519(Bytes(31, 0)));
  CHECK_FALSE(crypto::ed25519_public_to_curve25519(Key32{1}));  // identity: small order
  // y = 2 is not the y of any curve point.
  CHECK_FALSE(crypto::ed25519_public_to_curve25519(Key32{2}));
}
