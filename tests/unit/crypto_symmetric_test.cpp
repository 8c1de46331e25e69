// AES-GCM and AES-CBC/PKCS#7: known answers, IV and tag lengths, rejection of tampering.
#include <catch2/catch.hpp>

#include "crypto/symmetric.h"

using oi::Bytes;
using oi::from_hex;
using oi::to_hex;
namespace crypto = oi::crypto;

TEST_CASE("crypto.gcm: GCM spec test cases 1 and 2 (AES-128, 12-byte IV)", "[crypto][gcm]") {
  const Bytes key(16, 0);
  const Bytes iv(12, 0);
  const auto empty = crypto::aes_gcm_encrypt(key, iv, {}, {});
  CHECK(empty.ciphertext.empty());
  CHECK(to_hex(empty.tag) == "58e2fccefa7e3061367f1d57a4e7455a");

  const auto sealed = crypto::aes_gcm_encrypt(key, iv, Bytes(16, 0), {});
  CHECK(to_hex(sealed.ciphertext) == "0388dace60b6a392f328c2b971b2fe78");
  CHECK(to_hex(sealed.tag) == "ab6e47d42cec13bdf53a67b21257bddf");
  CHECK(crypto::aes_gcm_decrypt(key, iv, sealed.ciphertext, {}, sealed.tag) == Bytes(16, 0));
}

TEST_CASE("crypto.gcm: GCM spec test case 5 (8-byte IV goes through GHASH)", "[crypto][gcm]") {
  const Bytes key = *from_hex("feffe9928665731c6d6a8f9467308308");
  const Bytes iv = *from_hex("cafebabefacedbad");
  const Bytes plaintext = *from_hex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  const Bytes aad = *from_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const auto sealed = crypto::aes_gcm_encrypt(key, iv, plaintext, aad);
  CHECK(to_hex(sealed.ciphertext) ==
        "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423"
        "73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598");
  CHECK(to_hex(sealed.tag) == "3612d2e79e3b0785561be14aaca2fccb");
  CHECK(crypto::aes_gcm_decrypt(key, iv, sealed.ciphertext, aad, sealed.tag) == plaintext);
}

TEST_CASE("crypto.gcm: 16-byte IV (legacy senders) and truncated tags", "[crypto][gcm]") {
  const Bytes key(16, 0x11);
  const Bytes iv(16, 0x22);
  const Bytes plaintext = {'h', 'e', 'l', 'l', 'o'};
  const auto full = crypto::aes_gcm_encrypt(key, iv, plaintext, {});
  // A 16-byte IV is not the 12-byte IV's prefix form: different keystream.
  CHECK(full.ciphertext != crypto::aes_gcm_encrypt(key, Bytes(12, 0x22), plaintext, {}).ciphertext);
  CHECK(crypto::aes_gcm_decrypt(key, iv, full.ciphertext, {}, full.tag) == plaintext);

  const auto short_tag = crypto::aes_gcm_encrypt(key, iv, plaintext, {}, 4);
  REQUIRE(short_tag.tag.size() == 4);
  CHECK(Bytes(full.tag.begin(), full.tag.begin() + 4) == short_tag.tag);
  CHECK(crypto::aes_gcm_decrypt(key, iv, short_tag.ciphertext, {}, short_tag.tag) == plaintext);

  CHECK_THROWS_AS(crypto::aes_gcm_encrypt(key, iv, plaintext, {}, 3), std::invalid_argument);
  CHECK_THROWS_AS(crypto::aes_gcm_encrypt(key, iv, plaintext, {}, 17), std::invalid_argument);
  CHECK_FALSE(crypto::aes_gcm_decrypt(key, iv, full.ciphertext, {}, Bytes(3, 0)));
}

TEST_CASE("crypto.gcm: tampering is rejected", "[crypto][gcm]") {
  const Bytes key(32, 0x01);
  const Bytes iv(12, 0x02);
  const Bytes aad = {1, 2, 3};
  const auto sealed = crypto::aes_gcm_encrypt(key, iv, Bytes(40, 0x33), aad);

  Bytes ciphertext = sealed.ciphertext;
  ciphertext[0] ^= 0x80;
  CHECK_FALSE(crypto::aes_gcm_decrypt(key, iv, ciphertext, aad, sealed.tag));
  Bytes tag = sealed.tag;
  tag[15] ^= 0x01;
  CHECK_FALSE(crypto::aes_gcm_decrypt(key, iv, sealed.ciphertext, aad, tag));
  CHECK_FALSE(crypto::aes_gcm_decrypt(key, iv, sealed.ciphertext, {}, sealed.tag));
  CHECK(crypto::aes_gcm_decrypt(key, iv, sealed.ciphertext, aad, sealed.tag));
}

