// An OMEMO 2 session with one peer device: the Double Ratchet plus the key exchange that built it
// (R-OM2-005, R-OM2-009, R-OM2-016, R-OM2-017).
//
// Initiator: every message is wrapped in an OMEMOKeyExchange carrying the same pk_id, spk_id, ik
// and ek until the first message from the peer decrypts (the session is then "confirmed").
// Responder: an OMEMOKeyExchange whose ek equals the stored one is the initiator's repetition and
// only its inner message is processed; a different ek builds a new session that replaces the old.
#pragma once

#include <cstdint>
#include <optional>

#include "codec/omemo2_messages.h"
#include "crypto/bytes.h"
#include "crypto/curve25519.h"
#include "crypto/random_source.h"
#include "engine/decrypt_error.h"
#include "engine/omemo2/identity.h"
#include "engine/omemo2/ratchet.h"
#include "engine/omemo2/x3dh.h"

namespace oi::engine::omemo2 {

enum class SessionRole { initiator, responder };

// The OMEMOKeyExchange header fields; ik and ek are always the initiator's.
struct KeyExchangeHeader {
  std::uint32_t prekey_id = 0;
  std::uint32_t signed_prekey_id = 0;
  Key32 identity_key{};   // ik, Ed25519
  Key32 ephemeral_key{};  // ek, X25519
  friend bool operator==(const KeyExchangeHeader&, const KeyExchangeHeader&) = default;
};

struct SessionState {
  RatchetState ratchet;
  SessionRole role = SessionRole::initiator;
  KeyExchangeHeader key_exchange;
  Key32 peer_identity_key{};  // the peer's published Ed25519 identity key
  bool confirmed = false;     // initiator: the peer has answered; responder: always true
  friend bool operator==(const SessionState&, const SessionState&) = default;
};

// One <key> element's content.
struct OutgoingKey {
  Bytes data;                    // serialised OMEMOKeyExchange or OMEMOAuthenticatedMessage
  bool is_key_exchange = false;  // kex='true'
};

// The private halves of the own signed prekeys and one-time prekeys, by id. Implemented by the
// device's key store; the session layer only reads it.
class PrekeyLookup {
 public:
  virtual ~PrekeyLookup() = default;
  virtual std::optional<crypto::CurveKeyPair> signed_prekey(std::uint32_t id) const = 0;
  virtual std::optional<crypto::CurveKeyPair> prekey(std::uint32_t id) const = 0;
};

class Session {
 public:
  // Verifies the bundle's signed-prekey signature (bad_signature, and `random` is then left where
  // it was); draws EK and the first ratchet key from `random`, in that order.
  static Result<Session> initiate(const IdentityKey& own, const BundleKeys& bundle,
                                  crypto::RandomSource& random);
  // The same with EK and the first ratchet key given (vectors, cross-checks).
  static Result<Session> initiate(const IdentityKey& own, const BundleKeys& bundle,
                                  const crypto::CurveKeyPair& ephemeral,
                                  const crypto::CurveKeyPair& first_ratchet_key);
  static Session from_state(SessionState state);

  // A copy of the whole state (export, fork, inspection).
  SessionState state() const;
  const DoubleRatchet& ratchet() const { return ratchet_; }
  SessionRole role() const { return role_; }
  const KeyExchangeHeader& key_exchange() const { return key_exchange_; }
  const Key32& peer_identity_key() const { return peer_identity_key_; }
  bool is_confirmed() const { return confirmed_; }
  // True while encrypt() wraps messages in an OMEMOKeyExchange.
  bool sends_key_exchange() const { return role_ == SessionRole::initiator && !confirmed_; }
  // Receiving-chain length, for a heartbeat policy that counts like python-omemo.
  std::uint32_t receiving_chain_length() const { return ratchet_.state().receiving_n; }

  // One message (48-byte key material, or 32 zero bytes for an empty message).
  OutgoingKey encrypt(ByteView plaintext);

  // A <key> without kex='true' (an OMEMOAuthenticatedMessage). Confirms an initiator session.
  // The state is unchanged on failure.
  Result<Received> decrypt(ByteView authenticated_message, crypto::RandomSource& random);
  Result<Received> decrypt(ByteView authenticated_message,
                           const RatchetKeySupplier& next_ratchet_key);
  Result<Received> decrypt(const codec::OmemoAuthenticatedMessage& message,
                           crypto::RandomSource& random);
  Result<Received> decrypt(const codec::OmemoAuthenticatedMessage& message,
                           const RatchetKeySupplier& next_ratchet_key);

 private:
  Session(DoubleRatchet ratchet, SessionRole role, const KeyExchangeHeader& key_exchange,
          const Key32& peer_identity_key, bool confirmed)
      : ratchet_(std::move(ratchet)),
        role_(role),
        key_exchange_(key_exchange),
        peer_identity_key_(peer_identity_key),
        confirmed_(confirmed) {}

  DoubleRatchet ratchet_;
  SessionRole role_;
  KeyExchangeHeader key_exchange_;
  Key32 peer_identity_key_;
  bool confirmed_;
};

struct KeyExchangeReceived {
  Received message;
  bool built_session = false;     // a new session was built from the exchange
  bool replaced_session = false;  // ... and it replaced an existing one
  // The one-time prekey the new session used: the caller removes it from the bundle. Only
  // meaningful when built_session.
  std::uint32_t consumed_prekey_id = 0;
};

// A <key kex='true'> (an OMEMOKeyExchange) from the device whose current session is `session`
// (nullopt when there is none). On success `session` holds the session to keep. On failure
// nothing changes. Errors: bad_data (malformed, bad identity key, MAC), unknown_prekey (spk_id or
// pk_id not held), replay, skip_limit. Identity trust is the caller's business.
Result<KeyExchangeReceived> receive_key_exchange(std::optional<Session>& session,
                                                 ByteView key_exchange, const IdentityKey& own,
                                                 const PrekeyLookup& prekeys,
                                                 crypto::RandomSource& random);
// The same with the responder's first sending ratchet key given (vectors, cross-checks).
Result<KeyExchangeReceived> receive_key_exchange(std::optional<Session>& session,
                                                 ByteView key_exchange, const IdentityKey& own,
                                                 const PrekeyLookup& prekeys,
                                                 const RatchetKeySupplier& next_ratchet_key);

}  // namespace oi::engine::omemo2
