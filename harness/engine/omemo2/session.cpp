#include "engine/omemo2/session.h"

#include <fmt/format.h>

#include <algorithm>

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
  // Drawn from a copy that replaces `random` only on success, so that a bad bundle leaves the
  // random stream where it was. x3dh_initiate verifies the signature: verifying it here as well
  // would cost a second Ed25519 verification per session setup.
  crypto::RandomSource draws = random;
  const crypto::CurveKeyPair ephemeral = crypto::curve25519_generate(draws);
  const crypto::CurveKeyPair ratchet_key = crypto::curve25519_generate(draws);
  Result<Session> session = initiate(own, bundle, ephemeral, ratchet_key);
  if (session) random = std::move(draws);
  return session;
}

Result<Session> Session::initiate(const IdentityKey& own, const BundleKeys& bundle,
                                  const crypto::CurveKeyPair& ephemeral,
                                  const crypto::CurveKeyPair& first_ratchet_key) {
  Result<X3dhSecrets> secrets = x3dh_initiate(own, bundle, ephemeral);
  if (!secrets) return secrets.failure();
  return Session(DoubleRatchet::initiate(*secrets, bundle.signed_prekey, first_ratchet_key),
                 SessionRole::initiator,
                 KeyExchangeHeader{bundle.prekey_id, bundle.signed_prekey_id, own.ed25519_public(),
                                   ephemeral.public_key},
                 bundle.identity_key, false);
}

Session Session::from_state(SessionState state) {
  return Session(DoubleRatchet::from_state(std::move(state.ratchet)), state.role,
                 state.key_exchange, state.peer_identity_key, state.confirmed);
}

SessionState Session::state() const {
  return SessionState{ratchet_.state(), role_, key_exchange_, peer_identity_key_, confirmed_};
}

OutgoingKey Session::encrypt(ByteView plaintext) {
  codec::OmemoAuthenticatedMessage message = ratchet_.encrypt(plaintext);
  if (!sends_key_exchange())
    return OutgoingKey{codec::serialize_omemo_authenticated_message(message), false};
  codec::OmemoKeyExchange exchange;
  exchange.pk_id = key_exchange_.prekey_id;
  exchange.spk_id = key_exchange_.signed_prekey_id;
  exchange.ik.assign(key_exchange_.identity_key.begin(), key_exchange_.identity_key.end());
  exchange.ek.assign(key_exchange_.ephemeral_key.begin(), key_exchange_.ephemeral_key.end());
  exchange.message = std::move(message);
  return OutgoingKey{codec::serialize_omemo_key_exchange(exchange), true};
}

Result<Received> Session::decrypt(ByteView authenticated_message, crypto::RandomSource& random) {
  return decrypt(authenticated_message, [&random] { return crypto::curve25519_generate(random); });
}

Result<Received> Session::decrypt(ByteView authenticated_message,
                                  const RatchetKeySupplier& next_ratchet_key) {
  Result<codec::OmemoAuthenticatedMessage> parsed =
      parse_authenticated_message(authenticated_message);
  if (!parsed) return parsed.failure();
  return decrypt(*parsed, next_ratchet_key);
}

Result<Received> Session::decrypt(const codec::OmemoAuthenticatedMessage& message,
                                  crypto::RandomSource& random) {
  return decrypt(message, [&random] { return crypto::curve25519_generate(random); });
}

Result<Received> Session::decrypt(const codec::OmemoAuthenticatedMessage& message,
                                  const RatchetKeySupplier& next_ratchet_key) {
  Result<Received> received = ratchet_.decrypt(message, next_ratchet_key);
  if (received) confirmed_ = true;
  return received;
}

Result<KeyExchangeReceived> receive_key_exchange(std::optional<Session>& session,
                                                 ByteView key_exchange, const IdentityKey& own,
                                                 const PrekeyLookup& prekeys,
                                                 crypto::RandomSource& random) {
  return receive_key_exchange(session, key_exchange, own, prekeys,
                              [&random] { return crypto::curve25519_generate(random); });
}

Result<KeyExchangeReceived> receive_key_exchange(std::optional<Session>& session,
                                                 ByteView key_exchange, const IdentityKey& own,
                                                 const PrekeyLookup& prekeys,
                                                 const RatchetKeySupplier& next_ratchet_key) {
  codec::Parsed<codec::OmemoKeyExchange> parsed = codec::parse_omemo_key_exchange(key_exchange);
  if (!parsed.value || codec::contains_must(parsed.findings))
    return fail(DecryptError::bad_data, first_must(parsed.findings));
  const codec::OmemoKeyExchange& exchange = *parsed.value;
  const Key32 ephemeral = to_key(exchange.ek);

  // The initiator repeating the exchange of the session we already have (R-OM2-017).
  if (session && session->role() == SessionRole::responder &&
      session->key_exchange().ephemeral_key == ephemeral) {
    Result<Received> received = session->decrypt(exchange.message, next_ratchet_key);
    if (!received) return received.failure();
    return KeyExchangeReceived{std::move(*received), false, false, 0};
  }

  const std::optional<crypto::CurveKeyPair> signed_prekey = prekeys.signed_prekey(exchange.spk_id);
  if (!signed_prekey)
    return fail(DecryptError::unknown_prekey,
                fmt::format("OMEMOKeyExchange names unknown signed prekey {}", exchange.spk_id));
  const std::optional<crypto::CurveKeyPair> prekey = prekeys.prekey(exchange.pk_id);
  if (!prekey)
    return fail(
        DecryptError::unknown_prekey,
        fmt::format("OMEMOKeyExchange names unknown or consumed prekey {}", exchange.pk_id));

  Result<X3dhSecrets> secrets = x3dh_respond(own, *signed_prekey, *prekey, exchange.ik, ephemeral);
  if (!secrets) return secrets.failure();
  DoubleRatchet ratchet = DoubleRatchet::respond(*secrets, *signed_prekey);
  Result<Received> received = ratchet.decrypt(exchange.message, next_ratchet_key);
  if (!received) return received.failure();

  const bool replaced = session.has_value();
  session = Session::from_state(SessionState{
      ratchet.state(), SessionRole::responder,
      KeyExchangeHeader{exchange.pk_id, exchange.spk_id, to_key(exchange.ik), ephemeral},
      to_key(exchange.ik), true});
  return KeyExchangeReceived{std::move(*received), true, replaced, exchange.pk_id};
}

}  // namespace oi::engine::omemo2
