// Devices built from fixed keys (Device::create_from_keys, ReferenceClientDevice::from_keys; the
// adapter protocol's import_keys): the bundle publishes exactly the given keys, a key exchange
// addressed to them decrypts, and unusable keys are refused with the right class. The expected
// public keys and signatures come from the crypto layer, not from the engine under test.
#include <algorithm>
#include <catch2/catch.hpp>

#include "crypto/curve25519.h"
#include "engine/client/reference_client.h"
#include "engine/device.h"

using namespace oi;
using namespace oi::engine;

namespace {

constexpr const char* kTime = "2026-11-28T12:00:00Z";

Key32 clamped_scalar(std::uint8_t fill) {
  Key32 key;
  key.fill(fill);
  key[0] &= 248;
  key[31] &= 127;
  key[31] |= 64;
  return key;
}

template <std::size_t N>
Bytes bytes_of(const ByteArray<N>& array) {
  return Bytes(array.begin(), array.end());
}

// 0x05 ‖ u, as libsignal publishes a Curve25519 key.
Bytes legacy_public(const Key32& private_key) {
  Bytes out{0x05};
  const Key32 u = crypto::curve25519_from_private(private_key).public_key;
  out.insert(out.end(), u.begin(), u.end());
  return out;
}

const std::vector<std::uint32_t> kPreKeyIds = {31, 32, 33};

DeviceKeys legacy_keys() {
  DeviceKeys keys;
  const Key32 identity = clamped_scalar(0x11);
  keys.identity_private = bytes_of(identity);
  keys.identity_public = legacy_public(identity);
  keys.registration_id = 4242;
  const Key32 spk = clamped_scalar(0x22);
  const Bytes spk_public = legacy_public(spk);
  ByteArray<64> nonce;
  nonce.fill(0x5a);
  keys.signed_pre_key = DeviceKeys::SignedPreKey{
      7, bytes_of(spk), spk_public, bytes_of(crypto::curvesig_sign(identity, spk_public, nonce))};
  for (std::uint32_t id : kPreKeyIds) {
    const Key32 pre_key = clamped_scalar(static_cast<std::uint8_t>(0x30 + id));
    keys.pre_keys.push_back({id, bytes_of(pre_key), legacy_public(pre_key)});
  }
  return keys;
}

// An Ed25519-seed identity (the default kind of the reference engine).
DeviceKeys omemo2_keys() {
  DeviceKeys keys;
  Key32 seed;
  seed.fill(0x11);
  const crypto::EdKeyPair identity = crypto::ed25519_from_seed(seed);
  keys.identity_private = bytes_of(seed);
  keys.identity_public = bytes_of(identity.public_key);
  const crypto::CurveKeyPair spk = crypto::curve25519_from_private(clamped_scalar(0x22));
  keys.signed_pre_key =
      DeviceKeys::SignedPreKey{7, bytes_of(spk.private_key), bytes_of(spk.public_key),
                               bytes_of(crypto::ed25519_sign(seed, spk.public_key))};
  for (std::uint32_t id : kPreKeyIds) {
    const crypto::CurveKeyPair pre_key =
        crypto::curve25519_from_private(clamped_scalar(static_cast<std::uint8_t>(0x30 + id)));
    keys.pre_keys.push_back({id, bytes_of(pre_key.private_key), bytes_of(pre_key.public_key)});
  }
  return keys;
}

DeviceOptions options_for(codec::Profile profile, std::string jid, std::uint32_t device_id) {
  DeviceOptions options;
  options.profile = profile;
  options.jid = std::move(jid);
  options.device_id = device_id;
  options.pre_key_count = 25;
  return options;
}

DeviceKeys keys_for(codec::Profile profile) {
  return profile == codec::Profile::legacy ? legacy_keys() : omemo2_keys();
}

std::unique_ptr<Device> imported_bob(codec::Profile profile, const DeviceKeys& keys) {
  Result<std::unique_ptr<Device>> bob = Device::create_from_keys(
      options_for(profile, "bob@example.org", 22), keys, crypto::RandomSource::seeded(22));
  INFO((bob ? std::string() : bob.failure().detail));
  REQUIRE(bob.has_value());
  return std::move(*bob);
}

DecryptError refusal(codec::Profile profile, const DeviceKeys& keys) {
  Result<std::unique_ptr<Device>> bob = Device::create_from_keys(
      options_for(profile, "bob@example.org", 22), keys, crypto::RandomSource::seeded(22));
  REQUIRE_FALSE(bob.has_value());
  INFO(bob.failure().detail);
  CHECK_FALSE(bob.failure().detail.empty());
  return bob.error();
}

}  // namespace

