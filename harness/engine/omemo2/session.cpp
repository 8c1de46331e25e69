#include "engine/omemo2/session.h"

#include <algorithm>

#include <fmt/format.h>

namespace oi::engine::omemo2 {
namespace {

Key32 to_key(const Bytes& bytes) {
  Key32 key{};
  std::copy_n(bytes.begin(), std::min<std::size_t>(32, bytes.size()), key.begin());
  return key;
}

std::string first_must(const std::vector<codec::Finding>& findings) {
  for (const codec::Finding& finding : findings)
    if (finding.severity == codec::Severity::must) return finding.message;
  return "unusable OMEMOKeyExchange";
}

}  // namespace

Result<Session> Session::initiate(const IdentityKey& own, const BundleKeys& bundle,
                                  crypto::RandomSource& random) {
  // Checked before drawing, so that a bad bundle leaves the random stream where it was.
  if (!signed_prekey_signature_is_valid(bundle.identity_key, bundle.signed_prekey,
                                        bundle.signed_prekey_signature))
    return fail(DecryptError::bad_signature,
                "signed prekey signature does not verify with the bundle's identity key");
  const crypto::CurveKeyPair ephemeral = crypto::curve25519_generate(random);
  const crypto::CurveKeyPair ratchet_key = crypto::curve25519_generate(random);
  return initiate(own, bundle, ephemeral, ratchet_key);
}

Result<Session> Session::initiate(const IdentityKey& own, const BundleKeys& bundle,
                                  const crypto::CurveKeyPair& ephemeral,
                                  const crypto::CurveKeyPair& first_ratchet_key) {
  Result<X3dhSecrets> secrets = x3dh_initiate(own, bundle, ephemeral);
  if (!secrets) return secrets.failure();
  SessionState state;
  state.ratchet =
      DoubleRatchet::initiate(*secrets, bundle.signed_prekey, first_ratchet_key).state();
  state.role = SessionRole::initiator;
  state.key_exchange = KeyExchangeHeader{bundle.prekey_id, bundle.signed_prekey_id,
                                         own.ed25519_public(), ephemeral.public_key};
  state.peer_identity_key = bundle.identity_key;
  state.confirmed = false;
  return Session(std::move(state));
}

Session Session::from_state(SessionState state) { return Session(std::move(state)); }

OutgoingKey Session::encrypt(ByteView plaintext) {
  DoubleRatchet ratchet = DoubleRatchet::from_state(std::move(state_.ratchet));
  codec::OmemoAuthenticatedMessage message = ratchet.encrypt(plaintext);
  state_.ratchet = ratchet.state();
  if (!sends_key_exchange())
    return OutgoingKey{codec::serialize_omemo_authenticated_message(message), false};
  codec::OmemoKeyExchange exchange;
  exchange.pk_id = state_.key_exchange.prekey_id;
  exchange.spk_id = state_.key_exchange.signed_prekey_id;
  exchange.ik.assign(state_.key_exchange.identity_key.begin(),
                     state_.key_exchange.identity_key.end());
  exchange.ek.assign(state_.key_exchange.ephemeral_key.begin(),
                     state_.key_exchange.ephemeral_key.end());
  exchange.message = std::move(message);
  return OutgoingKey{codec::serialize_omemo_key_exchange(exchange), true};
}

Result<Received> Session::decrypt(ByteView authenticated_message, crypto::RandomSource& random) {
  Result<codec::OmemoAuthenticatedMessage> parsed =
      parse_authenticated_message(authenticated_message);
  if (!parsed) return parsed.failure();
  return decrypt(*parsed, random);
}

Result<Received> Session::decrypt(const codec::OmemoAuthenticatedMessage& message,
                                  crypto::RandomSource& random) {
  DoubleRatchet ratchet = DoubleRatchet::from_state(state_.ratchet);
  Result<Received> received = ratchet.decrypt(message, random);
  if (!received) return received;
  state_.ratchet = ratchet.state();
  state_.confirmed = true;
  return received;
}

Result<KeyExchangeReceived> receive_key_exchange(std::optional<Session>& session,
                                                 ByteView key_exchange, const IdentityKey& own,
                                                 const PrekeyLookup& prekeys,
                                                 crypto::RandomSource& random) {
  codec::Parsed<codec::OmemoKeyExchange> parsed = codec::parse_omemo_key_exchange(key_exchange);
  if (!parsed.value || codec::contains_must(parsed.findings))
    return fail(DecryptError::bad_data, first_must(parsed.findings));
  const codec::OmemoKeyExchange& exchange = *parsed.value;
  const Key32 ephemeral = to_key(exchange.ek);

  // The initiator repeating the exchange of the session we already have (R-OM2-017).
  if (session && session->role() == SessionRole::responder &&
      session->state().key_exchange.ephemeral_key == ephemeral) {
    Result<Received> received = session->decrypt(exchange.message, random);
    if (!received) return received.failure();
    return KeyExchangeReceived{std::move(*received), false, false, 0};
  }

  const std::optional<crypto::CurveKeyPair> signed_prekey = prekeys.signed_prekey(exchange.spk_id);
  if (!signed_prekey)
    return fail(DecryptError::unknown_prekey,
                fmt::format("OMEMOKeyExchange names unknown signed prekey {}", exchange.spk_id));
  const std::optional<crypto::CurveKeyPair> prekey = prekeys.prekey(exchange.pk_id);
  if (!prekey)
    return fail(DecryptError::unknown_prekey,
                fmt::format("OMEMOKeyExchange names unknown or consumed prekey {}",
                            exchange.pk_id));

  Result<X3dhSecrets> secrets = x3dh_respond(own, *signed_prekey, *prekey, exchange.ik, ephemeral);
  if (!secrets) return secrets.failure();
  DoubleRatchet ratchet = DoubleRatchet::respond(*secrets, *signed_prekey);
  Result<Received> received = ratchet.decrypt(exchange.message, random);
  if (!received) return received.failure();

  SessionState state;
  state.ratchet = ratchet.state();
  state.role = SessionRole::responder;
  state.key_exchange =
      KeyExchangeHeader{exchange.pk_id, exchange.spk_id, to_key(exchange.ik), ephemeral};
  state.peer_identity_key = to_key(exchange.ik);
  state.confirmed = true;
  const bool replaced = session.has_value();
  session = Session::from_state(std::move(state));
  return KeyExchangeReceived{std::move(*received), true, replaced, exchange.pk_id};
}

}  // namespace oi::engine::omemo2
