#include "engine/omemo2/state_io.h"

#include <algorithm>
#include <limits>

#include "codec/protobuf_wire.h"
#include "engine/omemo2/constants.h"

namespace oi::engine::omemo2 {
namespace {

constexpr std::uint64_t kSessionFormatVersion = 1;

// Field numbers of the exported records.
namespace ratchet_field {
constexpr std::uint32_t root_key = 1, sending_private = 2, sending_public = 3,
                        receiving_ratchet = 4, sending_chain = 5, receiving_chain = 6,
                        sending_n = 7, receiving_n = 8, previous_sending_length = 9,
                        associated_data = 10, heartbeat_reached = 11, skipped_key = 12,
                        previous_receiving_ratchet = 13;
}
namespace skipped_field {
constexpr std::uint32_t ratchet_key = 1, n = 2, message_key = 3;
}
namespace session_field {
constexpr std::uint32_t version = 1, ratchet = 2, role = 3, prekey_id = 4, signed_prekey_id = 5,
                        identity_key = 6, ephemeral_key = 7, peer_identity_key = 8, confirmed = 9;
}

bool is_bytes(const codec::pb::WireField& field) {
  return field.wire_type == static_cast<std::uint32_t>(codec::pb::WireType::length_delimited);
}
bool is_varint(const codec::pb::WireField& field) {
  return field.wire_type == static_cast<std::uint32_t>(codec::pb::WireType::varint);
}

template <std::size_t N>
bool read_array(const codec::pb::WireField& field, ByteArray<N>& out) {
  if (!is_bytes(field) || field.bytes.size() != N) return false;
  std::copy(field.bytes.begin(), field.bytes.end(), out.begin());
  return true;
}

bool read_u32(const codec::pb::WireField& field, std::uint32_t& out) {
  if (!is_varint(field) || field.varint > std::numeric_limits<std::uint32_t>::max()) return false;
  out = static_cast<std::uint32_t>(field.varint);
  return true;
}

bool read_bool(const codec::pb::WireField& field, bool& out) {
  if (!is_varint(field) || field.varint > 1) return false;
  out = field.varint == 1;
  return true;
}

bool read_optional_key(const codec::pb::WireField& field, std::optional<Key32>& out) {
  Key32 key;
  if (!read_array(field, key)) return false;
  out = key;
  return true;
}

// Calls `handle` for every field; false when the data cannot be read to its end or `handle`
// refuses a field.
template <class Handler>
bool for_each_field(ByteView bytes, Handler handle) {
  codec::pb::Reader reader(bytes);
  while (std::optional<codec::pb::WireField> field = reader.next())
    if (!handle(*field)) return false;
  return !reader.error().has_value();
}

Bytes export_skipped_key(const SkippedKey& key) {
  codec::pb::Writer writer;
  writer.bytes_field(skipped_field::ratchet_key, key.ratchet_key);
  writer.varint_field(skipped_field::n, key.n);
  writer.bytes_field(skipped_field::message_key, key.message_key);
  return writer.take();
}

std::optional<SkippedKey> import_skipped_key(ByteView bytes) {
  SkippedKey key;
  unsigned seen = 0;
  const bool ok = for_each_field(bytes, [&](const codec::pb::WireField& field) {
    if (field.number < 32) seen |= 1u << field.number;
    switch (field.number) {
      case skipped_field::ratchet_key:
        return read_array(field, key.ratchet_key);
      case skipped_field::n:
        return read_u32(field, key.n);
      case skipped_field::message_key:
        return read_array(field, key.message_key);
      default:
        return false;
    }
  });
  if (!ok || seen != 0b1110) return std::nullopt;
  return key;
}

}  // namespace

Bytes export_ratchet_state(const RatchetState& state) {
  using namespace ratchet_field;
  codec::pb::Writer writer;
  writer.bytes_field(root_key, state.root_key);
  writer.bytes_field(sending_private, state.sending_ratchet.private_key);
  writer.bytes_field(sending_public, state.sending_ratchet.public_key);
  if (state.receiving_ratchet) writer.bytes_field(receiving_ratchet, *state.receiving_ratchet);
  if (state.sending_chain) writer.bytes_field(sending_chain, *state.sending_chain);
  if (state.receiving_chain) writer.bytes_field(receiving_chain, *state.receiving_chain);
  writer.varint_field(sending_n, state.sending_n);
  writer.varint_field(receiving_n, state.receiving_n);
  writer.varint_field(previous_sending_length, state.previous_sending_length);
  writer.bytes_field(associated_data, state.associated_data);
  writer.varint_field(heartbeat_reached, state.heartbeat_threshold_reached ? 1 : 0);
  for (const SkippedKey& key : state.skipped_keys)
    writer.bytes_field(skipped_key, export_skipped_key(key));
  for (const Key32& key : state.previous_receiving_ratchets)
    writer.bytes_field(previous_receiving_ratchet, key);
  return writer.take();
}

std::optional<RatchetState> import_ratchet_state(ByteView bytes) {
  using namespace ratchet_field;
  RatchetState state;
  unsigned seen = 0;
  const bool ok = for_each_field(bytes, [&](const codec::pb::WireField& field) {
    if (field.number < 32) seen |= 1u << field.number;
    switch (field.number) {
      case root_key:
        return read_array(field, state.root_key);
      case sending_private:
        return read_array(field, state.sending_ratchet.private_key);
      case sending_public:
        return read_array(field, state.sending_ratchet.public_key);
      case receiving_ratchet:
        return read_optional_key(field, state.receiving_ratchet);
      case sending_chain:
        return read_optional_key(field, state.sending_chain);
      case receiving_chain:
        return read_optional_key(field, state.receiving_chain);
      case sending_n:
        return read_u32(field, state.sending_n);
      case receiving_n:
        return read_u32(field, state.receiving_n);
      case previous_sending_length:
        return read_u32(field, state.previous_sending_length);
      case associated_data:
        return read_array(field, state.associated_data);
      case heartbeat_reached:
        return read_bool(field, state.heartbeat_threshold_reached);
      case skipped_key: {
        if (!is_bytes(field) || state.skipped_keys.size() >= kMaxStoredSkippedKeys) return false;
        std::optional<SkippedKey> key = import_skipped_key(field.bytes);
        if (!key) return false;
        state.skipped_keys.push_back(*key);
        return true;
      }
      case previous_receiving_ratchet: {
        Key32 key;
        if (!read_array(field, key) ||
            state.previous_receiving_ratchets.size() >= kMaxRememberedRatchetKeys)
          return false;
        state.previous_receiving_ratchets.push_back(key);
        return true;
      }
      default:
        return false;
    }
  });
  constexpr unsigned kRequired = (1u << root_key) | (1u << sending_private) |
                                 (1u << sending_public) | (1u << sending_n) | (1u << receiving_n) |
                                 (1u << previous_sending_length) | (1u << associated_data) |
                                 (1u << heartbeat_reached);
  if (!ok || (seen & kRequired) != kRequired) return std::nullopt;
  return state;
}

Bytes export_session(const Session& session) {
  using namespace session_field;
  codec::pb::Writer writer;
  writer.varint_field(version, kSessionFormatVersion);
  writer.bytes_field(ratchet, export_ratchet_state(session.ratchet().state()));
  writer.varint_field(role, session.role() == SessionRole::initiator ? 0 : 1);
  writer.varint_field(prekey_id, session.key_exchange().prekey_id);
  writer.varint_field(signed_prekey_id, session.key_exchange().signed_prekey_id);
  writer.bytes_field(identity_key, session.key_exchange().identity_key);
  writer.bytes_field(ephemeral_key, session.key_exchange().ephemeral_key);
  writer.bytes_field(peer_identity_key, session.peer_identity_key());
  writer.varint_field(confirmed, session.is_confirmed() ? 1 : 0);
  return writer.take();
}

std::optional<Session> import_session(ByteView bytes) {
  using namespace session_field;
  SessionState state;
  unsigned seen = 0;
  const bool ok = for_each_field(bytes, [&](const codec::pb::WireField& field) {
    if (field.number < 32) seen |= 1u << field.number;
    switch (field.number) {
      case version:
        return is_varint(field) && field.varint == kSessionFormatVersion;
      case ratchet: {
        if (!is_bytes(field)) return false;
        std::optional<RatchetState> ratchet_state = import_ratchet_state(field.bytes);
        if (!ratchet_state) return false;
        state.ratchet = std::move(*ratchet_state);
        return true;
      }
      case role: {
        std::uint32_t value = 0;
        if (!read_u32(field, value) || value > 1) return false;
        state.role = value == 0 ? SessionRole::initiator : SessionRole::responder;
        return true;
      }
      case prekey_id:
        return read_u32(field, state.key_exchange.prekey_id);
      case signed_prekey_id:
        return read_u32(field, state.key_exchange.signed_prekey_id);
      case identity_key:
        return read_array(field, state.key_exchange.identity_key);
      case ephemeral_key:
        return read_array(field, state.key_exchange.ephemeral_key);
      case peer_identity_key:
        return read_array(field, state.peer_identity_key);
      case confirmed:
        return read_bool(field, state.confirmed);
      default:
        return false;
    }
  });
  constexpr unsigned kAll = 0b11'1111'1110;
  if (!ok || seen != kAll) return std::nullopt;
  return Session::from_state(std::move(state));
}

}  // namespace oi::engine::omemo2
