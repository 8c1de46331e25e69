#include "engine/omemo2/ratchet.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

#include "engine/omemo2/constants.h"
#include "engine/omemo2/kdf.h"

namespace oi::engine::omemo2 {
namespace {

Key32 dh(const Key32& private_key, const Key32& public_key) {
  return crypto::x25519(private_key, public_key).shared_secret;
}

// The receiving-chain part of the state a decrypt may change before it knows the message is good.
struct ReceivingWork {
  Key32 root_key;
  std::optional<Key32> ratchet;
  std::optional<Key32> chain;
  std::uint32_t n;
};

// Advances `work` to counter `until`, appending the keys it passes to `pending`. The caller has
// checked until - work.n <= kMaxSkip.
void skip_to(ReceivingWork& work, std::uint32_t until, std::vector<SkippedKey>& pending) {
  if (!work.chain || !work.ratchet) return;
  while (work.n < until) {
    const ChainStep step = kdf_chain(*work.chain);
    pending.push_back(SkippedKey{*work.ratchet, work.n, step.message_key});
    work.chain = step.next_chain_key;
    ++work.n;
  }
}

}  // namespace

bool operator==(const RatchetState& a, const RatchetState& b) {
  return a.root_key == b.root_key &&
         a.sending_ratchet.private_key == b.sending_ratchet.private_key &&
         a.sending_ratchet.public_key == b.sending_ratchet.public_key &&
         a.receiving_ratchet == b.receiving_ratchet && a.sending_chain == b.sending_chain &&
         a.receiving_chain == b.receiving_chain && a.sending_n == b.sending_n &&
         a.receiving_n == b.receiving_n && a.previous_sending_length == b.previous_sending_length &&
         a.associated_data == b.associated_data &&
         a.heartbeat_threshold_reached == b.heartbeat_threshold_reached &&
         a.skipped_keys == b.skipped_keys &&
         a.previous_receiving_ratchets == b.previous_receiving_ratchets;
}

DoubleRatchet DoubleRatchet::initiate(const X3dhSecrets& secrets, const Key32& peer_signed_prekey,
                                      const crypto::CurveKeyPair& first_ratchet_key) {
  RatchetState state;
  state.associated_data = secrets.associated_data;
  state.sending_ratchet = first_ratchet_key;
  state.receiving_ratchet = peer_signed_prekey;
  const RootStep step =
      kdf_root(secrets.shared_secret, dh(first_ratchet_key.private_key, peer_signed_prekey));
  state.root_key = step.root_key;
  state.sending_chain = step.chain_key;
  // No receiving chain yet: the peer's SPK is DHr only so that its first reply (with a new
  // ratchet key) takes the DH-ratchet path.
  return DoubleRatchet(std::move(state));
}

DoubleRatchet DoubleRatchet::respond(const X3dhSecrets& secrets,
                                     const crypto::CurveKeyPair& signed_prekey) {
  RatchetState state;
  state.associated_data = secrets.associated_data;
  state.root_key = secrets.shared_secret;
  state.sending_ratchet = signed_prekey;
  return DoubleRatchet(std::move(state));
}

DoubleRatchet DoubleRatchet::from_state(RatchetState state) {
  return DoubleRatchet(std::move(state));
}

MessageHeader DoubleRatchet::next_header() const {
  return MessageHeader{state_.sending_n, state_.previous_sending_length,
                       state_.sending_ratchet.public_key};
}

codec::OmemoAuthenticatedMessage DoubleRatchet::encrypt(ByteView plaintext) {
  if (!state_.sending_chain) throw std::logic_error("DoubleRatchet::encrypt without sending chain");
  if (state_.sending_n == std::numeric_limits<std::uint32_t>::max())
    throw std::overflow_error("OMEMO 2 sending counter exhausted");
  const MessageHeader header = next_header();
  const ChainStep step = kdf_chain(*state_.sending_chain);
  state_.sending_chain = step.next_chain_key;
  ++state_.sending_n;
  return seal_message(step.message_key, header, plaintext, state_.associated_data);
}

Result<Received> DoubleRatchet::decrypt(ByteView authenticated_message,
                                        crypto::RandomSource& random) {
  return decrypt(authenticated_message, [&random] { return crypto::curve25519_generate(random); });
}

Result<Received> DoubleRatchet::decrypt(ByteView authenticated_message,
                                        const RatchetKeySupplier& next_ratchet_key) {
  Result<codec::OmemoAuthenticatedMessage> parsed =
      parse_authenticated_message(authenticated_message);
  if (!parsed) return parsed.failure();
  return decrypt(*parsed, next_ratchet_key);
}

Result<Received> DoubleRatchet::decrypt(const codec::OmemoAuthenticatedMessage& message,
                                        crypto::RandomSource& random) {
  return decrypt(message, [&random] { return crypto::curve25519_generate(random); });
}

Result<Received> DoubleRatchet::decrypt(const codec::OmemoAuthenticatedMessage& message,
                                        const RatchetKeySupplier& next_ratchet_key) {
  if (message.message.dh_pub.size() != 32)
    return fail(DecryptError::bad_data, "OMEMOMessage dh_pub is not 32 bytes");
  const MessageHeader header = header_of(message.message);

  // A key skipped earlier.
  const auto stored = std::find_if(
      state_.skipped_keys.begin(), state_.skipped_keys.end(),
      [&](const SkippedKey& key) { return key.ratchet_key == header.dh_pub && key.n == header.n; });
  if (stored != state_.skipped_keys.end()) {
    Result<Bytes> plaintext = open_message(stored->message_key, message, state_.associated_data);
    if (!plaintext) return plaintext.failure();
    state_.skipped_keys.erase(stored);
    return Received{std::move(*plaintext), header, true, false};
  }

  // Every limit is checked before any key is derived, so that hostile counters cost nothing.
  const bool new_chain = !state_.receiving_chain || state_.receiving_ratchet != header.dh_pub;
  if (header.n == std::numeric_limits<std::uint32_t>::max())
    return fail(DecryptError::skip_limit, "n=2^32-1 leaves no next counter");
  if (!new_chain) {
    if (header.n < state_.receiving_n)
      return fail(DecryptError::replay,
                  fmt::format("message n={} of the current chain was already received or its "
                              "key discarded (next expected n={})",
                              header.n, state_.receiving_n));
    if (header.n - state_.receiving_n > kMaxSkip)
      return fail(DecryptError::skip_limit,
                  fmt::format("n={} would skip {} keys (limit {})", header.n,
                              header.n - state_.receiving_n, kMaxSkip));
  } else {
    if (std::find(state_.previous_receiving_ratchets.begin(),
                  state_.previous_receiving_ratchets.end(),
                  header.dh_pub) != state_.previous_receiving_ratchets.end())
      return fail(DecryptError::replay,
                  fmt::format("message n={} of an ended chain whose key is not stored", header.n));
    // Python-doubleratchet only warns here and skips nothing; the Signal specification (and
    // this engine) refuses the message.
    if (state_.receiving_chain && header.pn > state_.receiving_n &&
        header.pn - state_.receiving_n > kMaxSkip)
      return fail(DecryptError::skip_limit,
                  fmt::format("pn={} would skip {} keys of the previous chain (limit {})",
                              header.pn, header.pn - state_.receiving_n, kMaxSkip));
    if (header.n > kMaxSkip)
      return fail(DecryptError::skip_limit,
                  fmt::format("n={} on a new chain would skip {} keys (limit {})", header.n,
                              header.n, kMaxSkip));
  }

  ReceivingWork work{state_.root_key, state_.receiving_ratchet, state_.receiving_chain,
                     state_.receiving_n};
  std::vector<SkippedKey> pending;
  if (new_chain) {
    skip_to(work, header.pn, pending);
    const RootStep step =
        kdf_root(work.root_key, dh(state_.sending_ratchet.private_key, header.dh_pub));
    work.root_key = step.root_key;
    work.chain = step.chain_key;
    work.ratchet = header.dh_pub;
    work.n = 0;
  }
  skip_to(work, header.n, pending);
  const ChainStep step = kdf_chain(*work.chain);
  Result<Bytes> plaintext = open_message(step.message_key, message, state_.associated_data);
  if (!plaintext) return plaintext.failure();

  // Commit.
  if (new_chain) {
    if (state_.receiving_ratchet && state_.receiving_chain) {
      state_.previous_receiving_ratchets.push_back(*state_.receiving_ratchet);
      while (state_.previous_receiving_ratchets.size() > kMaxRememberedRatchetKeys)
        state_.previous_receiving_ratchets.pop_front();
    }
    state_.previous_sending_length = state_.sending_n;
    state_.sending_n = 0;
    state_.sending_ratchet = next_ratchet_key();
    const RootStep sending =
        kdf_root(work.root_key, dh(state_.sending_ratchet.private_key, header.dh_pub));
    work.root_key = sending.root_key;
    state_.sending_chain = sending.chain_key;
    state_.heartbeat_threshold_reached = false;
  }
  state_.root_key = work.root_key;
  state_.receiving_ratchet = work.ratchet;
  state_.receiving_chain = step.next_chain_key;
  state_.receiving_n = header.n + 1;
  for (SkippedKey& key : pending) state_.skipped_keys.push_back(std::move(key));
  while (state_.skipped_keys.size() > kMaxStoredSkippedKeys) state_.skipped_keys.pop_front();

  Received received{std::move(*plaintext), header, false, false};
  if (header.n >= kHeartbeatThreshold && !state_.heartbeat_threshold_reached) {
    state_.heartbeat_threshold_reached = true;
    received.heartbeat_due = true;
  }
  return received;
}

}  // namespace oi::engine::omemo2
