// Checker `wire-format`: the codec's protobuf parsers on well-formed and malformed <key>
// contents (R-LEG-034, R-OM2-014, R-OM2-015, R-OM2-035).
//
// Fields: Format (signal-message | prekey-signal-message | omemo-message |
// omemo-authenticated-message | omemo-key-exchange), Wire; optional Canonical (the parser's
// value re-serialized; defaults to Wire) and Notes (requirement IDs that must appear among the
// findings of an accepted input, e.g. R-OM2-014 for a tolerated non-canonical encoding).
// Acceptance = a value and no `must` finding; for omemo-authenticated-message the engine's
// parse_authenticated_message must agree (it is what the ratchet runs on).
#include "codec/omemo2_messages.h"
#include "codec/signal_messages.h"
#include "engine/omemo2/message_cipher.h"
#include "scenario/vector_check_protocol.h"

namespace oi::scenario::vector_check {
namespace {

template <class T, class Serialize>
Observation judge_parse(const Fields& f, const codec::Parsed<T>& parsed, Serialize serialize) {
  if (!parsed.value || codec::contains_must(parsed.findings)) {
    std::string why = parsed.value ? "must finding" : "no value";
    for (const auto& finding : parsed.findings) {
      if (finding.severity == codec::Severity::must) {
        why = finding.requirement + ": " + finding.message;
        break;
      }
    }
    return Observation::rejected(why);
  }
  const Bytes& expected = f.has("Canonical") ? f.hex("Canonical") : f.hex("Wire");
  if (auto diff = compare("Canonical", expected, serialize(*parsed.value))) {
    return Observation::mismatched(*diff);
  }
  std::string notes;
  for (const auto& finding : parsed.findings) {
    if (!notes.empty()) notes += "; ";
    notes += finding.requirement + " " + std::string(codec::severity_name(finding.severity)) +
             ": " + finding.message;
  }
  return Observation::matched(notes);
}

}  // namespace

Observation check_wire_format(const Fields& f) {
  const std::string& format = f.word("Format");
  const Bytes& wire = f.hex("Wire");
  Observation seen;
  std::vector<codec::Finding> findings;
  if (format == "signal-message") {
    auto parsed = codec::parse_signal_message(wire);
    findings = parsed.findings;
    seen = judge_parse(f, parsed, codec::serialize_signal_message);
  } else if (format == "prekey-signal-message") {
    auto parsed = codec::parse_pre_key_signal_message(wire);
    findings = parsed.findings;
    seen = judge_parse(f, parsed, codec::serialize_pre_key_signal_message);
  } else if (format == "omemo-message") {
    auto parsed = codec::parse_omemo_message(wire);
    findings = parsed.findings;
    seen = judge_parse(f, parsed, codec::serialize_omemo_message);
  } else if (format == "omemo-authenticated-message") {
    auto parsed = codec::parse_omemo_authenticated_message(wire);
    findings = parsed.findings;
    seen = judge_parse(f, parsed, [](codec::OmemoAuthenticatedMessage message) {
      message.message_bytes.clear();  // re-serialize from the decoded fields
      return codec::serialize_omemo_authenticated_message(message);
    });
    const bool engine_accepts = engine::omemo2::parse_authenticated_message(wire).has_value();
    if (engine_accepts != (seen.kind != Observation::Kind::rejected)) {
      return Observation::mismatched(std::string("codec and engine disagree: the engine ") +
                                     (engine_accepts ? "accepts" : "rejects") + " it (" +
                                     seen.detail + ")");
    }
  } else if (format == "omemo-key-exchange") {
    auto parsed = codec::parse_omemo_key_exchange(wire);
    findings = parsed.findings;
    seen = judge_parse(f, parsed, [](codec::OmemoKeyExchange message) {
      message.message.message_bytes.clear();
      return codec::serialize_omemo_key_exchange(message);
    });
  } else {
    throw RecordFieldError("unknown Format '" + format + "'");
  }
  if (seen.kind == Observation::Kind::match && f.has("Notes")) {
    for (const std::string& requirement : f.list("Notes")) {
      if (!codec::contains_requirement(findings, requirement)) {
        return Observation::mismatched("accepted, but without the expected " + requirement +
                                       " finding (" + seen.detail + ")");
      }
    }
  }
  return seen;
}

}  // namespace oi::scenario::vector_check
