#include "adapter/protocol_messages.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>

#include "codec/base64.h"
#include "engine/decrypt_error.h"

namespace oi::adapter {

namespace {

using engine::client::DeviceSpec;
using engine::client::ReceiveOutcome;
using engine::client::SendOutcome;
using engine::client::SendRequest;
using nlohmann::json;

constexpr std::array<std::string_view, 12> kOmemoClasses = {
    "bad_data",        "no_session", "bad_signature",  "untrusted",
    "unknown_prekey",  "replay",     "skip_limit",     "not_for_this_device",
    "bad_payload_mac", "not_joined", "anonymous_room", "server_error"};

constexpr std::array<std::pair<ReceiveOutcome::Kind, std::string_view>, 6> kKinds = {{
    {ReceiveOutcome::Kind::message, "message"},
    {ReceiveOutcome::Kind::empty, "empty"},
    {ReceiveOutcome::Kind::error, "error"},
    {ReceiveOutcome::Kind::not_encrypted, "not_encrypted"},
    {ReceiveOutcome::Kind::pep_update, "pep_update"},
    {ReceiveOutcome::Kind::ignored, "ignored"},
}};

[[noreturn]] void fail(std::string_view field, std::string_view what) {
  throw ProtocolDataError(fmt::format("{}: {}", field, what));
}

const json& require(const json& object, const char* key, std::string_view where) {
  if (!object.is_object()) fail(where, "not an object");
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) fail(fmt::format("{}.{}", where, key), "missing");
  return *found;
}

const json* optional_field(const json& object, const char* key) {
  auto found = object.find(key);
  return found == object.end() || found->is_null() ? nullptr : &*found;
}

std::string string_field(const json& value, std::string_view field) {
  if (!value.is_string()) fail(field, fmt::format("expected a string, got {}", value.type_name()));
  return value.get<std::string>();
}

bool bool_field(const json& value, std::string_view field) {
  if (!value.is_boolean())
    fail(field, fmt::format("expected a boolean, got {}", value.type_name()));
  return value.get<bool>();
}

std::uint64_t unsigned_field(const json& value, std::string_view field, std::uint64_t max) {
  // Parsed text gives unsigned numbers; values built in code may be signed.
  bool non_negative =
      value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0);
  if (!non_negative) {
    fail(field, fmt::format("expected a non-negative integer, got {}", value.dump()));
  }
  std::uint64_t number = value.get<std::uint64_t>();
  if (number > max) fail(field, fmt::format("{} is out of range (max {})", number, max));
  return number;
}

std::uint32_t id_field(const json& value, std::string_view field) {
  return static_cast<std::uint32_t>(
      unsigned_field(value, field, std::numeric_limits<std::uint32_t>::max()));
}

std::vector<std::string> string_array(const json& value, std::string_view field) {
  if (!value.is_array()) fail(field, "expected an array of strings");
  std::vector<std::string> strings;
  for (std::size_t i = 0; i < value.size(); ++i) {
    strings.push_back(string_field(value[i], fmt::format("{}[{}]", field, i)));
  }
  return strings;
}

std::string error_class_field(const json& value, std::string_view field) {
  std::string error_class = string_field(value, field);
  if (error_class.empty()) fail(field, "empty error class");
  return error_class;
}

}  // namespace

bool is_known_error_class(std::string_view error_class) {
  return is_omemo_error_class(error_class) || error_class == engine::client::kUnsupported ||
         error_class == kBadRequest || error_class == kInternal;
}

bool is_omemo_error_class(std::string_view error_class) {
  return std::find(kOmemoClasses.begin(), kOmemoClasses.end(), error_class) != kOmemoClasses.end();
}

std::string error_class_of(const json& error) {
  if (error.is_object()) {
    if (const json* data = optional_field(error, "data"); data != nullptr && data->is_object()) {
      if (const json* named = optional_field(*data, "class");
          named != nullptr && named->is_string())
        return named->get<std::string>();
    }
    if (const json* code = optional_field(error, "code"); code != nullptr && code->is_number()) {
      switch (code->get<int>()) {
        case kMethodNotFound:
          return engine::client::kUnsupported;
        case kInvalidParams:
          return kBadRequest;
        default:
          return kInternal;
      }
    }
  }
  return kInternal;
}

