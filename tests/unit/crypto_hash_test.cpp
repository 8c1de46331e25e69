// SHA-2, HMAC-SHA-256 and HKDF-SHA-256 known answers and edge cases.
#include <catch2/catch.hpp>

#include "crypto/hash.h"

using oi::as_bytes;
using oi::Bytes;
using oi::from_hex;
using oi::to_hex;
namespace crypto = oi::crypto;

TEST_CASE("crypto.hash: SHA-256 and SHA-512 of \"abc\" (FIPS 180-2)", "[crypto][hash]") {
  CHECK(to_hex(crypto::sha256(as_bytes("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(crypto::sha512(as_bytes("abc"))) ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  CHECK(to_hex(crypto::sha256({})) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("crypto.hash: HMAC-SHA-256 RFC 4231 test case 1", "[crypto][hash]") {
  const Bytes key(20, 0x0b);
  const Bytes data(as_bytes("Hi There").begin(), as_bytes("Hi There").end());
  const std::string expected = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
  CHECK(to_hex(crypto::hmac_sha256(key, data)) == expected);
  CHECK(to_hex(crypto::hmac_sha256_truncated(key, data, 8)) == expected.substr(0, 16));
  CHECK(to_hex(crypto::hmac_sha256_truncated(key, data, 32)) == expected);
  CHECK_THROWS_AS(crypto::hmac_sha256_truncated(key, data, 0), std::invalid_argument);
  CHECK_THROWS_AS(crypto::hmac_sha256_truncated(key, data, 33), std::invalid_argument);
}

TEST_CASE("crypto.hash: an empty HMAC key equals a 32-byte zero key", "[crypto][hash]") {
  // HMAC pads the key with zeros to the block size, so both keys are the same HMAC key.
  const Bytes zero_key(32, 0);
  CHECK(crypto::hmac_sha256({}, as_bytes("x")) == crypto::hmac_sha256(zero_key, as_bytes("x")));
}

TEST_CASE("crypto.hash: hmac_sha256_verify", "[crypto][hash]") {
  const Bytes key(32, 0x42);
  const auto full = crypto::hmac_sha256(key, as_bytes("message"));
  const Bytes mac16(full.begin(), full.begin() + 16);
  CHECK(crypto::hmac_sha256_verify(key, as_bytes("message"), mac16));
  CHECK(crypto::hmac_sha256_verify(key, as_bytes("message"), full));

  Bytes flipped = mac16;
  flipped[15] ^= 0x01;
  CHECK_FALSE(crypto::hmac_sha256_verify(key, as_bytes("message"), flipped));
  CHECK_FALSE(crypto::hmac_sha256_verify(key, as_bytes("messagf"), mac16));
  CHECK_FALSE(crypto::hmac_sha256_verify(key, as_bytes("message"), Bytes{}));
  Bytes too_long(full.begin(), full.end());
  too_long.push_back(0);
  CHECK_FALSE(crypto::hmac_sha256_verify(key, as_bytes("message"), too_long));
}

TEST_CASE("crypto.hash: HKDF-SHA-256 RFC 5869 A.1", "[crypto][hash]") {
  const Bytes ikm(22, 0x0b);
  const auto okm = crypto::hkdf_sha256(ikm, *from_hex("000102030405060708090a0b0c"),
                                       *from_hex("f0f1f2f3f4f5f6f7f8f9"), 42);
  REQUIRE(okm);
  CHECK(to_hex(*okm) ==
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST_CASE("crypto.hash: HKDF-SHA-256 RFC 5869 A.3 (empty salt and info)", "[crypto][hash]") {
  const Bytes ikm(22, 0x0b);
  const std::string expected =
      "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8";
  CHECK(to_hex(*crypto::hkdf_sha256(ikm, {}, {}, 42)) == expected);
  // RFC 5869 §2.2: an absent salt is HashLen zero bytes.
  CHECK(to_hex(*crypto::hkdf_sha256(ikm, Bytes(32, 0), {}, 42)) == expected);
}

TEST_CASE("crypto.hash: HKDF length limits", "[crypto][hash]") {
  const Bytes ikm(32, 1);
  CHECK(crypto::hkdf_sha256(ikm, {}, {}, 0)->empty());
  const auto longest = crypto::hkdf_sha256(ikm, {}, {}, 255 * 32);
  REQUIRE(longest);
  CHECK(longest->size() == 255 * 32);
  CHECK_FALSE(crypto::hkdf_sha256(ikm, {}, {}, 255 * 32 + 1));
  // Output is a prefix-stable stream: a shorter request is a prefix of a longer one.
  const auto eighty = crypto::hkdf_sha256(ikm, {}, as_bytes("OMEMO Payload"), 80);
  const auto thirty_two = crypto::hkdf_sha256(ikm, {}, as_bytes("OMEMO Payload"), 32);
  CHECK(Bytes(eighty->begin(), eighty->begin() + 32) == *thirty_two);
}
