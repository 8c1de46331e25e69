#include "codec/omemo2_messages.h"

#include <fmt/format.h>

#include <array>

#include "codec/protobuf_wire.h"

namespace oi::codec {
namespace {

constexpr std::string_view kRequirement = "R-OM2-035";
constexpr std::string_view kEncodingRequirement = "R-OM2-014";

constexpr std::array<pb::FieldSpec, 4> kOmemoMessageSchema{{
    {1, "n", pb::FieldType::uint32, true, 0, {}},
    {2, "pn", pb::FieldType::uint32, true, 0, {}},
    {3, "dh_pub", pb::FieldType::bytes, true, kOmemo2KeyLength, {}},
    {4, "ciphertext", pb::FieldType::bytes, false, 0, {}},
}};

constexpr std::array<pb::FieldSpec, 2> kAuthenticatedSchema{{
    {1, "mac", pb::FieldType::bytes, true, kOmemo2MacLength, "R-OM2-015"},
    {2, "message", pb::FieldType::bytes, true, 0, {}},
}};

constexpr std::array<pb::FieldSpec, 5> kKeyExchangeSchema{{
    {1, "pk_id", pb::FieldType::uint32, true, 0, {}},
    {2, "spk_id", pb::FieldType::uint32, true, 0, {}},
    {3, "ik", pb::FieldType::bytes, true, kOmemo2KeyLength, "R-OM2-002"},
    {4, "ek", pb::FieldType::bytes, true, kOmemo2KeyLength, {}},
    {5, "message", pb::FieldType::bytes, true, 0, {}},
}};

void add(std::vector<Finding>& findings, std::string_view requirement, Severity severity,
         std::string message) {
  findings.push_back(Finding{std::string(requirement), severity, {}, std::move(message)});
}

void append_embedded(std::vector<Finding>& out, std::vector<Finding> inner) {
  for (Finding& finding : inner) {
    finding.message = "embedded " + finding.message;
    out.push_back(std::move(finding));
  }
}

Bytes to_bytes(ByteView view) {
  return Bytes(view.begin(), view.end());
}

bool all_present(const pb::Decoded& decoded, std::span<const pb::FieldSpec> schema) {
  for (std::size_t i = 0; i < schema.size(); ++i)
    if (schema[i].required && !decoded.fields[i].present) return false;
  return decoded.complete;
}

}  // namespace

Parsed<OmemoMessage> parse_omemo_message(ByteView wire, std::size_t base_offset) {
  constexpr std::string_view kName = "OMEMOMessage";
  Parsed<OmemoMessage> out;
  pb::Decoded decoded = pb::decode(wire, kOmemoMessageSchema, kName, base_offset);
  pb::append_findings(out.findings, decoded.issues, kRequirement, kEncodingRequirement);
  const auto& f = decoded.fields;
  if (!f[3].present) {
    if (decoded.complete)
      add(out.findings, kRequirement, Severity::must,
          fmt::format("{}: no ciphertext (field 4), so no key material", kName));
  } else if (f[3].bytes.empty() || f[3].bytes.size() % 16 != 0) {
    add(out.findings, "R-OM2-013", Severity::must,
        fmt::format("{}: ciphertext at byte {} is {} byte(s), not a non-empty multiple of the "
                    "16-byte AES block",
                    kName, f[3].offset, f[3].bytes.size()));
  }
  if (!all_present(decoded, kOmemoMessageSchema)) return out;
  OmemoMessage message;
  message.n = f[0].value;
  message.pn = f[1].value;
  message.dh_pub = to_bytes(f[2].bytes);
  if (f[3].present) message.ciphertext = to_bytes(f[3].bytes);
  out.value = std::move(message);
  return out;
}

Bytes serialize_omemo_message(const OmemoMessage& message) {
  pb::Writer writer;
  writer.varint_field(1, message.n);
  writer.varint_field(2, message.pn);
  writer.bytes_field(3, message.dh_pub);
  if (message.ciphertext) writer.bytes_field(4, *message.ciphertext);
  return writer.take();
}

Parsed<OmemoAuthenticatedMessage> parse_omemo_authenticated_message(ByteView wire,
                                                                    std::size_t base_offset) {
  constexpr std::string_view kName = "OMEMOAuthenticatedMessage";
  Parsed<OmemoAuthenticatedMessage> out;
  pb::Decoded decoded = pb::decode(wire, kAuthenticatedSchema, kName, base_offset);
  pb::append_findings(out.findings, decoded.issues, kRequirement, kEncodingRequirement);
  const auto& f = decoded.fields;
  std::optional<OmemoMessage> inner;
  if (f[1].present) {
    auto parsed = parse_omemo_message(f[1].bytes, f[1].value_offset);
    append_embedded(out.findings, std::move(parsed.findings));
    inner = std::move(parsed.value);
  }
  if (!all_present(decoded, kAuthenticatedSchema) || !inner) return out;
  OmemoAuthenticatedMessage message;
  message.mac = to_bytes(f[0].bytes);
  message.message = std::move(*inner);
  message.message_bytes = to_bytes(f[1].bytes);
  out.value = std::move(message);
  return out;
}

Bytes serialize_omemo_authenticated_message(const OmemoAuthenticatedMessage& message) {
  pb::Writer writer;
  writer.bytes_field(1, message.mac);
  if (message.message_bytes.empty())
    writer.bytes_field(2, serialize_omemo_message(message.message));
  else
    writer.bytes_field(2, message.message_bytes);
  return writer.take();
}

Parsed<OmemoKeyExchange> parse_omemo_key_exchange(ByteView wire, std::size_t base_offset) {
  constexpr std::string_view kName = "OMEMOKeyExchange";
  Parsed<OmemoKeyExchange> out;
  pb::Decoded decoded = pb::decode(wire, kKeyExchangeSchema, kName, base_offset);
  pb::append_findings(out.findings, decoded.issues, kRequirement, kEncodingRequirement);
  const auto& f = decoded.fields;
  for (std::size_t i = 0; i < 2; ++i)
    if (f[i].present && f[i].value == 0)
      add(out.findings, "R-OM2-068", Severity::must,
          fmt::format("{}: {} at byte {} is 0, outside 1..2^31-1 (A-09)", kName,
                      kKeyExchangeSchema[i].name, f[i].offset));
  std::optional<OmemoAuthenticatedMessage> inner;
  if (f[4].present) {
    auto parsed = parse_omemo_authenticated_message(f[4].bytes, f[4].value_offset);
    append_embedded(out.findings, std::move(parsed.findings));
    inner = std::move(parsed.value);
  }
  if (!all_present(decoded, kKeyExchangeSchema) || !inner) return out;
  OmemoKeyExchange message;
  message.pk_id = f[0].value;
  message.spk_id = f[1].value;
  message.ik = to_bytes(f[2].bytes);
  message.ek = to_bytes(f[3].bytes);
  message.message = std::move(*inner);
  out.value = std::move(message);
  return out;
}

Bytes serialize_omemo_key_exchange(const OmemoKeyExchange& message) {
  pb::Writer writer;
  writer.varint_field(1, message.pk_id);
  writer.varint_field(2, message.spk_id);
  writer.bytes_field(3, message.ik);
  writer.bytes_field(4, message.ek);
  writer.bytes_field(5, serialize_omemo_authenticated_message(message.message));
  return writer.take();
}

}  // namespace oi::codec