json make_error(int code, std::string_view error_class, std::string_view detail) {
  std::string message = detail.empty() ? std::string(error_class) : std::string(detail);
  return json{
      {"code", code}, {"message", message}, {"data", {{"class", error_class}, {"detail", detail}}}};
}

std::string to_base64(ByteView bytes) {
  return codec::encode_base64(bytes);
}

Bytes from_base64(const std::string& text, std::string_view field) {
  codec::Base64Decoded decoded = codec::decode_base64_strict(text);
  if (!decoded.bytes) fail(field, fmt::format("not base64 ({})", decoded.error));
  return std::move(*decoded.bytes);
}

void write_device_spec(const DeviceSpec& spec, json& params) {
  params["profile"] = codec::profile_name(spec.profile);
  params["jid"] = spec.jid;
  params["resource"] = spec.resource;
  params["device_id"] = spec.device_id;
  params["keep_device_id"] = spec.keep_device_id;
  params["trust_policy"] = engine::trust_policy_name(spec.trust_policy);
  params["identity_kind"] = spec.identity_kind;
  params["pre_key_count"] = spec.pre_key_count;
  if (!spec.misbehaviours.empty()) {
    json knobs = json::array();
    for (engine::Misbehaviour knob : spec.misbehaviours) {
      knobs.push_back(engine::misbehaviour_info(knob).name);
    }
    params["misbehaviours"] = std::move(knobs);
  }
}

DeviceSpec read_device_spec(const json& params) {
  DeviceSpec spec;
  std::string profile = string_field(require(params, "profile", "params"), "params.profile");
  std::optional<codec::Profile> parsed = codec::profile_from_name(profile);
  if (!parsed) fail("params.profile", fmt::format("unknown profile '{}'", profile));
  spec.profile = *parsed;
  spec.jid = string_field(require(params, "jid", "params"), "params.jid");
  spec.resource = string_field(require(params, "resource", "params"), "params.resource");
  if (const json* id = optional_field(params, "device_id")) {
    spec.device_id = id_field(*id, "params.device_id");
  }
  if (const json* keep = optional_field(params, "keep_device_id")) {
    spec.keep_device_id = bool_field(*keep, "params.keep_device_id");
  }
  if (const json* policy = optional_field(params, "trust_policy")) {
    std::string name = string_field(*policy, "params.trust_policy");
    std::optional<engine::TrustPolicy> trust = engine::trust_policy_from_name(name);
    if (!trust) fail("params.trust_policy", fmt::format("unknown trust policy '{}'", name));
    spec.trust_policy = *trust;
  }
  if (const json* kind = optional_field(params, "identity_kind")) {
    spec.identity_kind = string_field(*kind, "params.identity_kind");
  }
  if (const json* count = optional_field(params, "pre_key_count")) {
    spec.pre_key_count = unsigned_field(*count, "params.pre_key_count", 100000);
  }
  if (const json* knobs = optional_field(params, "misbehaviours")) {
    for (const std::string& name : string_array(*knobs, "params.misbehaviours")) {
      std::optional<engine::Misbehaviour> knob = engine::misbehaviour_from_name(name);
      if (!knob) fail("params.misbehaviours", fmt::format("unknown knob '{}'", name));
      spec.misbehaviours.push_back(*knob);
    }
  }
  return spec;
}

json to_json(const SendRequest& request) {
  json params{{"recipients", request.recipients}, {"to", request.to}, {"type", request.type}};
  params["body"] = request.body ? json(*request.body) : json(nullptr);
  return params;
}

