// The legacy payload layer: AES-128-GCM with key ‖ tag, and the tolerant receive side.
#include <catch2/catch.hpp>

#include "engine/legacy/payload.h"

using namespace oi;
using namespace oi::engine;
using namespace oi::engine::legacy;

TEST_CASE("legacy payload: default layout is 12-byte IV and 32-byte key material",
          "[engine][legacy][payload]") {
  auto random = crypto::RandomSource::seeded(1);
  SealedPayload sealed = seal_payload(as_bytes("héllo wörld"), random);
  CHECK(sealed.iv.size() == 12);
  CHECK(sealed.key_material.size() == 32);
  CHECK(sealed.payload.size() == std::string_view("héllo wörld").size());
  auto opened = open_payload(sealed.key_material, sealed.iv, sealed.payload);
  REQUIRE(opened.has_value());
  CHECK(std::string(opened->begin(), opened->end()) == "héllo wörld");
}

TEST_CASE("legacy payload: old senders' layouts are accepted (A-01, A-02)",
          "[engine][legacy][payload]") {
  auto random = crypto::RandomSource::seeded(2);
  SECTION("16-byte IV (R-LEG-019)") {
    SealedPayload sealed = seal_payload(as_bytes("x"), random, {.iv_length = 16});
    CHECK(sealed.iv.size() == 16);
    CHECK(open_payload(sealed.key_material, sealed.iv, sealed.payload).has_value());
  }
  SECTION("tag at the end of the payload, 16-byte key (R-LEG-037)") {
    SealedPayload sealed = seal_payload(as_bytes("abc"), random, {.tag_in_payload = true});
    CHECK(sealed.key_material.size() == 16);
    CHECK(sealed.payload.size() == 3 + 16);
    auto opened = open_payload(sealed.key_material, sealed.iv, sealed.payload);
    REQUIRE(opened.has_value());
    CHECK(opened.value() == Bytes{'a', 'b', 'c'});
  }
  SECTION("empty body") {
    SealedPayload sealed = seal_payload({}, random);
    auto opened = open_payload(sealed.key_material, sealed.iv, sealed.payload);
    REQUIRE(opened.has_value());
    CHECK(opened->empty());
  }
}

TEST_CASE("legacy payload: tampering and bad sizes are classified", "[engine][legacy][payload]") {
  auto random = crypto::RandomSource::seeded(3);
  SealedPayload sealed = seal_payload(as_bytes("secret"), random);
  SECTION("a flipped payload bit fails the tag (R-LEG-035)") {
    sealed.payload[0] ^= 1;
    CHECK(open_payload(sealed.key_material, sealed.iv, sealed.payload).error() ==
          DecryptError::bad_payload_mac);
  }
  SECTION("a flipped tag bit") {
    sealed.key_material[31] ^= 0x80;
    CHECK(open_payload(sealed.key_material, sealed.iv, sealed.payload).error() ==
          DecryptError::bad_payload_mac);
  }
  SECTION("key material of 20 bytes") {
    sealed.key_material.resize(20);
    CHECK(open_payload(sealed.key_material, sealed.iv, sealed.payload).error() ==
          DecryptError::bad_data);
  }
  SECTION("an empty or huge IV") {
    CHECK(open_payload(sealed.key_material, {}, sealed.payload).error() == DecryptError::bad_data);
    Bytes huge_iv(4096, 0);
    CHECK(open_payload(sealed.key_material, huge_iv, sealed.payload).error() ==
          DecryptError::bad_data);
  }
  SECTION("16-byte key with a payload shorter than a tag") {
    Bytes key(16, 1);
    CHECK(open_payload(key, sealed.iv, Bytes(5, 0)).error() == DecryptError::bad_data);
  }
}

TEST_CASE("legacy payload: key transport material is 16 random bytes", "[engine][legacy]") {
  auto random = crypto::RandomSource::seeded(4);
  Bytes first = key_transport_material(random);
  Bytes second = key_transport_material(random);
  CHECK(first.size() == 16);
  CHECK(first != second);
}
