#include "codec/signal_messages.h"

#include <fmt/format.h>

#include <array>

#include "codec/protobuf_wire.h"

namespace oi::codec {
namespace {

constexpr std::string_view kRequirement = "R-LEG-034";

constexpr std::array<pb::FieldSpec, 4> kSignalMessageSchema{{
    {1, "ratchetKey", pb::FieldType::bytes, true, kDjbKeyLength, {}},
    {2, "counter", pb::FieldType::uint32, true, 0, {}},
    {3, "previousCounter", pb::FieldType::uint32, false, 0, {}},
    {4, "ciphertext", pb::FieldType::bytes, true, 0, {}},
}};

constexpr std::array<pb::FieldSpec, 6> kPreKeySignalMessageSchema{{
    {1, "preKeyId", pb::FieldType::uint32, false, 0, {}},
    {2, "baseKey", pb::FieldType::bytes, true, kDjbKeyLength, {}},
    {3, "identityKey", pb::FieldType::bytes, true, kDjbKeyLength, "R-LEG-001"},
    {4, "message", pb::FieldType::bytes, true, 0, {}},
    {5, "registrationId", pb::FieldType::uint32, false, 0, {}},
    {6, "signedPreKeyId", pb::FieldType::uint32, true, 0, {}},
}};

void add(std::vector<Finding>& findings, std::string_view requirement, Severity severity,
         std::string message) {
  findings.push_back(Finding{std::string(requirement), severity, {}, std::move(message)});
}

// Checks the version byte; false when the message cannot be a v3 message at all.
bool check_version(std::vector<Finding>& findings, std::string_view name, std::uint8_t version,
                   std::size_t offset) {
  int high = version >> 4;
  if (high != 3) {
    add(findings, kRequirement, Severity::must,
        fmt::format("{}: version byte 0x{:02x} at byte {} announces message version {}, "
                    "expected 3 (0x33)",
                    name, version, offset, high));
    return false;
  }
  if ((version & 0x0f) != 3)
    add(findings, kRequirement, Severity::note,
        fmt::format("{}: version byte 0x{:02x} at byte {}: low nibble {} differs from the "
                    "canonical 3 (libsignal only reads the high nibble)",
                    name, version, offset, version & 0x0f));
  return true;
}

void check_djb_key(std::vector<Finding>& findings, std::string_view requirement,
                   std::string_view name, std::string_view field, ByteView key,
                   std::size_t offset) {
  if (key.size() == kDjbKeyLength && key[0] != kDjbKeyType)
    add(findings, requirement, Severity::must,
        fmt::format("{}: {} at byte {} starts with 0x{:02x}, expected the key type 0x05", name,
                    field, offset, key[0]));
}

Bytes to_bytes(ByteView view) {
  return Bytes(view.begin(), view.end());
}

}  // namespace

Parsed<SignalMessage> parse_signal_message(ByteView wire, std::size_t base_offset) {
  constexpr std::string_view kName = "SignalMessage";
  Parsed<SignalMessage> out;
  if (wire.size() < 1 + kSignalMacLength) {
    add(out.findings, kRequirement, Severity::must,
        fmt::format("{}: {} byte(s) cannot hold the version byte and the 8-byte MAC", kName,
                    wire.size()));
    return out;
  }
  bool version_ok = check_version(out.findings, kName, wire[0], base_offset);
  ByteView proto = wire.subspan(1, wire.size() - 1 - kSignalMacLength);
  pb::Decoded decoded = pb::decode(proto, kSignalMessageSchema, kName, base_offset + 1);
  pb::append_findings(out.findings, decoded.issues, kRequirement, kRequirement);
  const auto& f = decoded.fields;
  if (f[0].present)
    check_djb_key(out.findings, kRequirement, kName, "ratchetKey", f[0].bytes, f[0].offset);
  if (!version_ok || !decoded.complete || !f[0].present || !f[1].present || !f[3].present)
    return out;
  SignalMessage message;
  message.version = wire[0];
  message.ratchet_key = to_bytes(f[0].bytes);
  message.counter = f[1].value;
  message.previous_counter = f[2].value;
  message.ciphertext = to_bytes(f[3].bytes);
  message.mac = to_bytes(wire.subspan(wire.size() - kSignalMacLength));
  message.authenticated_bytes = to_bytes(wire.first(wire.size() - kSignalMacLength));
  out.value = std::move(message);
  return out;
}

Bytes serialize_signal_message_body(const SignalMessage& message) {
  pb::Writer writer;
  writer.bytes_field(1, message.ratchet_key);
  writer.varint_field(2, message.counter);
  writer.varint_field(3, message.previous_counter);
  writer.bytes_field(4, message.ciphertext);
  Bytes out{message.version};
  out.insert(out.end(), writer.bytes().begin(), writer.bytes().end());
  return out;
}

Bytes serialize_signal_message(const SignalMessage& message) {
  Bytes out = serialize_signal_message_body(message);
  out.insert(out.end(), message.mac.begin(), message.mac.end());
  return out;
}

Parsed<PreKeySignalMessage> parse_pre_key_signal_message(ByteView wire, std::size_t base_offset) {
  constexpr std::string_view kName = "PreKeySignalMessage";
  Parsed<PreKeySignalMessage> out;
  if (wire.empty()) {
    add(out.findings, kRequirement, Severity::must, fmt::format("{}: no bytes", kName));
    return out;
  }
  bool version_ok = check_version(out.findings, kName, wire[0], base_offset);
  pb::Decoded decoded =
      pb::decode(wire.subspan(1), kPreKeySignalMessageSchema, kName, base_offset + 1);
  pb::append_findings(out.findings, decoded.issues, kRequirement, kRequirement);
  const auto& f = decoded.fields;
  if (f[1].present)
    check_djb_key(out.findings, kRequirement, kName, "baseKey", f[1].bytes, f[1].offset);
  if (f[2].present) {
    check_djb_key(out.findings, "R-LEG-001", kName, "identityKey", f[2].bytes, f[2].offset);
  }
  if (decoded.complete && !f[0].present)
    add(out.findings, "A-27", Severity::note,
        fmt::format("{}: no preKeyId (an SPK-only key exchange: libsignal accepts it, "
                    "Conversations rejects it)",
                    kName));
  if (f[3].present) {
    auto inner = parse_signal_message(f[3].bytes, f[3].value_offset);
    for (Finding& finding : inner.findings) {
      finding.message = "embedded " + finding.message;
      out.findings.push_back(std::move(finding));
    }
  }
  if (!version_ok || !decoded.complete || !f[1].present || !f[2].present || !f[3].present ||
      !f[5].present)
    return out;
  PreKeySignalMessage message;
  message.version = wire[0];
  if (f[0].present) message.pre_key_id = f[0].value;
  message.base_key = to_bytes(f[1].bytes);
  message.identity_key = to_bytes(f[2].bytes);
  message.message = to_bytes(f[3].bytes);
  if (f[4].present) message.registration_id = f[4].value;
  message.signed_pre_key_id = f[5].value;
  out.value = std::move(message);
  return out;
}

Bytes serialize_pre_key_signal_message(const PreKeySignalMessage& message) {
  pb::Writer writer;
  if (message.pre_key_id) writer.varint_field(1, *message.pre_key_id);
  writer.bytes_field(2, message.base_key);
  writer.bytes_field(3, message.identity_key);
  writer.bytes_field(4, message.message);
  if (message.registration_id) writer.varint_field(5, *message.registration_id);
  writer.varint_field(6, message.signed_pre_key_id);
  Bytes out{message.version};
  out.insert(out.end(), writer.bytes().begin(), writer.bytes().end());
  return out;
}

}  // namespace oi::codec
