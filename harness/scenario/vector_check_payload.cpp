// Checker `omemo2-payload`: the OMEMO 2 payload layer (R-OM2-018, R-OM2-019, R-OM2-033,
// R-OM2-037) with the SCE envelope it carries.
//
// Op = payload, fields: Envelope (the serialized <envelope> bytes), optional envelope parts
// Body, Rpad, Time, To, From (str); PayloadKey (32) -> EncKey, AuthKey, IV (HKDF "OMEMO
// Payload"), Payload (<payload>), KeyMaterial (key ‖ HMAC/16, 48 bytes).
//   Decrypt direction, always: decrypt_payload(KeyMaterial, Payload) must give Envelope, and the
//   envelope must parse without a `must` finding and, when parts are given, equal them.
//   Encrypt direction, on valid records: the parts serialize to Envelope (codec), and
//   encrypt_payload(Envelope, PayloadKey) gives Payload and KeyMaterial.
// Op = empty, field KeyMaterial: an empty OMEMO message's ratchet plaintext, exactly 32 zero
//   bytes; anything else is rejected.
#include "codec/envelope.h"
#include "crypto/hash.h"
#include "engine/omemo2/constants.h"
#include "engine/omemo2/payload.h"
#include "scenario/vector_check_protocol.h"

namespace oi::scenario::vector_check {
namespace {

std::optional<std::string> optional_text(const Fields& f, std::string_view name) {
  if (!f.has(name)) return std::nullopt;
  return f.text(name);
}

}  // namespace

Observation check_omemo2_payload(const Fields& f) {
  namespace om = engine::omemo2;
  const std::string& op = f.word("Op");
  if (op == "empty") {
    if (!om::is_empty_message_key_material(f.hex("KeyMaterial"))) {
      return Observation::rejected("not 32 zero bytes: not an empty OMEMO message");
    }
    return Observation::matched("empty OMEMO message");
  }
  if (op != "payload") throw RecordFieldError("Op must be payload or empty, not '" + op + "'");

  const Bytes& envelope_bytes = f.hex("Envelope");
  const Bytes& payload = f.hex("Payload");
  const Bytes& key_material = f.hex("KeyMaterial");
  std::optional<codec::Envelope> parts;
  if (f.has("Body") || f.has("Rpad")) {
    parts.emplace();
    if (f.has("Body")) {
      parts->content.push_back(
          codec::make_content_element("body", "jabber:client", f.text("Body")));
    }
    parts->rpad = optional_text(f, "Rpad");
    parts->time = optional_text(f, "Time");
    parts->to = optional_text(f, "To");
    parts->from = optional_text(f, "From");
  }

  if (f.result() == codec::VecResult::valid) {
    const Key32 key = f.key32("PayloadKey");
    static constexpr Key32 kZeroSalt{};
    const std::optional<Bytes> derived =
        crypto::hkdf_sha256(key, kZeroSalt, as_bytes(om::kPayloadInfo), 80);
    if (!derived) throw std::logic_error("HKDF refused 80 bytes");
    const ByteView keys(*derived);
    if (auto diff = first_difference({compare("EncKey", f.hex("EncKey"), keys.first(32)),
                                      compare("AuthKey", f.hex("AuthKey"), keys.subspan(32, 32)),
                                      compare("IV", f.hex("IV"), keys.subspan(64))});
        diff.kind != Observation::Kind::match) {
      return diff;
    }
    if (parts) {
      if (auto diff =
              compare("Envelope", envelope_bytes, as_bytes(codec::serialize_envelope(*parts))))
        return Observation::mismatched(*diff);
    }
    const om::EncryptedPayload sealed = om::encrypt_payload(envelope_bytes, key);
    if (auto diff = first_difference({compare("Payload", payload, sealed.ciphertext),
                                      compare("KeyMaterial", key_material, sealed.key_material)});
        diff.kind != Observation::Kind::match) {
      return diff;
    }
  }

  engine::Result<Bytes> opened = om::decrypt_payload(key_material, payload);
  if (!opened) {
    return Observation::rejected(std::string(engine::decrypt_error_name(opened.error())) + ": " +
                                 opened.failure().detail);
  }
  if (auto diff = compare("Envelope", envelope_bytes, *opened))
    return Observation::mismatched(*diff);
  const std::string xml(opened->begin(), opened->end());
  codec::Parsed<codec::Envelope> parsed = codec::parse_envelope(xml);
  if (!parsed.value || codec::contains_must(parsed.findings)) {
    std::string why = "the decrypted envelope is not acceptable";
    for (const auto& finding : parsed.findings)
      if (finding.severity == codec::Severity::must) why += ": " + codec::format_finding(finding);
    return Observation::rejected(why);
  }
  if (parts && !(*parsed.value == *parts)) {
    return Observation::mismatched(
        "the decrypted envelope parses to other parts than the record's");
  }
  return Observation::matched();
}

}  // namespace oi::scenario::vector_check
