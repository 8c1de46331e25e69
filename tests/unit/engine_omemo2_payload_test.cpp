// The OMEMO 2 payload (R-OM2-018, R-OM2-019) and the empty message's key material (R-OM2-037).
#include <catch2/catch.hpp>

#include "crypto/random_source.h"
#include "engine/omemo2/payload.h"

using namespace oi;
using namespace oi::engine;
using namespace oi::engine::omemo2;

TEST_CASE("omemo2 payload: round trip and HMAC before decryption", "[engine][omemo2]") {
  crypto::RandomSource random = crypto::RandomSource::seeded(std::uint64_t{4});
  const Bytes plaintext(as_bytes("<envelope xmlns='urn:xmpp:sce:1'/>").begin(),
                        as_bytes("<envelope xmlns='urn:xmpp:sce:1'/>").end());
  const EncryptedPayload payload = encrypt_payload(plaintext, random);
  CHECK(payload.ciphertext.size() % 16 == 0);
  Result<Bytes> decrypted = decrypt_payload(payload.key_material, payload.ciphertext);
  REQUIRE(decrypted);
  CHECK(*decrypted == plaintext);

  // Deterministic with the key given; a new key each time with the random source.
  Key32 key{};
  std::copy_n(payload.key_material.begin(), 32, key.begin());
  CHECK(encrypt_payload(plaintext, key).ciphertext == payload.ciphertext);
  CHECK(encrypt_payload(plaintext, random).key_material != payload.key_material);

  Bytes flipped = payload.ciphertext;
  flipped[0] ^= 1;
  CHECK(decrypt_payload(payload.key_material, flipped).error() == DecryptError::bad_payload_mac);
  KeyMaterial bad_mac = payload.key_material;
  bad_mac[47] ^= 1;
  CHECK(decrypt_payload(bad_mac, payload.ciphertext).error() == DecryptError::bad_payload_mac);
  // A ciphertext that is not whole blocks fails on the MAC, before any decryption.
  Bytes ragged = payload.ciphertext;
  ragged.pop_back();
  CHECK(decrypt_payload(payload.key_material, ragged).error() == DecryptError::bad_payload_mac);
  // Key material of the wrong size: 32 bytes (key only, or the empty message) and 64 (pre-0.7).
  CHECK(decrypt_payload(ByteView(payload.key_material).first(32), payload.ciphertext).error() ==
        DecryptError::bad_data);
  CHECK(decrypt_payload(Bytes(64, 0), payload.ciphertext).error() == DecryptError::bad_data);
}

TEST_CASE("omemo2 payload: empty message key material", "[engine][omemo2]") {
  CHECK(is_empty_message_key_material(kEmptyMessageKeyMaterial));
  CHECK_FALSE(is_empty_message_key_material(Bytes(48, 0)));
  Bytes almost(32, 0);
  almost[31] = 1;
  CHECK_FALSE(is_empty_message_key_material(almost));
}
