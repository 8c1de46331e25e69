// The OMEMO 2 Double Ratchet (R-OM2-009..015), following the Signal Double Ratchet specification
// and python-doubleratchet (the library under python-twomemo).
//
// PN semantics: PN in a header is the *number* of messages sent in the previous sending chain
// (the spec's `PN = Ns` at the DH ratchet step; python-doubleratchet's
// previous_sending_chain_length), and a receiver derives skipped keys of the old chain for
// counters Nr..PN-1. libsignal and libomemo-c differ on both sides (vector-sources.md §0 item 4):
// they send `previousCounter = max(Ns - 1, 0)`, the counter of the last message sent, and they
// ignore it when receiving, keeping up to 5 old receiving chains and deriving late keys from those
// instead. Consequences: a message of theirs whose chain ended before it arrived is lost here when
// it was the last of its chain (PN is one short, the key is never derived: reported as replay);
// our PN is harmless to them.
//
// Atomicity: decrypt() computes on copies and changes nothing unless the message authenticates
// and decrypts; randomness (the next sending ratchet key) is drawn only on success.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>

#include "codec/omemo2_messages.h"
#include "crypto/bytes.h"
#include "crypto/curve25519.h"
#include "crypto/random_source.h"
#include "engine/decrypt_error.h"
#include "engine/omemo2/message_cipher.h"
#include "engine/omemo2/x3dh.h"

namespace oi::engine::omemo2 {

struct SkippedKey {
  Key32 ratchet_key{};  // the sender's ratchet public key of the chain
  std::uint32_t n = 0;
  Key32 message_key{};
  friend bool operator==(const SkippedKey&, const SkippedKey&) = default;
};

// Everything a Double Ratchet holds; plain data so that it can be exported, forked and inspected
// (vectors, misbehaviour knobs).
struct RatchetState {
  Key32 root_key{};
  crypto::CurveKeyPair sending_ratchet{};  // DHs
  std::optional<Key32> receiving_ratchet;  // DHr
  std::optional<Key32> sending_chain;      // CKs; absent for a responder before its first message
  std::optional<Key32> receiving_chain;    // CKr
  std::uint32_t sending_n = 0;             // Ns
  std::uint32_t receiving_n = 0;           // Nr
  std::uint32_t previous_sending_length = 0;  // PN
  AssociatedData associated_data{};
  // True once a message with n >= 53 was received on the current receiving chain (R-OM2-053).
  bool heartbeat_threshold_reached = false;
  std::deque<SkippedKey> skipped_keys;            // oldest first, at most kMaxStoredSkippedKeys
  std::deque<Key32> previous_receiving_ratchets;  // oldest first, at most kMaxRememberedRatchetKeys

  friend bool operator==(const RatchetState& a, const RatchetState& b);
};

// Supplies the next sending ratchet key pair at a DH ratchet step. Called at most once per
// decrypt, and only after the message has authenticated and decrypted.
using RatchetKeySupplier = std::function<crypto::CurveKeyPair()>;

struct Received {
  Bytes plaintext;
  MessageHeader header;
  bool used_skipped_key = false;
  // This message is the first of its receiving chain with n >= 53: the receiver must answer
  // with an empty message (heartbeat, R-OM2-053).
  bool heartbeat_due = false;
};

class DoubleRatchet {
 public:
  // Initiator: DHs = first_ratchet_key; RK, CKs = KDF_RK(SK, DH(DHs, SPK_B)).
  static DoubleRatchet initiate(const X3dhSecrets& secrets, const Key32& peer_signed_prekey,
                                const crypto::CurveKeyPair& first_ratchet_key);
  // Responder: DHs = the signed prekey, RK = SK; the chains come with the first message.
  static DoubleRatchet respond(const X3dhSecrets& secrets,
                               const crypto::CurveKeyPair& signed_prekey);
  static DoubleRatchet from_state(RatchetState state);

  const RatchetState& state() const { return state_; }

  // False for a responder that has not received a message yet.
  bool can_send() const { return state_.sending_chain.has_value(); }
  // The header the next encrypt() will use. Precondition: can_send().
  MessageHeader next_header() const;
  // One message; plaintext is the 48-byte key material or the 32 zero bytes of an empty message.
  // Precondition: can_send(). Throws std::overflow_error when Ns would pass 2^32-1.
  codec::OmemoAuthenticatedMessage encrypt(ByteView plaintext);

  // Failures: bad_data (malformed, MAC, padding), replay (key already used or discarded),
  // skip_limit (more than kMaxSkip keys to derive in one chain). The state is unchanged then.
  Result<Received> decrypt(ByteView authenticated_message, crypto::RandomSource& random);
  Result<Received> decrypt(ByteView authenticated_message,
                           const RatchetKeySupplier& next_ratchet_key);
  Result<Received> decrypt(const codec::OmemoAuthenticatedMessage& message,
                           crypto::RandomSource& random);
  // The same with the next ratchet key given (vectors, cross-checks).
  Result<Received> decrypt(const codec::OmemoAuthenticatedMessage& message,
                           const RatchetKeySupplier& next_ratchet_key);

 private:
  explicit DoubleRatchet(RatchetState state) : state_(std::move(state)) {}
  RatchetState state_;
};

}  // namespace oi::engine::omemo2
