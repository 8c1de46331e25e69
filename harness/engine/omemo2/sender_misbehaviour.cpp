#include "engine/omemo2/sender_misbehaviour.h"

#include <algorithm>
#include <stdexcept>

#include "codec/omemo2_messages.h"
#include "crypto/curve25519.h"
#include "crypto/hash.h"
#include "engine/omemo2/constants.h"
#include "engine/omemo2/ratchet.h"

namespace oi::engine::omemo2 {
namespace {

constexpr std::size_t kTruncatedMacLength = 8;

void damage(codec::OmemoAuthenticatedMessage& message, bool wrong_mac, bool truncated_mac) {
  if (wrong_mac) message.mac[0] ^= 0x01;
  if (truncated_mac) message.mac.resize(kTruncatedMacLength);
}

Key32 dh(const Key32& private_key, const Key32& public_key) {
  return crypto::x25519(private_key, public_key).shared_secret;
}

Key32 hkdf32(ByteView ikm, std::string_view info) {
  static constexpr Key32 kZeroSalt{};
  std::optional<Bytes> out = crypto::hkdf_sha256(ikm, kZeroSalt, as_bytes(info), 32);
  if (!out) throw std::logic_error("HKDF length out of range");
  Key32 key;
  std::copy(out->begin(), out->end(), key.begin());
  return key;
}

}  // namespace

void damage_ratchet_mac(OutgoingKey& key, bool wrong_mac, bool truncated_mac) {
  if (!wrong_mac && !truncated_mac) return;
  if (key.is_key_exchange) {
    codec::Parsed<codec::OmemoKeyExchange> exchange = codec::parse_omemo_key_exchange(key.data);
    if (!exchange.value) return;
    damage(exchange.value->message, wrong_mac, truncated_mac);
    key.data = codec::serialize_omemo_key_exchange(*exchange.value);
    return;
  }
  codec::Parsed<codec::OmemoAuthenticatedMessage> message =
      codec::parse_omemo_authenticated_message(key.data);
  if (!message.value) return;
  damage(*message.value, wrong_mac, truncated_mac);
  key.data = codec::serialize_omemo_authenticated_message(*message.value);
}

void strip_key_exchange(OutgoingKey& key) {
  if (!key.is_key_exchange) return;
  codec::Parsed<codec::OmemoKeyExchange> exchange = codec::parse_omemo_key_exchange(key.data);
  if (!exchange.value) return;
  key.data = codec::serialize_omemo_authenticated_message(exchange.value->message);
  key.is_key_exchange = false;
}

Result<Session> initiate_without_prekey(const IdentityKey& own, const BundleKeys& bundle,
                                        crypto::RandomSource& random) {
  if (!signed_prekey_signature_is_valid(bundle.identity_key, bundle.signed_prekey,
                                        bundle.signed_prekey_signature))
    return fail(DecryptError::bad_signature,
                "signed prekey signature does not verify with the bundle's identity key");
  const std::optional<Key32> peer_identity = identity_public_to_curve25519(bundle.identity_key);
  if (!peer_identity)
    return fail(DecryptError::bad_data, "bundle identity key is not a usable Ed25519 point");
  const crypto::CurveKeyPair ephemeral = crypto::curve25519_generate(random);
  const crypto::CurveKeyPair ratchet_key = crypto::curve25519_generate(random);

  Bytes ikm(32, 0xff);
  for (const Key32& part :
       {dh(own.curve25519_private(), bundle.signed_prekey),
        dh(ephemeral.private_key, *peer_identity), dh(ephemeral.private_key, bundle.signed_prekey)})
    ikm.insert(ikm.end(), part.begin(), part.end());
  X3dhSecrets secrets;
  secrets.shared_secret = hkdf32(ikm, kX3dhInfo);
  std::copy(own.ed25519_public().begin(), own.ed25519_public().end(),
            secrets.associated_data.begin());
  std::copy(bundle.identity_key.begin(), bundle.identity_key.end(),
            secrets.associated_data.begin() + 32);

  DoubleRatchet ratchet = DoubleRatchet::initiate(secrets, bundle.signed_prekey, ratchet_key);
  return Session::from_state(SessionState{
      ratchet.state(), SessionRole::initiator,
      KeyExchangeHeader{0, bundle.signed_prekey_id, own.ed25519_public(), ephemeral.public_key},
      bundle.identity_key, false});
}

Bytes pre_0_7_key_material(const KeyMaterial& key_material, ByteView ciphertext) {
  static constexpr Key32 kZeroSalt{};
  const ByteView key = ByteView(key_material).first(32);
  std::optional<Bytes> derived = crypto::hkdf_sha256(key, kZeroSalt, as_bytes(kPayloadInfo), 80);
  if (!derived) throw std::logic_error("HKDF length out of range");
  const ByteArray<32> mac = crypto::hmac_sha256(ByteView(*derived).subspan(32, 32), ciphertext);
  Bytes out(key.begin(), key.end());
  out.insert(out.end(), mac.begin(), mac.end());
  return out;
}

}  // namespace oi::engine::omemo2