SendRequest read_send_request(const json& params) {
  SendRequest request;
  request.recipients = string_array(require(params, "recipients", "params"), "params.recipients");
  auto body = params.find("body");
  if (body == params.end()) fail("params.body", "missing (null for key transport)");
  if (!body->is_null()) request.body = string_field(*body, "params.body");
  if (const json* to = optional_field(params, "to")) request.to = string_field(*to, "params.to");
  if (const json* type = optional_field(params, "type")) {
    request.type = string_field(*type, "params.type");
    if (request.type != "chat" && request.type != "groupchat") {
      fail("params.type", fmt::format("'{}' is neither chat nor groupchat", request.type));
    }
  }
  return request;
}

json to_json(const SendOutcome& outcome) {
  json result{{"ok", outcome.ok}, {"skipped_devices", outcome.skipped_devices}};
  if (!outcome.ok) result["error_class"] = outcome.error_class;
  if (!outcome.detail.empty()) result["detail"] = outcome.detail;
  return result;
}

SendOutcome read_send_outcome(const json& result) {
  SendOutcome outcome;
  outcome.ok = bool_field(require(result, "ok", "result"), "result.ok");
  if (!outcome.ok) {
    outcome.error_class =
        error_class_field(require(result, "error_class", "result"), "result.error_class");
  }
  if (const json* detail = optional_field(result, "detail")) {
    outcome.detail = string_field(*detail, "result.detail");
  }
  if (const json* skipped = optional_field(result, "skipped_devices")) {
    outcome.skipped_devices = string_array(*skipped, "result.skipped_devices");
  }
  return outcome;
}

json to_json(const ReceiveOutcome& outcome) {
  auto kind = std::find_if(kKinds.begin(), kKinds.end(),
                           [&](const auto& entry) { return entry.first == outcome.kind; });
  json result{{"kind", kind->second}, {"sender_trusted", outcome.sender_trusted}};
  if (outcome.body) result["body"] = *outcome.body;
  if (outcome.kind == ReceiveOutcome::Kind::error) result["error_class"] = outcome.error_class;
  if (!outcome.detail.empty()) result["detail"] = outcome.detail;
  if (!outcome.findings.empty()) {
    json findings = json::array();
    for (const codec::Finding& finding : outcome.findings) {
      findings.push_back({{"requirement", finding.requirement},
                          {"severity", codec::severity_name(finding.severity)},
                          {"message", finding.message}});
    }
    result["findings"] = std::move(findings);
  }
  return result;
}

ReceiveOutcome read_receive_outcome(const json& result) {
  ReceiveOutcome outcome;
  std::string kind = string_field(require(result, "kind", "result"), "result.kind");
  auto known = std::find_if(kKinds.begin(), kKinds.end(),
                            [&](const auto& entry) { return entry.second == kind; });
  if (known == kKinds.end()) fail("result.kind", fmt::format("unknown kind '{}'", kind));
  outcome.kind = known->first;
  if (const json* body = optional_field(result, "body")) {
    outcome.body = string_field(*body, "result.body");
  }
  if (outcome.kind == ReceiveOutcome::Kind::message && !outcome.body) {
    fail("result.body", "missing for kind 'message'");
  }
  if (outcome.kind == ReceiveOutcome::Kind::error) {
    outcome.error_class =
        error_class_field(require(result, "error_class", "result"), "result.error_class");
  }
  if (const json* detail = optional_field(result, "detail")) {
    outcome.detail = string_field(*detail, "result.detail");
  }
  if (const json* trusted = optional_field(result, "sender_trusted")) {
    outcome.sender_trusted = bool_field(*trusted, "result.sender_trusted");
  }
  if (const json* findings = optional_field(result, "findings")) {
    if (!findings->is_array()) fail("result.findings", "expected an array");
    for (std::size_t i = 0; i < findings->size(); ++i) {
      const json& entry = (*findings)[i];
      std::string where = fmt::format("result.findings[{}]", i);
      codec::Finding finding;
      finding.requirement = string_field(require(entry, "requirement", where), where);
      std::string severity = string_field(require(entry, "severity", where), where + ".severity");
      if (severity == "must") {
        finding.severity = codec::Severity::must;
      } else if (severity == "should") {
        finding.severity = codec::Severity::should;
      } else if (severity == "note") {
        finding.severity = codec::Severity::note;
      } else {
        fail(where + ".severity", fmt::format("unknown severity '{}'", severity));
      }
      if (const json* message = optional_field(entry, "message")) {
        finding.message = string_field(*message, where + ".message");
      }
      outcome.findings.push_back(std::move(finding));
    }
  }
  return outcome;
}

