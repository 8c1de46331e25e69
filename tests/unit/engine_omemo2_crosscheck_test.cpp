// Known-answer cross-check of the OMEMO 2 engine against an independent implementation.
//
// Every constant below was produced by Debian 12's python3-twomemo 1.0.3 on python3-x3dh 1.0.3,
// python3-doubleratchet 1.0.3 and python3-xeddsa 1.0.2 (Syndace), run with fixed keys: every
// secrets.token_bytes() draw and every ratchet key generation was replaced by the private keys
// listed here, in order. The conversation: Alice (Ed25519-native identity, seed) starts a session
// with Bob (Curve25519 identity published with its true sign bit, which is 1), sends m1 and m2
// (both OMEMOKeyExchange, pk_id 42, spk_id 7); Bob answers m3 and the empty message m4; Alice
// receives m4 before m3; Alice sends m5 (pn = 2), Bob answers m6. Plus one payload.
//
// The engine must produce the same bytes from the same keys (both directions) and decrypt the
// Python-made ones.
//
// Second case (kCarol*, kDave*): Carol holds an XEdDSA-style Curve25519 identity whose true
// Ed25519 sign bit is 1 but which is published with sign bit 0. Her bundle and XEdDSA signature
// were made by this engine; python3-xeddsa 1.0.2 reproduced the signature byte for byte, and
// python-x3dh / python-twomemo (Dave, initiator, Ed25519 seed) verified the bundle and produced
// the shared secret, AD and first OMEMOKeyExchange below (pk_id 9, spk_id 3).
#include <catch2/catch.hpp>
#include <map>
#include <string_view>

#include "crypto/bytes.h"
#include "crypto/curve25519.h"
#include "engine/omemo2/identity.h"
#include "engine/omemo2/payload.h"
#include "engine/omemo2/session.h"
#include "engine/omemo2/x3dh.h"

using namespace oi;
using namespace oi::engine;
using namespace oi::engine::omemo2;