TEST_CASE("a device built from keys publishes exactly those keys and decrypts a key exchange",
          "[engine][imported-keys]") {
  const codec::Profile profile = GENERATE(codec::Profile::legacy, codec::Profile::omemo2);
  INFO(codec::profile_name(profile));
  const DeviceKeys keys = keys_for(profile);
  std::unique_ptr<Device> bob = imported_bob(profile, keys);

  CHECK(bob->device_id() == 22);
  CHECK(bob->identity_key() == keys.identity_public);
  const codec::Bundle bundle = bob->bundle();
  CHECK(bundle.identity_key == keys.identity_public);
  CHECK(bundle.signed_pre_key_id == keys.signed_pre_key->id);
  CHECK(bundle.signed_pre_key == keys.signed_pre_key->public_key);
  CHECK(bundle.signed_pre_key_signature == keys.signed_pre_key->signature);
  REQUIRE(bundle.pre_keys.size() == keys.pre_keys.size());
  for (std::size_t i = 0; i < keys.pre_keys.size(); ++i) {
    CHECK(bundle.pre_keys[i].id == keys.pre_keys[i].id);
    CHECK(bundle.pre_keys[i].public_key == keys.pre_keys[i].public_key);
  }

  std::unique_ptr<Device> alice = Device::create(options_for(profile, "alice@example.org", 11),
                                                 crypto::RandomSource::seeded(11));
  const DeviceAddress bob_address{"bob@example.org", 22};
  const StanzaContext to_bob{"alice@example.org", "bob@example.org", kTime};
  REQUIRE(alice->build_session(bob_address, bundle).has_value());
  Result<EncryptedOutput> sent =
      alice->encrypt(std::string("to fixed keys"), {bob_address}, to_bob);
  REQUIRE(sent.has_value());
  Result<ReceivedMessage> received = bob->decrypt(sent->element, to_bob);
  INFO((received ? std::string() : received.failure().detail));
  REQUIRE(received.has_value());
  CHECK(received->body == std::optional<std::string>("to fixed keys"));
  CHECK(received->was_key_exchange);

  // The consumed prekey is replaced by one new key: the count given is kept, not the default.
  CHECK(bob->refresh_bundle() == 1);
  const codec::Bundle refreshed = bob->bundle();
  REQUIRE(refreshed.pre_keys.size() == keys.pre_keys.size());
  std::size_t kept = 0;
  for (const codec::PreKey& pre_key : refreshed.pre_keys) {
    if (std::find(kPreKeyIds.begin(), kPreKeyIds.end(), pre_key.id) != kPreKeyIds.end()) ++kept;
  }
  CHECK(kept == keys.pre_keys.size() - 1);
}

TEST_CASE("OMEMO 2 keys of every identity kind import", "[engine][imported-keys][omemo2]") {
  const std::string kind = GENERATE("ed25519_seed", "curve25519_xeddsa", "curve25519_true_sign");
  INFO(kind);
  DeviceKeys keys = omemo2_keys();
  const Key32 secret = clamped_scalar(0x44);
  keys.identity_private = bytes_of(secret);
  Key32 ed_public;
  ByteArray<64> nonce;
  nonce.fill(0x6b);
  Signature64 signature;
  if (kind == "ed25519_seed") {
    ed_public = crypto::ed25519_from_seed(secret).public_key;
    signature = crypto::ed25519_sign(secret, keys.signed_pre_key->public_key);
  } else {
    ed_public = crypto::curve25519_private_to_ed25519_public(secret);
    if (kind == "curve25519_xeddsa") {
      ed_public[31] &= 0x7f;
      signature = crypto::xeddsa_sign(secret, keys.signed_pre_key->public_key, nonce);
    } else {
      signature = crypto::curvesig_sign(secret, keys.signed_pre_key->public_key, nonce);
      signature[63] &= 0x7f;
    }
  }
  keys.identity_public = bytes_of(ed_public);
  keys.signed_pre_key->signature = bytes_of(signature);

  DeviceOptions options = options_for(codec::Profile::omemo2, "bob@example.org", 0);
  options.identity_kind = kind;
  Result<std::unique_ptr<Device>> bob =
      Device::create_from_keys(options, keys, crypto::RandomSource::seeded(5));
  INFO((bob ? std::string() : bob.failure().detail));
  REQUIRE(bob.has_value());
  CHECK((*bob)->bundle().identity_key == keys.identity_public);
  CHECK((*bob)->device_id() >= 1);  // drawn from the stream when 0 is given
  CHECK((*bob)->device_id() <= 0x7FFFFFFFu);

  SECTION("the same secret under another kind does not match the public key") {
    options.identity_kind = kind == "ed25519_seed" ? "curve25519_xeddsa" : "ed25519_seed";
    Result<std::unique_ptr<Device>> other =
        Device::create_from_keys(options, keys, crypto::RandomSource::seeded(5));
    REQUIRE_FALSE(other.has_value());
    CHECK(other.error() == DecryptError::bad_data);
  }
}