TEST_CASE("crypto.gcm: unsupported key and IV lengths throw", "[crypto][gcm]") {
  CHECK_THROWS_AS(crypto::aes_gcm_encrypt(Bytes(15, 0), Bytes(12, 0), {}, {}),
                  std::invalid_argument);
  CHECK_THROWS_AS(crypto::aes_gcm_encrypt(Bytes(16, 0), Bytes{}, {}, {}), std::invalid_argument);
  CHECK_THROWS_AS(crypto::aes_gcm_decrypt(Bytes(16, 0), Bytes{}, {}, {}, Bytes(16, 0)),
                  std::invalid_argument);
}

TEST_CASE("crypto.cbc: SP 800-38A F.2.5 first block (AES-256)", "[crypto][cbc]") {
  const Bytes key = *from_hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
  const Bytes iv = *from_hex("000102030405060708090a0b0c0d0e0f");
  const Bytes block = *from_hex("6bc1bee22e409f96e93d7e117393172a");
  const Bytes ciphertext = crypto::aes_cbc_pkcs7_encrypt(key, iv, block);
  REQUIRE(ciphertext.size() == 32);  // one full block of PKCS#7 padding follows
  CHECK(to_hex(Bytes(ciphertext.begin(), ciphertext.begin() + 16)) ==
        "f58c4c04d6e5f1ba779eabfb5f7bfbd6");
  CHECK(crypto::aes_cbc_pkcs7_decrypt(key, iv, ciphertext) == block);
}

TEST_CASE("crypto.cbc: padding lengths round trip", "[crypto][cbc]") {
  const Bytes key(32, 0x5a);
  const Bytes iv(16, 0xa5);
  for (std::size_t length : {0u, 1u, 15u, 16u, 17u, 48u}) {
    const Bytes plaintext(length, 0x61);
    const Bytes ciphertext = crypto::aes_cbc_pkcs7_encrypt(key, iv, plaintext);
    INFO("length " << length);
    CHECK(ciphertext.size() == (length / 16 + 1) * 16);
    CHECK(crypto::aes_cbc_pkcs7_decrypt(key, iv, ciphertext) == plaintext);
  }
}

TEST_CASE("crypto.cbc: bad lengths and bad padding", "[crypto][cbc]") {
  const Bytes key(32, 0x5a);
  const Bytes iv(16, 0xa5);
  CHECK_FALSE(crypto::aes_cbc_pkcs7_decrypt(key, iv, Bytes{}));
  CHECK_FALSE(crypto::aes_cbc_pkcs7_decrypt(key, iv, Bytes(17, 0)));
  CHECK_THROWS_AS(crypto::aes_cbc_pkcs7_encrypt(Bytes(31, 0), iv, {}), std::invalid_argument);
  CHECK_THROWS_AS(crypto::aes_cbc_pkcs7_encrypt(key, Bytes(12, 0), {}), std::invalid_argument);

  // Last plaintext byte 0x00 is never valid PKCS#7: encrypt a raw block ending in it by taking
  // the first block of a padded encryption, whose plaintext we control.
  Bytes raw(16, 0x00);
  const Bytes ciphertext = crypto::aes_cbc_pkcs7_encrypt(key, iv, raw);
  CHECK_FALSE(
      crypto::aes_cbc_pkcs7_decrypt(key, iv, Bytes(ciphertext.begin(), ciphertext.begin() + 16)));
  // Inconsistent padding bytes: ...0x01 0x02 claims two bytes of padding but one is 0x01.
  raw[14] = 0x01;
  raw[15] = 0x02;
  const Bytes inconsistent = crypto::aes_cbc_pkcs7_encrypt(key, iv, raw);
  CHECK_FALSE(crypto::aes_cbc_pkcs7_decrypt(
      key, iv, Bytes(inconsistent.begin(), inconsistent.begin() + 16)));
}