namespace {

constexpr std::string_view kAliceSeed =
    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
constexpr std::string_view kBobIdentityPrivate =
    "106ba74d3caa99bd35f1679a4f55eeeed08219fc26cd328d942ed6b3f5bc9674";
constexpr std::string_view kBobSignedPrekeyPrivate =
    "f0004ab70af85bf50c1a0328d004dab2ea621513321eef7614ff233b628e9661";
constexpr std::string_view kBobPrekeyPrivate =
    "500c29a2950002cf6adb7923b1b6538bb33203e31f9e3cb6c0937f0b5da10b48";
constexpr std::string_view kAliceEphemeralPrivate =
    "98055714aa581c5dd6be0afde083d7a1417ef1fedd220f16bb054f22f2505b76";
constexpr std::string_view kAliceRatchet1 =
    "e05ce37ffe1b882dcce3a25d2723de78313eed296b2ca942b141d41572edd078";
constexpr std::string_view kAliceRatchet2 =
    "d8bffb8fbd3e46cb1fd158f94f9f6b17ae9c81381004a327e244397d65719673";
constexpr std::string_view kAliceRatchet3 =
    "48e50007ff7aad1c94540f3059398e12d99639067f657438bdb6ff00ef76cb51";
constexpr std::string_view kBobRatchet1 =
    "383d9b0e389c9cde6d9ff2ee0e7b1470bf8c24afcf042cc260d177bc29220952";
constexpr std::string_view kBobRatchet2 =
    "3850e95da3403d790554abd1df9ef590c3ca812776b109311fe9d02e05dac561";
constexpr std::string_view kBobSignatureNonce =
    "34f968657acbf966314da4a2da5b6863164d51b0a1266646cb913e5f7cc356ae47027a0b6f77c6883f6258a0"
    "bce37c95592fce25783f29f342d387d324d71434";
constexpr std::string_view kBobIdentityKey =
    "f6dd3a9942daf0277aeb4f301cfdb3b758f91f29758078796201fb04e1a953ef";
constexpr std::string_view kBobSignedPrekey =
    "8178182683a51c88fa755dd03230722e400e0239fabc30fb86efd8006d90fe7e";
constexpr std::string_view kBobSignedPrekeySignature =
    "31d33b8fc3d95b5b39768c9873484e5de2bafb013c1861f2cf270b2e9c5416d57eca334a7057446024b45fb8"
    "ba2e4c854c9acc648794881da0f7d8ad5267e00f";
constexpr std::string_view kBobPrekey =
    "6e8542447690c11912da92e931d60e291a1be40b8a4f7deb4985c3a118dda31d";
constexpr std::string_view kAliceIdentityKey =
    "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664";
constexpr std::string_view kSharedSecret =
    "9f708e9e5d5715a8875efc951752f3ed49e9e044a19960f45a04d8500debe551";
constexpr std::string_view kAssociatedData =
    "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664f6dd3a9942daf0277aeb4f30"
    "1cfdb3b758f91f29758078796201fb04e1a953ef";
constexpr std::string_view kAliceRootKeyAfterM1 =
    "c781a300fdbbe08c9b69cb976599600dd9b1f1b70bf9b5517a4329f835d1a7ba";
constexpr std::string_view kM1KeyExchange =
    "082a10071a2079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad0496642220ae3185b5"
    "058fea949eda13c316d2d1f266fd2f1acab123a57094377a285fa3732a7c0a10e08bdd904a70faeb15df8175"
    "3ebd2bb61268080010001a20e45183707660de77b19f4c04573d8da2dc5463ed70a36a14d287637b7e35f268"
    "2240ba488d17c33cf8c13bf98cee91006a3e2b1a396ac811222ef6095985f1df32735e4ff66b1d5ad4300b9d"
    "7db18e356bb89f03bcb00877171823ee88937b1554e2";
constexpr std::string_view kM2KeyExchange =
    "082a10071a2079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad0496642220ae3185b5"
    "058fea949eda13c316d2d1f266fd2f1acab123a57094377a285fa3732a7c0a10c476b1f43db2ac13e2270037"
    "83767d2b1268080110001a20e45183707660de77b19f4c04573d8da2dc5463ed70a36a14d287637b7e35f268"
    "2240e0e7acc6b25335d887ced2676a9da6a010666f12b1ca93d2e67e65947f0af53ca6b3fa54469af5e47330"
    "7f94254674ae674fc53dd1d39279c81c96f80b3d8b08";
constexpr std::string_view kM1Authenticated =
    "0a10e08bdd904a70faeb15df81753ebd2bb61268080010001a20e45183707660de77b19f4c04573d8da2dc54"
    "63ed70a36a14d287637b7e35f2682240ba488d17c33cf8c13bf98cee91006a3e2b1a396ac811222ef6095985"
    "f1df32735e4ff66b1d5ad4300b9d7db18e356bb89f03bcb00877171823ee88937b1554e2";
constexpr std::string_view kM2Authenticated =
    "0a10c476b1f43db2ac13e227003783767d2b1268080110001a20e45183707660de77b19f4c04573d8da2dc54"
    "63ed70a36a14d287637b7e35f2682240e0e7acc6b25335d887ced2676a9da6a010666f12b1ca93d2e67e6594"
    "7f0af53ca6b3fa54469af5e473307f94254674ae674fc53dd1d39279c81c96f80b3d8b08";
constexpr std::string_view kM3Authenticated =
    "0a10cc521bd9009a0a7d2dfb835087de0ba71268080010001a2029df7cac5bc2890a221ed133018b90b0f15d"
    "0bcce81f9afe3bc4043eb950fa702240f12731450a18597cf10a203cbb1f78771b0c0f20e65eea2c5aebf349"
    "40b631bc403001b48725473c43b7340e55ebdba5f2580d339c589169793f61bbd9393a4b";
constexpr std::string_view kM4Authenticated =
    "0a105b4a10f278a6c3806258951e43659a111258080110001a2029df7cac5bc2890a221ed133018b90b0f15d"
    "0bcce81f9afe3bc4043eb950fa7022303043ab7856edbe613b07d0906cb7732d08f4a7239d20628bd1237a63"
    "4847fa483fa228dad711d5fda4ef329e77709419";
constexpr std::string_view kM5Authenticated =
    "0a1025ec6869516bd11224c3edc04e06860f1268080010021a20f02f569c54b59bd942f57591215a9c7d8065"
    "c31bb073036301d73deb28860b3e2240a4a415957d50371798942ac2c1776a699a401dab6505bff4a0f346d9"
    "c1c9897417b4ac5ddb99d6ad1cfd20905067e0d2733e81e27aba45d02d5051e1e5561550";
constexpr std::string_view kM6Authenticated =
    "0a1048f9331012415628ee4d99074d8eacf81268080010021a2098a94051bf9454436b7677175fe30e82209e"
    "c868ff29fd40c164dc31b2815d232240c700e64d93b9bc5e4025e772e543b28f56c3e26cdb4a2bd6fecf4a4a"
    "ff3b96ba2749537fba64dae6d96c83e043af60f267d5bf4180c0d28ad4a5451a2f581392";
constexpr std::string_view kAliceRootKeyFinal =
    "368ef7876098ce21855d3c946676c923574b3285dce6f24c5197dd2fee6ba495";
constexpr std::string_view kBobRootKeyFinal =
    "f9378e2e2db03a65f58477edd1fc742f1610b359012a1ea016136767ba028d5f";
constexpr std::string_view kPayloadKey =
    "9822f537ca762eb5664e08a6e8863d975a8f55c5bcb93ee91c9bbc9747750a61";
constexpr std::string_view kPayloadCiphertext =
    "a602c38efba5332662b0923c31aadc1c92b6b2562674ca6f17715029531c13813f3c8d4a9dc1b2e5298acdf1"
    "654914ddd1c5e501c4736754693f9f763bd630a54a3581d2aa0d45e9b004fe7878c2ffcb0a72926126d8addc"
    "d7f1edbf43033d19b3a2da79cdeafd26e7b590dc438cbcf8c493cea454357c51f930aa0acb19aa09";
constexpr std::string_view kPayloadKeyMaterial =
    "9822f537ca762eb5664e08a6e8863d975a8f55c5bcb93ee91c9bbc9747750a614753b445943509ea0689d31a"
    "e7e44cc3";

// ---- second case: XEdDSA-style responder ----
constexpr std::string_view kCarolSecret =
    "88a9da4ae67674b080e3d224ff8258a4ebec104462f12291988d4c84f109ec57";
constexpr std::string_view kCarolIk =
    "2dfe382fef21b2d6214b044499986de8daca2d59092bc9f75277bbb12b5b7632";
constexpr std::string_view kCarolSpkPriv =
    "0821d5a306ef4f1796b2f8df4933732f340679bbc3cc183d0ad728da5cf4eb44";
constexpr std::string_view kCarolSpk =
    "5d50a1d4cd956dbbfa21d7deb1dd0a3dd8eee7698a66c22d0881e29cfcdf0f5e";
constexpr std::string_view kCarolPkPriv =
    "d0e3021f3532ffba8e5d5c58856087702d1b2f16913152c652263e1a645b257d";
constexpr std::string_view kCarolPk =
    "b3539fe5545de73371c54914cc945c6781b0e5e39cb7e19d8d5423fd9808100c";
constexpr std::string_view kCarolZ =
    "1314f96192786a162ef5e6c7aba9048c324ef7b6b58ab3af8f02faac3596f5486b7f18f0af671f938391b3a1"
    "32775edb0d4f9f8830b7b62028312fe423dabbda";
constexpr std::string_view kCarolSpks =
    "d0d639be8720b0c293ef2bf89ce2dabe39525f078674b115ad883777f58fcdd0076138a4ea8829fe5d6075d4"
    "661107d0791846943d5a2e2b66e056199984ed0d";
constexpr std::string_view kDaveSeed =
    "65666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f8081828384";
constexpr std::string_view kDaveEphemeralPrivate =
    "1851d3cab7d96e3c3da4b38291277c1467baf994e0a2da9153cfaa5422d74548";
constexpr std::string_view kDaveRatchet1 =
    "c8d958f96087e4f35713f2412ed006ce8ca25712db5c121e9cd8b41bdd33f75a";
constexpr std::string_view kSharedSecret2 =
    "3af68c72e08017e3476e64a41450a44f997b477023d416d66ee592ac12aa8783";
constexpr std::string_view kAssociatedData2 =
    "da29e95b02e00ffa15645775fb1d2ba222a1943395eea06b94e2c057b7be69d02dfe382fef21b2d6214b0444"
    "99986de8daca2d59092bc9f75277bbb12b5b7632";
constexpr std::string_view kM1KeyExchange2 =
    "080910031a20da29e95b02e00ffa15645775fb1d2ba222a1943395eea06b94e2c057b7be69d02220947498c2"
    "1e24aa150d54bfced6d7678a09cf59faf1563686f0697ff5a2b72a3b2a7c0a10a4bd15f3d95a9f2251e7b44c"
    "4cfbcee61268080010001a204d80f77fe7eeb1ccf2380ef8ea98f69d94e436456a664abb6fa08a5eeed8563a"
    "2240ad1d799d8744168d85db26ca3e7edbccacdc5e676f1e160ddf63725292a625c756ec20d14bc62d5f7df7"
    "a5569223d33a87fbd14978415ab5ca3c283c14530869";

Bytes hex(std::string_view text) {
  std::optional<Bytes> bytes = from_hex(text);
  REQUIRE(bytes);
  return *bytes;
}

template <std::size_t N>
ByteArray<N> hex_array(std::string_view text) {
  const Bytes bytes = hex(text);
  REQUIRE(bytes.size() == N);
  ByteArray<N> out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

crypto::CurveKeyPair curve(std::string_view private_hex) {
  return crypto::curve25519_from_private(hex_array<32>(private_hex));
}

RatchetKeySupplier supply(std::string_view private_hex) {
  const crypto::CurveKeyPair pair = curve(private_hex);
  return [pair] { return pair; };
}

class BobPrekeys : public PrekeyLookup {
 public:
  std::optional<crypto::CurveKeyPair> signed_prekey(std::uint32_t id) const override {
    if (id != 7) return std::nullopt;
    return curve(kBobSignedPrekeyPrivate);
  }
  std::optional<crypto::CurveKeyPair> prekey(std::uint32_t id) const override {
    if (id != 42) return std::nullopt;
    return curve(kBobPrekeyPrivate);
  }
};

BundleKeys bob_bundle() {
  BundleKeys bundle;
  bundle.identity_key = hex_array<32>(kBobIdentityKey);
  bundle.signed_prekey_id = 7;
  bundle.signed_prekey = hex_array<32>(kBobSignedPrekey);
  bundle.signed_prekey_signature = hex_array<64>(kBobSignedPrekeySignature);
  bundle.prekey_id = 42;
  bundle.prekey = hex_array<32>(kBobPrekey);
  return bundle;
}

Bytes key_material(int index) {
  switch (index) {
    case 1: {
      Bytes out(48);
      for (std::size_t i = 0; i < 48; ++i) out[i] = static_cast<std::uint8_t>(i);
      return out;
    }
    case 2:
      return Bytes(48, 0x11);
    case 3: {
      Bytes out(48);
      for (std::size_t i = 0; i < 48; ++i) out[i] = static_cast<std::uint8_t>(100 + i);
      return out;
    }
    case 4:
      return Bytes(32, 0x00);
    case 5:
      return Bytes(48, 0x55);
    default:
      return Bytes(48, 0x77);
  }
}

}  // namespace

TEST_CASE("omemo2 crosscheck: identities and bundle match python-x3dh", "[engine][omemo2]") {
  const IdentityKey alice =
      IdentityKey::from_secret(IdentityKind::ed25519_seed, hex_array<32>(kAliceSeed));
  const IdentityKey bob = IdentityKey::from_secret(IdentityKind::curve25519_true_sign,
                                                   hex_array<32>(kBobIdentityPrivate));
  CHECK(to_hex(alice.ed25519_public()) == kAliceIdentityKey);
  CHECK(to_hex(bob.ed25519_public()) == kBobIdentityKey);
  CHECK((bob.ed25519_public()[31] & 0x80) != 0);  // the sign-bit-1 case of R-OM2-002
  CHECK(to_hex(curve(kBobSignedPrekeyPrivate).public_key) == kBobSignedPrekey);
  CHECK(to_hex(curve(kBobPrekeyPrivate).public_key) == kBobPrekey);
  CHECK(signed_prekey_signature_is_valid(hex(kBobIdentityKey), hex_array<32>(kBobSignedPrekey),
                                         hex(kBobSignedPrekeySignature)));

  // libxeddsa's ed25519_priv_sign with an explicit nonce and libsignal-style curvesig (minus the
  // sign bit in S) compute the same deterministic signature.
  Signature64 ours = crypto::curvesig_sign(bob.curve25519_private(), hex(kBobSignedPrekey),
                                           hex_array<64>(kBobSignatureNonce));
  ours[63] &= 0x7f;
  CHECK(to_hex(ours) == kBobSignedPrekeySignature);
}

TEST_CASE("omemo2 crosscheck: X3DH, ratchet and wire bytes match python-twomemo",
          "[engine][omemo2]") {
  const IdentityKey alice =
      IdentityKey::from_secret(IdentityKind::ed25519_seed, hex_array<32>(kAliceSeed));
  const IdentityKey bob = IdentityKey::from_secret(IdentityKind::curve25519_true_sign,
                                                   hex_array<32>(kBobIdentityPrivate));

  Result<X3dhSecrets> secrets = x3dh_initiate(alice, bob_bundle(), curve(kAliceEphemeralPrivate));
  REQUIRE(secrets);
  CHECK(to_hex(secrets->shared_secret) == kSharedSecret);
  CHECK(to_hex(secrets->associated_data) == kAssociatedData);

  Result<Session> alice_session =
      Session::initiate(alice, bob_bundle(), curve(kAliceEphemeralPrivate), curve(kAliceRatchet1));
  REQUIRE(alice_session);
  CHECK(to_hex(alice_session->ratchet().state().root_key) == kAliceRootKeyAfterM1);
  const OutgoingKey m1 = alice_session->encrypt(key_material(1));
  const OutgoingKey m2 = alice_session->encrypt(key_material(2));
  CHECK(m1.is_key_exchange);
  CHECK(m2.is_key_exchange);
  CHECK(to_hex(m1.data) == kM1KeyExchange);
  CHECK(to_hex(m2.data) == kM2KeyExchange);

  const BobPrekeys prekeys;
  std::optional<Session> bob_session;
  Result<KeyExchangeReceived> r1 =
      receive_key_exchange(bob_session, hex(kM1KeyExchange), bob, prekeys, supply(kBobRatchet1));
  REQUIRE(r1);
  CHECK(r1->message.plaintext == key_material(1));
  CHECK(r1->built_session);
  CHECK(r1->consumed_prekey_id == 42);
  Result<KeyExchangeReceived> r2 =
      receive_key_exchange(bob_session, hex(kM2KeyExchange), bob, prekeys, supply(kBobRatchet2));
  REQUIRE(r2);
  CHECK(r2->message.plaintext == key_material(2));
  CHECK_FALSE(r2->built_session);  // same ek: inner message only

  const OutgoingKey m3 = bob_session->encrypt(key_material(3));
  const OutgoingKey m4 = bob_session->encrypt(key_material(4));
  CHECK_FALSE(m3.is_key_exchange);
  CHECK(to_hex(m3.data) == kM3Authenticated);
  CHECK(to_hex(m4.data) == kM4Authenticated);

  // Python's m4 before m3.
  Result<Received> a4 = alice_session->decrypt(hex(kM4Authenticated), supply(kAliceRatchet2));
  REQUIRE(a4);
  CHECK(is_empty_message_key_material(a4->plaintext));
  Result<Received> a3 = alice_session->decrypt(hex(kM3Authenticated), supply(kAliceRatchet3));
  REQUIRE(a3);
  CHECK(a3->used_skipped_key);
  CHECK(a3->plaintext == key_material(3));

  const OutgoingKey m5 = alice_session->encrypt(key_material(5));
  CHECK_FALSE(m5.is_key_exchange);  // Bob has answered
  CHECK(to_hex(m5.data) == kM5Authenticated);
  CHECK(alice_session->ratchet().state().previous_sending_length == 2);

  Result<Received> b5 = bob_session->decrypt(hex(kM5Authenticated), supply(kBobRatchet2));
  REQUIRE(b5);
  CHECK(b5->plaintext == key_material(5));
  const OutgoingKey m6 = bob_session->encrypt(key_material(6));
  CHECK(to_hex(m6.data) == kM6Authenticated);
  Result<Received> a6 = alice_session->decrypt(hex(kM6Authenticated), supply(kAliceRatchet3));
  REQUIRE(a6);
  CHECK(a6->plaintext == key_material(6));

  CHECK(to_hex(alice_session->ratchet().state().root_key) == kAliceRootKeyFinal);
  CHECK(to_hex(bob_session->ratchet().state().root_key) == kBobRootKeyFinal);
}

TEST_CASE("omemo2 crosscheck: payload matches python-twomemo", "[engine][omemo2]") {
  const std::string_view envelope =
      "<envelope xmlns='urn:xmpp:sce:1'><content><body xmlns='jabber:client'>Hello OMEMO "
      "2</body></content><rpad>abc</rpad></envelope>";
  const EncryptedPayload payload = encrypt_payload(as_bytes(envelope), hex_array<32>(kPayloadKey));
  CHECK(to_hex(payload.ciphertext) == kPayloadCiphertext);
  CHECK(to_hex(payload.key_material) == kPayloadKeyMaterial);
  Result<Bytes> plaintext = decrypt_payload(hex(kPayloadKeyMaterial), hex(kPayloadCiphertext));
  REQUIRE(plaintext);
  CHECK(Bytes(plaintext->begin(), plaintext->end()) ==
        Bytes(as_bytes(envelope).begin(), as_bytes(envelope).end()));
}

TEST_CASE("omemo2 crosscheck: XEdDSA-style identity (published sign bit 0) against python-x3dh",
          "[engine][omemo2]") {
  const IdentityKey carol =
      IdentityKey::from_secret(IdentityKind::curve25519_xeddsa, hex_array<32>(kCarolSecret));
  CHECK(to_hex(carol.ed25519_public()) == kCarolIk);
  CHECK((crypto::curve25519_private_to_ed25519_public(carol.curve25519_private())[31] & 0x80) != 0);
  CHECK(to_hex(crypto::xeddsa_sign(carol.curve25519_private(), hex(kCarolSpk),
                                   hex_array<64>(kCarolZ))) == kCarolSpks);
  CHECK(signed_prekey_signature_is_valid(carol.ed25519_public(), hex_array<32>(kCarolSpk),
                                         hex(kCarolSpks)));

  // Dave's side, reproduced from the same keys.
  const IdentityKey dave =
      IdentityKey::from_secret(IdentityKind::ed25519_seed, hex_array<32>(kDaveSeed));
  BundleKeys bundle;
  bundle.identity_key = carol.ed25519_public();
  bundle.signed_prekey_id = 3;
  bundle.signed_prekey = hex_array<32>(kCarolSpk);
  bundle.signed_prekey_signature = hex_array<64>(kCarolSpks);
  bundle.prekey_id = 9;
  bundle.prekey = hex_array<32>(kCarolPk);
  Result<X3dhSecrets> secrets = x3dh_initiate(dave, bundle, curve(kDaveEphemeralPrivate));
  REQUIRE(secrets);
  CHECK(to_hex(secrets->shared_secret) == kSharedSecret2);
  CHECK(to_hex(secrets->associated_data) == kAssociatedData2);
  Result<Session> dave_session =
      Session::initiate(dave, bundle, curve(kDaveEphemeralPrivate), curve(kDaveRatchet1));
  REQUIRE(dave_session);
  CHECK(to_hex(dave_session->encrypt(Bytes(48, 0x42)).data) == kM1KeyExchange2);

  // Carol's side: python's key exchange decrypts.
  class CarolPrekeys : public PrekeyLookup {
   public:
    std::optional<crypto::CurveKeyPair> signed_prekey(std::uint32_t id) const override {
      if (id != 3) return std::nullopt;
      return curve(kCarolSpkPriv);
    }
    std::optional<crypto::CurveKeyPair> prekey(std::uint32_t id) const override {
      if (id != 9) return std::nullopt;
      return curve(kCarolPkPriv);
    }
  } prekeys;
  std::optional<Session> carol_session;
  crypto::RandomSource random = crypto::RandomSource::seeded(std::uint64_t{3});
  Result<KeyExchangeReceived> received =
      receive_key_exchange(carol_session, hex(kM1KeyExchange2), carol, prekeys, random);
  REQUIRE(received);
  CHECK(received->message.plaintext == Bytes(48, 0x42));
  CHECK(to_hex(carol_session->ratchet().state().associated_data) == kAssociatedData2);
}