TEST_CASE("unusable keys are refused with bad_data or bad_signature", "[engine][imported-keys]") {
  const codec::Profile profile = GENERATE(codec::Profile::legacy, codec::Profile::omemo2);
  INFO(codec::profile_name(profile));
  DeviceKeys keys = keys_for(profile);

  SECTION("wrong key lengths") {
    SECTION("identity private") {
      keys.identity_private.pop_back();
    }
    SECTION("identity public") {
      keys.identity_public.push_back(0);
    }
    SECTION("signed prekey private") {
      keys.signed_pre_key->private_key.push_back(0);
    }
    SECTION("signed prekey public") {
      keys.signed_pre_key->public_key.pop_back();
    }
    SECTION("signature") {
      keys.signed_pre_key->signature.pop_back();
    }
    SECTION("prekey private") {
      keys.pre_keys[1].private_key.clear();
    }
    SECTION("prekey public") {
      keys.pre_keys[2].public_key.pop_back();
    }
    CHECK(refusal(profile, keys) == DecryptError::bad_data);
  }
  SECTION("a public key that is not its private key's") {
    SECTION("identity") {
      keys.identity_public.back() ^= 0x01;
    }
    SECTION("signed prekey") {
      keys.signed_pre_key->public_key.back() ^= 0x01;
    }
    SECTION("prekey") {
      keys.pre_keys[0].public_key.back() ^= 0x01;
    }
    CHECK(refusal(profile, keys) == DecryptError::bad_data);
  }
  SECTION("a prekey id given twice") {
    keys.pre_keys[1].id = keys.pre_keys[0].id;
    CHECK(refusal(profile, keys) == DecryptError::bad_data);
  }
  SECTION("a signed prekey signature that does not verify") {
    keys.signed_pre_key->signature[10] ^= 0x01;
    CHECK(refusal(profile, keys) == DecryptError::bad_signature);
  }
  SECTION("a signature by another key") {
    DeviceKeys other = keys_for(profile);
    other.signed_pre_key->private_key = keys.pre_keys[0].private_key;
    other.signed_pre_key->public_key = keys.pre_keys[0].public_key;
    CHECK(refusal(profile, other) == DecryptError::bad_signature);
  }
  SECTION("no signed prekey: the reference device cannot publish a bundle without one") {
    keys.signed_pre_key.reset();
    CHECK_THROWS_AS(Device::create_from_keys(options_for(profile, "bob@example.org", 22), keys,
                                             crypto::RandomSource::seeded(22)),
                    std::invalid_argument);
  }
}

TEST_CASE("a reference client device built from keys", "[engine][imported-keys][client]") {
  const codec::Profile profile = GENERATE(codec::Profile::legacy, codec::Profile::omemo2);
  client::DeviceSpec spec;
  spec.profile = profile;
  spec.jid = "bob@example.org";
  spec.resource = "v1";
  spec.device_id = 2222;
  const DeviceKeys keys = keys_for(profile);
  auto device =
      client::ReferenceClientDevice::from_keys(spec, keys, crypto::RandomSource::seeded(1));
  REQUIRE(device.has_value());
  CHECK((*device)->device_id() == 2222);
  CHECK((*device)->device().bundle().identity_key == keys.identity_public);
  // The fingerprint is the Curve25519 form of the identity key, in groups of eight hex digits.
  std::string fingerprint = (*device)->fingerprint();
  fingerprint.erase(std::remove(fingerprint.begin(), fingerprint.end(), ' '), fingerprint.end());
  const Bytes curve_public =
      profile == codec::Profile::legacy
          ? Bytes(keys.identity_public.begin() + 1, keys.identity_public.end())
          : bytes_of(*crypto::ed25519_public_to_curve25519(keys.identity_public));
  CHECK(fingerprint == to_hex(curve_public));

  DeviceKeys broken = keys;
  broken.signed_pre_key->signature[0] ^= 0x01;
  auto refused =
      client::ReferenceClientDevice::from_keys(spec, broken, crypto::RandomSource::seeded(1));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error() == DecryptError::bad_signature);
}