json to_json(const KeyMaterial& keys) {
  json identity{{"private", to_base64(keys.identity_private)},
                {"public", to_base64(keys.identity_public)}};
  if (!keys.identity_kind.empty()) identity["kind"] = keys.identity_kind;
  json out{{"identity", std::move(identity)}, {"registration_id", keys.registration_id}};
  if (keys.signed_pre_key) {
    out["signed_pre_key"] = {{"id", keys.signed_pre_key->id},
                             {"private", to_base64(keys.signed_pre_key->private_key)},
                             {"public", to_base64(keys.signed_pre_key->public_key)},
                             {"signature", to_base64(keys.signed_pre_key->signature)}};
  }
  json pre_keys = json::array();
  for (const KeyMaterial::KeyPair& pre_key : keys.pre_keys) {
    pre_keys.push_back({{"id", pre_key.id},
                        {"private", to_base64(pre_key.private_key)},
                        {"public", to_base64(pre_key.public_key)}});
  }
  out["pre_keys"] = std::move(pre_keys);
  return out;
}

KeyMaterial read_key_material(const json& keys) {
  KeyMaterial material;
  const json& identity = require(keys, "identity", "params.keys");
  if (const json* kind = optional_field(identity, "kind")) {
    material.identity_kind = string_field(*kind, "params.keys.identity.kind");
  }
  material.identity_private =
      from_base64(string_field(require(identity, "private", "params.keys.identity"),
                               "params.keys.identity.private"),
                  "params.keys.identity.private");
  material.identity_public =
      from_base64(string_field(require(identity, "public", "params.keys.identity"),
                               "params.keys.identity.public"),
                  "params.keys.identity.public");
  if (const json* registration = optional_field(keys, "registration_id")) {
    material.registration_id = id_field(*registration, "params.keys.registration_id");
  }
  if (const json* spk = optional_field(keys, "signed_pre_key")) {
    const std::string where = "params.keys.signed_pre_key";
    KeyMaterial::SignedPreKey signed_pre_key;
    signed_pre_key.id = id_field(require(*spk, "id", where), where + ".id");
    signed_pre_key.private_key = from_base64(
        string_field(require(*spk, "private", where), where + ".private"), where + ".private");
    signed_pre_key.public_key = from_base64(
        string_field(require(*spk, "public", where), where + ".public"), where + ".public");
    signed_pre_key.signature =
        from_base64(string_field(require(*spk, "signature", where), where + ".signature"),
                    where + ".signature");
    material.signed_pre_key = std::move(signed_pre_key);
  }
  const json& pre_keys = require(keys, "pre_keys", "params.keys");
  if (!pre_keys.is_array()) fail("params.keys.pre_keys", "expected an array");
  for (std::size_t i = 0; i < pre_keys.size(); ++i) {
    const std::string where = fmt::format("params.keys.pre_keys[{}]", i);
    KeyMaterial::KeyPair pair;
    pair.id = id_field(require(pre_keys[i], "id", where), where + ".id");
    pair.private_key =
        from_base64(string_field(require(pre_keys[i], "private", where), where + ".private"),
                    where + ".private");
    pair.public_key = from_base64(
        string_field(require(pre_keys[i], "public", where), where + ".public"), where + ".public");
    material.pre_keys.push_back(std::move(pair));
  }
  return material;
}

DeviceIdentity read_device_identity(const json& result) {
  DeviceIdentity identity;
  identity.device_id = id_field(require(result, "device_id", "result"), "result.device_id");
  if (identity.device_id == 0 || identity.device_id > 0x7FFFFFFFu) {
    fail("result.device_id", fmt::format("{} is outside 1..2^31-1", identity.device_id));
  }
  identity.fingerprint =
      string_field(require(result, "fingerprint", "result"), "result.fingerprint");
  return identity;
}

}  // namespace oi::adapter
