// OMEMO 2 identities and X3DH: the three identity kinds, both published sign bits, signed-prekey
// signatures over the raw 32-byte key, and agreement of both sides for every kind combination.
#include <catch2/catch.hpp>

#include "crypto/curve25519.h"
#include "crypto/random_source.h"
#include "engine/omemo2/identity.h"
#include "engine/omemo2/x3dh.h"

using namespace oi;
using namespace oi::engine;
using namespace oi::engine::omemo2;

namespace {

constexpr IdentityKind kKinds[] = {IdentityKind::ed25519_seed, IdentityKind::curve25519_xeddsa,
                                   IdentityKind::curve25519_true_sign};

// The first identity of `kind` drawn from `random` whose published key has the given sign bit.
IdentityKey identity_with_sign(IdentityKind kind, bool sign_bit, crypto::RandomSource& random) {
  for (;;) {
    IdentityKey key = IdentityKey::generate(kind, random);
    if (((key.ed25519_public()[31] & 0x80) != 0) == sign_bit) return key;
  }
}

}  // namespace

TEST_CASE("omemo2 identity: published key, DH form and signatures", "[engine][omemo2]") {
  crypto::RandomSource random = crypto::RandomSource::seeded(std::uint64_t{1});
  for (IdentityKind kind : kKinds) {
    for (bool sign_bit : {false, true}) {
      if (kind == IdentityKind::curve25519_xeddsa && sign_bit) continue;  // always published as 0
      INFO(identity_kind_name(kind) << " sign bit " << sign_bit);
      const IdentityKey key = identity_with_sign(kind, sign_bit, random);
      // The birational map of the published key is the DH public key (R-OM2-003).
      const std::optional<Key32> curve = identity_public_to_curve25519(key.ed25519_public());
      REQUIRE(curve);
      CHECK(*curve == key.curve25519_public());
      CHECK(crypto::curve25519_from_private(key.curve25519_private()).public_key == *curve);
      // Signatures verify with plain Ed25519 against the key as published (R-OM2-002).
      const Bytes message{1, 2, 3};
      const Signature64 signature = key.sign(message, random);
      CHECK(crypto::ed25519_verify(key.ed25519_public(), message, signature));
      Key32 flipped = key.ed25519_public();
      flipped[31] ^= 0x80;
      CHECK_FALSE(crypto::ed25519_verify(flipped, message, signature));
      // Re-import from the secret gives the same identity.
      CHECK(IdentityKey::from_secret(kind, key.secret()) == key);
      CHECK(identity_kind_from_name(identity_kind_name(kind)) == kind);
    }
  }
  // The XEdDSA kind negates the scalar when needed: sign bit 0 even when the true sign is 1.
  for (int i = 0; i < 8; ++i) {
    const IdentityKey key = IdentityKey::generate(IdentityKind::curve25519_xeddsa, random);
    CHECK((key.ed25519_public()[31] & 0x80) == 0);
  }
  CHECK_FALSE(identity_public_to_curve25519(Bytes(31, 1)));
  CHECK_FALSE(identity_kind_from_name("curve25519"));
}

TEST_CASE("omemo2 x3dh: both sides agree for every identity kind", "[engine][omemo2]") {
  crypto::RandomSource random = crypto::RandomSource::seeded(std::uint64_t{2});
  for (IdentityKind initiator_kind : kKinds) {
    for (IdentityKind responder_kind : kKinds) {
      INFO(identity_kind_name(initiator_kind) << " -> " << identity_kind_name(responder_kind));
      const IdentityKey alice = IdentityKey::generate(initiator_kind, random);
      const IdentityKey bob = IdentityKey::generate(responder_kind, random);
      const crypto::CurveKeyPair spk = crypto::curve25519_generate(random);
      const crypto::CurveKeyPair opk = crypto::curve25519_generate(random);
      const crypto::CurveKeyPair ek = crypto::curve25519_generate(random);
      BundleKeys bundle{bob.ed25519_public(),
                        1,
                        spk.public_key,
                        sign_signed_prekey(bob, spk.public_key, random),
                        2,
                        opk.public_key};
      Result<X3dhSecrets> initiator = x3dh_initiate(alice, bundle, ek);
      REQUIRE(initiator);
      Result<X3dhSecrets> responder =
          x3dh_respond(bob, spk, opk, alice.ed25519_public(), ek.public_key);
      REQUIRE(responder);
      CHECK(initiator->shared_secret == responder->shared_secret);
      CHECK(initiator->associated_data == responder->associated_data);
      // AD = Ed25519(IK_A) || Ed25519(IK_B) (R-OM2-008).
      CHECK(std::equal(alice.ed25519_public().begin(), alice.ed25519_public().end(),
                       initiator->associated_data.begin()));
      CHECK(std::equal(bob.ed25519_public().begin(), bob.ed25519_public().end(),
                       initiator->associated_data.begin() + 32));
    }
  }
}

TEST_CASE("omemo2 x3dh: signed prekey signature rules", "[engine][omemo2]") {
  crypto::RandomSource random = crypto::RandomSource::seeded(std::uint64_t{3});
  const IdentityKey alice = IdentityKey::generate(IdentityKind::ed25519_seed, random);
  const IdentityKey bob =
      identity_with_sign(IdentityKind::curve25519_true_sign, true, random);  // sign bit 1
  const crypto::CurveKeyPair spk = crypto::curve25519_generate(random);
  const crypto::CurveKeyPair opk = crypto::curve25519_generate(random);
  const crypto::CurveKeyPair ek = crypto::curve25519_generate(random);
  BundleKeys bundle{
      bob.ed25519_public(), 1, spk.public_key, sign_signed_prekey(bob, spk.public_key, random), 2,
      opk.public_key};
  REQUIRE(x3dh_initiate(alice, bundle, ek));

  // Over the 33-byte 0x05 form (R-OM2-004).
  Bytes prefixed;
  prefixed.reserve(33);  // reserve first: keeps GCC 12's -Warray-bounds false positive away (-O2)
  prefixed.push_back(0x05);
  prefixed.insert(prefixed.end(), spk.public_key.begin(), spk.public_key.end());
  BundleKeys legacy_style = bundle;
  legacy_style.signed_prekey_signature = bob.sign(prefixed, random);
  CHECK(x3dh_initiate(alice, legacy_style, ek).error() == DecryptError::bad_signature);
  // By another identity.
  BundleKeys wrong_signer = bundle;
  wrong_signer.signed_prekey_signature = alice.sign(spk.public_key, random);
  CHECK(x3dh_initiate(alice, wrong_signer, ek).error() == DecryptError::bad_signature);
  // A different SPK than the one signed.
  BundleKeys swapped = bundle;
  swapped.signed_prekey = opk.public_key;
  CHECK(x3dh_initiate(alice, swapped, ek).error() == DecryptError::bad_signature);

  // A responder refuses an identity key that is not a point.
  Bytes not_a_point(32, 0xff);
  CHECK(x3dh_respond(bob, spk, opk, not_a_point, ek.public_key).error() == DecryptError::bad_data);
  CHECK(x3dh_respond(bob, spk, opk, Bytes(16, 1), ek.public_key).error() == DecryptError::bad_data);
}
