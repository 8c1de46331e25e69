// The typed payloads of adapters/PROTOCOL.md (§5.2, §5.3, §7, §11) and their JSON forms, used by
// both ends: the harness's driver (adapter_implementation.h) encodes requests and decodes
// results; the reference adapter (adapters/reference/) decodes requests and encodes results.
//
// Decoding is strict: a missing required field, a wrong type, an unknown enum value, bad
// base64 or an `ok: false` without `error_class` throws ProtocolDataError naming the field
// ("result.kind: unknown kind 'maybe'"). Unknown fields are ignored (§4.1).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "engine/client/client_api.h"

namespace oi::adapter {

struct ProtocolDataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// JSON-RPC error codes (§7.2).
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kOtherFailure = -32000;

// The client-level classes beyond engine::client's: bad_request and internal (§7.1).
inline constexpr const char* kBadRequest = "bad_request";
inline constexpr const char* kInternal = "internal";

// True for the fifteen classes of §7.1.
bool is_known_error_class(std::string_view error_class);
// True for the first twelve: an OMEMO outcome (compared with expectations), not unsupported,
// bad_request or internal.
bool is_omemo_error_class(std::string_view error_class);

// The class of a JSON-RPC error object: data.class, else the code's default (§7.2).
std::string error_class_of(const nlohmann::json& error);
// {"code", "message", "data": {"class", "detail"}}
nlohmann::json make_error(int code, std::string_view error_class, std::string_view detail);

std::string to_base64(ByteView bytes);
// Strict RFC 4648 with padding; throws ProtocolDataError naming `field`.
Bytes from_base64(const std::string& text, std::string_view field);

// DeviceSpec fields of create_device / import_keys (§5.2). `misbehaviours` is written only when
// non-empty (sent only to adapters declaring `misbehaviour`).
void write_device_spec(const engine::client::DeviceSpec& spec, nlohmann::json& params);
engine::client::DeviceSpec read_device_spec(const nlohmann::json& params);

nlohmann::json to_json(const engine::client::SendRequest& request);  // without `device`
engine::client::SendRequest read_send_request(const nlohmann::json& params);

nlohmann::json to_json(const engine::client::SendOutcome& outcome);
engine::client::SendOutcome read_send_outcome(const nlohmann::json& result);

nlohmann::json to_json(const engine::client::ReceiveOutcome& outcome);
engine::client::ReceiveOutcome read_receive_outcome(const nlohmann::json& result);

// `keys` of import_keys (§11). Public keys as published: legacy 33 bytes (0x05 ‖ u), OMEMO 2
// 32 bytes (Ed25519 identity, X25519 prekeys).
struct KeyMaterial {
  struct KeyPair {
    std::uint32_t id = 0;
    Bytes private_key;  // 32 bytes
    Bytes public_key;
  };
  std::string identity_kind;  // OMEMO 2 only; empty for legacy
  Bytes identity_private;     // legacy: clamped Curve25519 scalar; OMEMO 2: per identity_kind
  Bytes identity_public;
  std::uint32_t registration_id = 0;  // legacy
  struct SignedPreKey {
    std::uint32_t id = 0;
    Bytes private_key;
    Bytes public_key;
    Bytes signature;  // 64 bytes
  };
  std::optional<SignedPreKey> signed_pre_key;
  std::vector<KeyPair> pre_keys;
};

nlohmann::json to_json(const KeyMaterial& keys);
KeyMaterial read_key_material(const nlohmann::json& keys);

// `device_id` and `fingerprint` of create_device / import_keys / import_state / start.
struct DeviceIdentity {
  std::uint32_t device_id = 0;
  std::string fingerprint;
};
DeviceIdentity read_device_identity(const nlohmann::json& result);

}  // namespace oi::adapter
