#include "adapter_methods.h"

#include "base64.h"
#include "key_import.h"

namespace lurch_adapter {
namespace {

constexpr int kInvalidParams = -32602;
constexpr int kMethodNotFound = -32601;
constexpr int kOtherFailure = -32000;

ProtocolError bad_request(const std::string& detail) {
  return ProtocolError(kInvalidParams, "bad_request", detail);
}

const nlohmann::json& field(const nlohmann::json& params, const char* name) {
  if (!params.is_object() || !params.contains(name))
    throw bad_request(std::string("missing field ") + name);
  return params[name];
}

std::string string_field(const nlohmann::json& params, const char* name) {
  const nlohmann::json& value = field(params, name);
  if (!value.is_string()) throw bad_request(std::string(name) + " must be a string");
  return value.get<std::string>();
}

std::string optional_string(const nlohmann::json& params, const char* name,
                            const std::string& fallback) {
  if (!params.contains(name)) return fallback;
  return string_field(params, name);
}

}  // namespace

nlohmann::json AdapterMethods::call(const std::string& method, const nlohmann::json& params) {
  if (method == "initialize") return initialize(params);
  if (method == "create_device") return create_device(params);
  if (method == "import_keys") return import_keys(params);
  if (method == "start") return start(params);
  if (method == "send") return send(params);
  if (method == "receive") return receive(params);
  if (method == "set_trust") return set_trust(params);
  if (method == "reset" || method == "shutdown") return reset();
  throw ProtocolError(kMethodNotFound, "unsupported", "method not found: " + method);
}

nlohmann::json AdapterMethods::initialize(const nlohmann::json& params) {
  std::string protocol = string_field(params, "protocol");
  if (!protocol.starts_with("1."))
    throw ProtocolError(kOtherFailure, "unsupported", "protocol major 1 only, got " + protocol);
  return {
      {"protocol", "1.0"},
      {"implementation",
       {{"name", "lurch"},
        {"version", "libomemo 0.8.1 + libaxc 0.3.7"},
        {"backend",
         "lurch 0.7 glue; libsignal-protocol-c 2.3.3, libgcrypt 1.10, mxml 3.3, SQLite 3"}}},
      {"profiles", {"legacy"}},
      // import_keys is implemented but not declared: see import_keys() below.
      {"capabilities", {"deterministic"}},
      // axc's identity store trusts every key (axc_db_identity_always_trusted) and lurch has no
      // trust decisions: it behaves as BTBV before anything is verified, and set_trust is
      // answered "unsupported" (README: Trust).
      {"trust_policies", {"btbv"}},
  };
}

LurchDevice& AdapterMethods::device(const nlohmann::json& params) {
  std::string handle = string_field(params, "device");
  auto found = devices_.find(handle);
  if (found == devices_.end()) throw bad_request("unknown device handle " + handle);
  return *found->second;
}

LurchDevice& AdapterMethods::add_device(const nlohmann::json& params, const std::string& seed_field,
                                        bool seed_required) {
  std::string handle = string_field(params, "device");
  if (devices_.contains(handle)) throw bad_request("device handle in use: " + handle);
  DeviceIdentity identity{handle, string_field(params, "jid"), string_field(params, "resource")};
  std::string profile = string_field(params, "profile");
  if (profile != "legacy")
    throw ProtocolError(kOtherFailure, "unsupported", "libomemo 0.8.1 speaks legacy OMEMO only");
  std::string policy = optional_string(params, "trust_policy", "btbv");
  if (policy != "btbv")
    throw ProtocolError(kOtherFailure, "unsupported", "trust policy " + policy + " not declared");
  std::vector<std::uint8_t> seed(32, 0);
  if (seed_required || params.contains(seed_field)) {
    std::optional<std::vector<std::uint8_t>> decoded =
        decode_base64(string_field(params, seed_field.c_str()));
    if (!decoded || decoded->size() != 32) throw bad_request("seed must be 32 bytes of base64");
    seed = *decoded;
  }
  auto created = std::make_unique<LurchDevice>(identity, seed, work_dir_, rpc_);
  LurchDevice& added = *created;
  devices_[handle] = std::move(created);
  return added;
}

nlohmann::json AdapterMethods::create_device(const nlohmann::json& params) {
  std::uint32_t device_id = 0;
  if (params.contains("device_id")) {
    const nlohmann::json& value = params["device_id"];
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() > 0x7fffffffu)
      throw bad_request("device_id must be an integer 0 .. 2^31-1");
    device_id = value.get<std::uint32_t>();
  }
  // pre_key_count is not passed on: axc_install always generates AXC_PRE_KEYS_AMOUNT (100).
  // keep_device_id needs nothing: lurch never checks its id against the published list.
  std::string handle = string_field(params, "device");
  LurchDevice& created = add_device(params, "seed", true);
  try {
    created.install(device_id);
    return {{"device_id", created.device_id()}, {"fingerprint", created.fingerprint()}};
  } catch (...) {
    devices_.erase(handle);
    throw;
  }
}

