// Legacy OMEMO <key> contents: libsignal protocol version 3 SignalMessage and
// PreKeySignalMessage (spec §2.2), on the protobuf wire layer of protobuf_wire.h.
//
// Wire forms: SignalMessage = 0x33 || protobuf || 8-byte MAC; PreKeySignalMessage =
// 0x33 || protobuf, whose field 4 holds a complete SignalMessage (with its version byte and MAC).
// Every finding names R-LEG-034 (content that is not a usable message), except: identity key
// encoding R-LEG-001, a missing preKeyId A-27 (note), non-canonical protobuf encodings R-LEG-034
// (note). Findings carry no location (the caller knows where the bytes came from); messages give
// 0-based byte offsets into the buffer passed in, plus `base_offset`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "codec/finding.h"
#include "crypto/bytes.h"

namespace oi::codec {

inline constexpr std::uint8_t kSignalVersionByte = 0x33;  // (3 << 4) | 3
inline constexpr std::size_t kSignalMacLength = 8;
inline constexpr std::size_t kDjbKeyLength = 33;  // 0x05 || 32-byte Curve25519 u-coordinate
inline constexpr std::uint8_t kDjbKeyType = 0x05;

struct SignalMessage {
  std::uint8_t version = kSignalVersionByte;
  Bytes ratchet_key;                   // field 1, 33 bytes
  std::uint32_t counter = 0;           // field 2
  std::uint32_t previous_counter = 0;  // field 3
  Bytes ciphertext;                    // field 4
  Bytes mac;                           // the 8 bytes after the protobuf

  // Filled by parse: the version byte and protobuf exactly as received, i.e. what the MAC covers
  // after the two identity keys. Ignored by serialisation and by ==.
  Bytes authenticated_bytes;

  friend bool operator==(const SignalMessage& a, const SignalMessage& b) {
    return a.version == b.version && a.ratchet_key == b.ratchet_key && a.counter == b.counter &&
           a.previous_counter == b.previous_counter && a.ciphertext == b.ciphertext &&
           a.mac == b.mac;
  }
};

struct PreKeySignalMessage {
  std::uint8_t version = kSignalVersionByte;
  std::optional<std::uint32_t> pre_key_id;       // field 1; absent = SPK-only exchange
  Bytes base_key;                                // field 2, 33 bytes
  Bytes identity_key;                            // field 3, 33 bytes
  Bytes message;                                 // field 4: a serialized SignalMessage, as received
  std::optional<std::uint32_t> registration_id;  // field 5, informational
  std::uint32_t signed_pre_key_id = 0;           // field 6
  friend bool operator==(const PreKeySignalMessage&, const PreKeySignalMessage&) = default;
};

// Accepts `0x33 || protobuf || mac8`. The value is absent when the bytes are unusable (too short,
// unreadable protobuf, a missing ratchetKey/counter/ciphertext, which libsignal requires).
Parsed<SignalMessage> parse_signal_message(ByteView wire, std::size_t base_offset = 0);

// version || canonical protobuf: the bytes the MAC is computed over (after the identity keys).
Bytes serialize_signal_message_body(const SignalMessage& message);
// version || canonical protobuf || mac.
Bytes serialize_signal_message(const SignalMessage& message);

// Accepts `0x33 || protobuf`; also parses the embedded SignalMessage and reports its findings
// (prefixed "embedded SignalMessage"). The value is absent when the outer message is unusable
// (missing baseKey/identityKey/message/signedPreKeyId, unreadable protobuf).
Parsed<PreKeySignalMessage> parse_pre_key_signal_message(ByteView wire,
                                                         std::size_t base_offset = 0);
Bytes serialize_pre_key_signal_message(const PreKeySignalMessage& message);

}  // namespace oi::codec
