// Base64: strict and lenient decoding with positions, canonical encoding.
#include <catch2/catch.hpp>

#include "codec/base64.h"

using oi::Bytes;
using namespace oi::codec;

TEST_CASE("base64 round trip over all lengths 0..70", "[codec][base64]") {
  for (std::size_t n = 0; n <= 70; ++n) {
    Bytes data(n);
    for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>(i * 37 + n);
    std::string text = encode_base64(data);
    CHECK(text.size() == (n + 2) / 3 * 4);
    auto strict = decode_base64_strict(text);
    REQUIRE(strict.bytes);
    CHECK(*strict.bytes == data);
    CHECK(strict.is_canonical());
    auto lenient = decode_base64_lenient(text);
    REQUIRE(lenient.bytes);
    CHECK(lenient.is_canonical());
  }
}

TEST_CASE("base64 RFC 4648 test vectors", "[codec][base64]") {
  CHECK(encode_base64(oi::as_bytes("")) == "");
  CHECK(encode_base64(oi::as_bytes("f")) == "Zg==");
  CHECK(encode_base64(oi::as_bytes("fo")) == "Zm8=");
  CHECK(encode_base64(oi::as_bytes("foo")) == "Zm9v");
  CHECK(encode_base64(oi::as_bytes("foobar")) == "Zm9vYmFy");
}

TEST_CASE("strict base64 names the deviation and its position", "[codec][base64]") {
  auto whitespace = decode_base64_strict("Zm9v\nYmFy");
  CHECK_FALSE(whitespace.bytes);
  CHECK(whitespace.error_position == 4);
  CHECK_THAT(whitespace.error, Catch::Contains("whitespace"));

  auto missing = decode_base64_strict("Zm8");
  CHECK_FALSE(missing.bytes);
  CHECK_THAT(missing.error, Catch::Contains("missing padding"));

  auto invalid = decode_base64_strict("Zm9v!mFy");
  CHECK_FALSE(invalid.bytes);
  CHECK(invalid.error_position == 4);
  CHECK_THAT(invalid.error, Catch::Contains("invalid character '!'"));

  auto url = decode_base64_strict("Zm9-");
  CHECK_FALSE(url.bytes);
  CHECK_THAT(url.error, Catch::Contains("URL-safe"));

  auto bits = decode_base64_strict("Zh==");
  CHECK_FALSE(bits.bytes);
  CHECK_THAT(bits.error, Catch::Contains("non-zero unused bits"));

  auto after = decode_base64_strict("Zg==Zg==");
  CHECK_FALSE(after.bytes);
  CHECK(after.error_position == 4);
  CHECK_THAT(after.error, Catch::Contains("data after padding"));

  auto dangling = decode_base64_strict("Zm9vY");
  CHECK_FALSE(dangling.bytes);
  CHECK_THAT(dangling.error, Catch::Contains("dangling"));

  auto too_much = decode_base64_strict("Zm9v====");
  CHECK_FALSE(too_much.bytes);
  CHECK_THAT(too_much.error, Catch::Contains("padding characters"));

  auto control = decode_base64_strict(std::string_view("Zm\0v", 4));
  CHECK_FALSE(control.bytes);
  CHECK_THAT(control.error, Catch::Contains("byte 0x00 at position 2"));
}

TEST_CASE("lenient base64 accepts what deployed clients send and records it", "[codec][base64]") {
  auto wrapped = decode_base64_lenient("  Zm9v\r\n\tYmFy \n");
  REQUIRE(wrapped.bytes);
  CHECK(*wrapped.bytes == Bytes{'f', 'o', 'o', 'b', 'a', 'r'});
  CHECK(wrapped.whitespace_count == 7);
  CHECK(wrapped.first_whitespace_position == 0);
  CHECK_FALSE(wrapped.is_canonical());

  auto unpadded = decode_base64_lenient("Zm8");
  REQUIRE(unpadded.bytes);
  CHECK(*unpadded.bytes == Bytes{'f', 'o'});
  CHECK(unpadded.missing_padding);

  auto partial = decode_base64_lenient("Zg=");
  REQUIRE(partial.bytes);
  CHECK(partial.missing_padding);

  auto bits = decode_base64_lenient("Zh==");
  REQUIRE(bits.bytes);
  CHECK(*bits.bytes == Bytes{'f'});
  CHECK(bits.nonzero_unused_bits);

  CHECK_FALSE(decode_base64_lenient("Zm9v!").bytes);
  CHECK_FALSE(decode_base64_lenient("Zm9-").bytes);
  CHECK_FALSE(decode_base64_lenient("Z").bytes);
}
