#include "adapter_methods.h"

#include "base64.h"
#include "crypto/random_source.h"
#include "protocol_error.h"
#include "signal_objects.h"
#include "state_blob.h"

namespace oi::libomemo_c {
namespace {

constexpr const char* kAdapterName = "libomemo-c";

// The harness, as the server of one device handle.
class HarnessLink : public ServerLink {
 public:
  HarnessLink(JsonRpcChannel& channel, std::string handle)
      : channel_(channel), handle_(std::move(handle)) {}
  std::string iq(const std::string& iq_xml) override {
    return channel_.call("iq", {{"device", handle_}, {"stanza", iq_xml}})
        .at("stanza")
        .get<std::string>();
  }
  void send(const std::string& stanza_xml) override {
    channel_.call("send", {{"device", handle_}, {"stanza", stanza_xml}});
  }
  std::string now() override {
    return channel_.call("now", {{"device", handle_}}).at("now").get<std::string>();
  }

 private:
  JsonRpcChannel& channel_;
  std::string handle_;
};

template <class T>
T required(const Json& params, const char* field) {
  if (!params.contains(field)) throw bad_request(std::string("missing field ") + field);
  try {
    return params.at(field).get<T>();
  } catch (const Json::exception&) {
    throw bad_request(std::string("field ") + field + " has the wrong type");
  }
}

template <class T>
T optional_field(const Json& params, const char* field, T fallback) {
  if (!params.contains(field) || params.at(field).is_null()) return fallback;
  try {
    return params.at(field).get<T>();
  } catch (const Json::exception&) {
    throw bad_request(std::string("field ") + field + " has the wrong type");
  }
}

Bytes base64_field(const Json& object, const char* field) {
  std::optional<Bytes> bytes = from_base64(required<std::string>(object, field));
  if (!bytes) throw bad_request(std::string("field ") + field + " is not base64");
  return *bytes;
}

Profile profile_of(const std::string& name) {
  if (name == "legacy") return Profile::legacy;
  if (name == "omemo2") return Profile::omemo2;
  throw bad_request("unknown profile '" + name + "'");
}

TrustPolicy trust_policy_of(const std::string& name) {
  if (name == "btbv") return TrustPolicy::btbv;
  if (name == "manual") return TrustPolicy::manual;
  if (name == "tofu") return TrustPolicy::tofu;
  throw bad_request("unknown trust policy '" + name + "'");
}

ImportedKey imported_key(const Json& key, bool with_signature) {
  ImportedKey out;
  out.id = required<std::uint32_t>(key, "id");
  out.private_key = base64_field(key, "private");
  out.public_key = base64_field(key, "public");
  if (with_signature) out.signature = base64_field(key, "signature");
  return out;
}

ImportedKeys imported_keys(const Json& keys, Profile profile) {
  if (!keys.is_object()) throw bad_request("keys is not an object");
  ImportedKeys out;
  const Json& identity = keys.at("identity");
  out.identity_kind =
      profile == Profile::omemo2 ? optional_field<std::string>(identity, "kind", "") : "";
  out.identity_private = base64_field(identity, "private");
  out.identity_public = base64_field(identity, "public");
  out.registration_id = optional_field<std::uint32_t>(keys, "registration_id", 0);
  if (keys.contains("signed_pre_key") && !keys.at("signed_pre_key").is_null())
    out.signed_pre_key = imported_key(keys.at("signed_pre_key"), true);
  for (const Json& pre_key : required<Json>(keys, "pre_keys"))
    out.pre_keys.push_back(imported_key(pre_key, false));
  return out;
}

Json send_outcome_json(const SendOutcome& outcome) {
  Json out = {{"ok", outcome.ok}, {"skipped_devices", outcome.skipped_devices}};
  if (!outcome.ok) out["error_class"] = outcome.error_class;
  if (!outcome.detail.empty()) out["detail"] = outcome.detail;
  return out;
}

Json receive_outcome_json(const ReceiveOutcome& outcome) {
  Json out = {{"kind", outcome.kind}};
  if (outcome.kind == "message" || outcome.kind == "not_encrypted")
    out["body"] = outcome.body ? Json(*outcome.body) : Json(nullptr);
  if (outcome.kind == "error") out["error_class"] = outcome.error_class;
  if (outcome.kind == "message" || outcome.kind == "empty")
    out["sender_trusted"] = outcome.sender_trusted;
  if (!outcome.detail.empty()) out["detail"] = outcome.detail;
  return out;
}

}  // namespace

Json AdapterMethods::dispatch(const std::string& method, const Json& params) {
  if (method == "initialize") return initialize(params);
  if (method == "create_device") return create_device(params, false);
  if (method == "import_keys") return create_device(params, true);
  if (method == "start") return start(params);
  if (method == "send") return send(params);
  if (method == "receive") return receive(params);
  if (method == "set_trust") return set_trust(params);
  if (method == "export_state") {
    return {{"state", to_base64(StateCodec::export_state(device(params)))}};
  }
  if (method == "import_state") return import_state(params);
  if (method == "begin_catch_up") {
    ClientDevice& client = device(params);
    HarnessLink link(channel_, params.at("device").get<std::string>());
    return send_outcome_json(
        client.begin_catch_up(optional_field<bool>(params, "from_start", false), link));
  }
  if (method == "end_catch_up") {
    ClientDevice& client = device(params);
    HarnessLink link(channel_, params.at("device").get<std::string>());
    client.end_catch_up(link);
    return Json::object();
  }
  if (method == "rotate") {
    ClientDevice& client = device(params);
    HarnessLink link(channel_, params.at("device").get<std::string>());
    return send_outcome_json(client.rotate(link));
  }
  if (method == "reset" || method == "shutdown") {
    devices_.clear();
    return Json::object();
  }
  throw ProtocolError(-32601, "unsupported", "method not found: " + method);
}

Json AdapterMethods::initialize(const Json& params) {
  const std::string protocol = required<std::string>(params, "protocol");
  if (protocol.rfind("1.", 0) != 0) throw bad_request("protocol " + protocol + " is not 1.x");
  return {
      {"protocol", "1.0"},
      {"implementation",
       {{"name", kAdapterName},
        {"version", LIBOMEMO_C_VERSION},
        {"backend", "libomemo-c " LIBOMEMO_C_VERSION " (session v3 legacy, v4 OMEMO 2), OpenSSL 3 "
                    "crypto provider; XML, payload and SCE glue of the adapter"}}},
      {"profiles", {"legacy", "omemo2"}},
      {"capabilities",
       {"catch_up", "deterministic", "export_state", "import_keys", "key_transport", "rotate"}},
      {"trust_policies", {"btbv", "manual", "tofu"}},
      {"identity_kinds", {"curve25519_xeddsa"}}};
}

Json AdapterMethods::create_device(const Json& params, bool imported) {
  const std::string handle = required<std::string>(params, "device");
  if (devices_.count(handle) > 0) throw bad_request("device handle " + handle + " is already live");
  ClientSpec spec;
  spec.profile = profile_of(required<std::string>(params, "profile"));
  spec.jid = required<std::string>(params, "jid");
  spec.resource = required<std::string>(params, "resource");
  spec.device_id = optional_field<std::uint32_t>(params, "device_id", 0);
  spec.keep_device_id = optional_field<bool>(params, "keep_device_id", false);
  spec.trust_policy = trust_policy_of(optional_field<std::string>(params, "trust_policy", "btbv"));
  const std::string identity_kind = optional_field<std::string>(params, "identity_kind", "");
  if (!imported && spec.profile == Profile::omemo2 && !identity_kind.empty() &&
      identity_kind != "curve25519_xeddsa")
    throw unsupported("identity kind " + identity_kind + ": libomemo-c only has curve25519_xeddsa");
  if (spec.device_id > 0x7fffffffu) throw bad_request("device_id out of range");

  std::optional<Bytes> seed;
  if (imported) {
    if (params.contains("seed") && !params.at("seed").is_null())
      seed = base64_field(params, "seed");
  } else {
    seed = base64_field(params, "seed");
  }
  crypto::RandomSource random = crypto::RandomSource::seeded(seed.value_or(Bytes{}));
  if (spec.device_id == 0) spec.device_id = random.derive("device-id").uniform(0x7fffffffu) + 1;

  std::unique_ptr<OmemoDevice> device;
  try {
    device = imported
                 ? OmemoDevice::import(spec.profile,
                                       imported_keys(required<Json>(params, "keys"), spec.profile),
                                       random.derive("library"))
                 : OmemoDevice::generate(spec.profile, random.derive("library"),
                                         optional_field<std::size_t>(params, "pre_key_count", 100));
  } catch (const Json::exception& error) {
    throw bad_request(std::string("keys: ") + error.what());
  }
  auto client = std::make_unique<ClientDevice>(std::move(spec), std::move(device));
  Json result = {{"device_id", client->device_id()}, {"fingerprint", client->fingerprint()}};
  devices_[handle] = std::move(client);
  return result;
}

ClientDevice& AdapterMethods::device(const Json& params) {
  const std::string handle = required<std::string>(params, "device");
  auto found = devices_.find(handle);
  if (found == devices_.end()) throw bad_request("unknown device handle " + handle);
  return *found->second;
}

Json AdapterMethods::start(const Json& params) {
  ClientDevice& client = device(params);
  HarnessLink link(channel_, params.at("device").get<std::string>());
  Json result = send_outcome_json(client.start(link));
  result["device_id"] = client.device_id();
  result["fingerprint"] = client.fingerprint();
  return result;
}

Json AdapterMethods::send(const Json& params) {
  ClientDevice& client = device(params);
  const auto recipients = required<std::vector<std::string>>(params, "recipients");
  if (!params.contains("body")) throw bad_request("missing field body");
  const std::optional<std::string> body =
      params.at("body").is_null()
          ? std::nullopt
          : std::optional<std::string>(required<std::string>(params, "body"));
  const std::string type = optional_field<std::string>(params, "type", "chat");
  if (type != "chat")
    return send_outcome_json(send_failure("unsupported", "groupchat: the adapter has no MUC"));
  HarnessLink link(channel_, params.at("device").get<std::string>());
  return send_outcome_json(
      client.send(recipients, body, optional_field<std::string>(params, "to", ""), link));
}

Json AdapterMethods::receive(const Json& params) {
  ClientDevice& client = device(params);
  HarnessLink link(channel_, params.at("device").get<std::string>());
  return receive_outcome_json(client.receive(required<std::string>(params, "stanza"), link));
}

Json AdapterMethods::import_state(const Json& params) {
  device(params);  // the handle must be live
  const std::string handle = params.at("device").get<std::string>();
  std::optional<Bytes> blob = from_base64(required<std::string>(params, "state"));
  if (!blob) throw ProtocolError(-32000, "bad_data", "state blob is not base64");
  std::unique_ptr<ClientDevice> imported = StateCodec::import_state(*blob);
  Json result = {{"device_id", imported->device_id()}, {"fingerprint", imported->fingerprint()}};
  devices_[handle] = std::move(imported);
  return result;
}

Json AdapterMethods::set_trust(const Json& params) {
  ClientDevice& client = device(params);
  client.set_trust(required<std::string>(params, "jid"),
                   required<std::uint32_t>(params, "device_id"), required<bool>(params, "trusted"));
  return Json::object();
}

}  // namespace oi::libomemo_c