nlohmann::json AdapterMethods::import_keys(const nlohmann::json& params) {
  const nlohmann::json& keys = field(params, "keys");
  std::uint32_t device_id = 0;
  if (params.contains("device_id") && params["device_id"].is_number_unsigned())
    device_id = params["device_id"].get<std::uint32_t>();
  if (device_id == 0) {
    if (!keys.contains("registration_id") || !keys["registration_id"].is_number_unsigned())
      throw bad_request("keys.registration_id missing");
    device_id = keys["registration_id"].get<std::uint32_t>();
  }
  // axc_bundle_collect always loads signed prekey 0 ("FIXME: right now, only one is ever
  // generated", axc 0.3.7 src/axc.c): a device holding another signed prekey id cannot publish
  // its bundle, so axc cannot hold that form (PROTOCOL.md §11). Every group of the protocol
  // vectors uses id 5, hence the capability is not declared.
  if (keys.contains("signed_pre_key") && keys["signed_pre_key"].is_object() &&
      keys["signed_pre_key"].value("id", 0u) != 0u) {
    throw ProtocolError(kOtherFailure, "unsupported",
                        "axc 0.3.7 publishes signed prekey id 0 only (axc_bundle_collect)");
  }
  std::string handle = string_field(params, "device");
  LurchDevice& created = add_device(params, "seed", false);
  try {
    install_keys(created.stack(), keys, device_id);
    return {{"device_id", created.device_id()}, {"fingerprint", created.fingerprint()}};
  } catch (const LibraryFailure& failure) {
    devices_.erase(handle);  // a failed import leaves no device (PROTOCOL.md §10)
    throw ProtocolError(kOtherFailure, failure.error_class(), failure.what());
  } catch (...) {
    devices_.erase(handle);
    throw;
  }
}

nlohmann::json AdapterMethods::start(const nlohmann::json& params) {
  LurchDevice& target = device(params);
  nlohmann::json outcome = target.start();
  outcome["device_id"] = target.device_id();
  outcome["fingerprint"] = target.fingerprint();
  return outcome;
}

nlohmann::json AdapterMethods::send(const nlohmann::json& params) {
  LurchDevice& target = device(params);
  const nlohmann::json& recipients = field(params, "recipients");
  if (!recipients.is_array()) throw bad_request("recipients must be an array");
  const nlohmann::json& body = field(params, "body");
  std::string type = optional_string(params, "type", "chat");
  std::string to = optional_string(params, "to", "");
  if (to.empty() && !recipients.empty() && recipients[0].is_string())
    to = recipients[0].get<std::string>();
  if (type != "chat")
    return {
        {"ok", false}, {"error_class", "unsupported"}, {"detail", "groupchat: muc not declared"}};
  if (body.is_null()) {
    return {
        {"ok", false},
        {"error_class", "unsupported"},
        {"detail", "lurch sends KeyTransport elements only as its own reaction, never on request"}};
  }
  if (!body.is_string()) throw bad_request("body must be a string or null");
  if (to.empty()) throw bad_request("no recipient");
  // lurch encrypts a chat message for the devices of its `to` (and the own other devices) only.
  for (const nlohmann::json& recipient : recipients) {
    if (!recipient.is_string() || recipient.get<std::string>() != to) {
      return {{"ok", false},
              {"error_class", "unsupported"},
              {"detail", "lurch encrypts a chat message for its addressee only, not for " +
                             recipient.dump()}};
    }
  }
  return target.send(to, body.get<std::string>());
}

nlohmann::json AdapterMethods::receive(const nlohmann::json& params) {
  LurchDevice& target = device(params);
  return target.receive(string_field(params, "stanza"));
}

nlohmann::json AdapterMethods::set_trust(const nlohmann::json& params) {
  device(params);
  throw ProtocolError(kOtherFailure, "unsupported",
                      "axc trusts every identity (axc_db_identity_always_trusted) and lurch keeps "
                      "no trust decisions: there is nothing to set");
}

nlohmann::json AdapterMethods::reset() {
  devices_.clear();  // each StackContext deletes its database files
  return nlohmann::json::object();
}

}  // namespace lurch_adapter
