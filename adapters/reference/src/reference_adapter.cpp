#include "reference_adapter.h"

#include <fmt/format.h>

#include <stdexcept>

#include "adapter/protocol_messages.h"
#include "engine/decrypt_error.h"
#include "engine/omemo2/identity.h"
#include "remote_server_link.h"
#include "request_params.h"

namespace oi::adapters::reference {

namespace {

using engine::client::ReferenceClientDevice;
using nlohmann::json;

constexpr const char* kProtocolVersion = "1.0";
constexpr std::size_t kSeedBytes = 32;

// What this adapter declares; adapters/reference/adapter.json says the same (and the protocol
// test checks that it does).
const json kCapabilities = {"deterministic", "export_state", "import_keys",   "catch_up",
                            "muc",           "rotate",       "key_transport", "misbehaviour"};
const json kTrustPolicies = {"manual", "btbv", "tofu"};
const json kIdentityKinds = {"ed25519_seed", "curve25519_xeddsa", "curve25519_true_sign"};

RequestError failure_error(const engine::Failure& failure) {
  return RequestError{adapter::kOtherFailure,
                      std::string(engine::decrypt_error_name(failure.error)), failure.detail};
}

// The DeviceSpec fields of create_device / import_keys; bad_request for what the codec refuses
// and for an OMEMO 2 identity kind this adapter does not declare.
engine::client::DeviceSpec read_spec(const json& params) {
  engine::client::DeviceSpec spec;
  try {
    spec = adapter::read_device_spec(params);
  } catch (const adapter::ProtocolDataError& error) {
    throw_bad_request(error.what());
  }
  // Ignored for legacy (§5.2); for OMEMO 2 only the declared kinds.
  if (spec.profile == codec::Profile::omemo2 && !spec.identity_kind.empty() &&
      !engine::omemo2::identity_kind_from_name(spec.identity_kind)) {
    throw_bad_request(fmt::format("params.identity_kind: unknown kind '{}'", spec.identity_kind));
  }
  return spec;
}

engine::DeviceKeys to_device_keys(const adapter::KeyMaterial& material) {
  engine::DeviceKeys keys;
  keys.identity_private = material.identity_private;
  keys.identity_public = material.identity_public;
  keys.registration_id = material.registration_id;
  if (material.signed_pre_key) {
    const auto& spk = *material.signed_pre_key;
    keys.signed_pre_key =
        engine::DeviceKeys::SignedPreKey{spk.id, spk.private_key, spk.public_key, spk.signature};
  }
  for (const auto& pre_key : material.pre_keys) {
    keys.pre_keys.push_back({pre_key.id, pre_key.private_key, pre_key.public_key});
  }
  return keys;
}

json with_identity(json result, const engine::client::ClientDevice& device) {
  result["device_id"] = device.device_id();
  result["fingerprint"] = device.fingerprint();
  return result;
}

}  // namespace

ReferenceAdapter::ReferenceAdapter(JsonRpcChannel& channel) : channel_(&channel) {}

const std::map<std::string, ReferenceAdapter::Method, std::less<>>& ReferenceAdapter::methods() {
  static const std::map<std::string, Method, std::less<>> table = {
      {"initialize", &ReferenceAdapter::initialize},
      {"create_device", &ReferenceAdapter::create_device},
      {"import_keys", &ReferenceAdapter::import_keys},
      {"start", &ReferenceAdapter::start},
      {"send", &ReferenceAdapter::send},
      {"receive", &ReferenceAdapter::receive},
      {"set_trust", &ReferenceAdapter::set_trust},
      {"export_state", &ReferenceAdapter::export_state},
      {"import_state", &ReferenceAdapter::import_state},
      {"begin_catch_up", &ReferenceAdapter::begin_catch_up},
      {"end_catch_up", &ReferenceAdapter::end_catch_up},
      {"join_room", &ReferenceAdapter::join_room},
      {"leave_room", &ReferenceAdapter::leave_room},
      {"rotate", &ReferenceAdapter::rotate},
      {"set_misbehaviour", &ReferenceAdapter::set_misbehaviour},
      {"reset", &ReferenceAdapter::reset},
      {"shutdown", &ReferenceAdapter::shutdown},
  };
  return table;
}

void ReferenceAdapter::handle(const json& request) {
  const json& id = request.at("id");
  const std::string method = request.at("method").get<std::string>();
  try {
    auto entry = methods().find(method);
    if (entry == methods().end()) {
      throw RequestError{adapter::kMethodNotFound, engine::client::kUnsupported, method};
    }
    auto params = request.find("params");
    if (params == request.end() || !params->is_object()) {
      throw_bad_request("params: missing or not an object");
    }
    if (!initialize_seed_ && method != "initialize" && method != "shutdown") {
      throw_bad_request(fmt::format("{} before initialize", method));
    }
    json result = (this->*(entry->second))(*params);
    channel_->send_result(id, std::move(result));
  } catch (const RequestError& error) {
    channel_->send_error(id, adapter::make_error(error.code, error.error_class, error.detail));
  } catch (const ChannelClosed&) {
    throw;
  } catch (const ChannelViolation&) {
    throw;
  } catch (const std::exception& error) {
    // HarnessRefused and whatever the engine throws: the adapter cannot classify it (§7.1).
    channel_->send_error(id, adapter::make_error(adapter::kInternalError, adapter::kInternal,
                                                 fmt::format("{}: {}", method, error.what())));
  }
}

json ReferenceAdapter::initialize(const json& params) {
  const std::string protocol = string_param(params, "protocol");
  if (protocol.substr(0, protocol.find('.')) != "1") {
    throw_bad_request(fmt::format("params.protocol: '{}' has another major than 1.0", protocol));
  }
  initialize_seed_ = base64_param(params, "seed", kSeedBytes);
  process_random_ = crypto::RandomSource::seeded(*initialize_seed_);
  devices_.clear();
  const engine::client::ReferenceImplementation implementation;
  return json{
      {"protocol", kProtocolVersion},
      {"implementation",
       {{"name", implementation.name()},
        {"version", implementation.version()},
        {"backend",
         "omemo-interop reference engine: OMEMO 2 from XEP-0384, legacy on "
         "libsignal-protocol-c"}}},
      {"profiles", {"legacy", "omemo2"}},
      {"capabilities", kCapabilities},
      {"trust_policies", kTrustPolicies},
      {"identity_kinds", kIdentityKinds},
  };
}

std::string ReferenceAdapter::new_handle(const json& params) const {
  std::string handle = string_param(params, "device");
  if (handle.empty()) throw_bad_request("params.device: empty handle");
  if (devices_.contains(handle)) {
    throw_bad_request(fmt::format("params.device: '{}' is already a live device", handle));
  }
  return handle;
}

ReferenceClientDevice& ReferenceAdapter::device_of(const json& params) {
  std::string handle = string_param(params, "device");
  auto found = devices_.find(handle);
  if (found == devices_.end()) {
    throw_bad_request(fmt::format("params.device: unknown device handle '{}'", handle));
  }
  return *found->second;
}

json ReferenceAdapter::identity_of(const std::string& handle) const {
  return with_identity(json::object(), *devices_.at(handle));
}

json ReferenceAdapter::create_device(const json& params) {
  const std::string handle = new_handle(params);
  const engine::client::DeviceSpec spec = read_spec(params);
  const Bytes seed = base64_param(params, "seed", kSeedBytes);
  std::unique_ptr<ReferenceClientDevice> device;
  try {
    device = std::make_unique<ReferenceClientDevice>(spec, crypto::RandomSource::seeded(seed));
  } catch (const std::invalid_argument& error) {
    throw_bad_request(error.what());  // an empty JID: what the engine refuses to create
  }
  devices_.emplace(handle, std::move(device));
  return identity_of(handle);
}

json ReferenceAdapter::import_keys(const json& params) {
  const std::string handle = new_handle(params);
  engine::client::DeviceSpec spec = read_spec(params);
  adapter::KeyMaterial material;
  try {
    if (!params.contains("keys")) throw adapter::ProtocolDataError("params.keys: missing");
    material = adapter::read_key_material(params["keys"]);
  } catch (const adapter::ProtocolDataError& error) {
    throw_bad_request(error.what());
  }
  if (spec.profile == codec::Profile::omemo2) {
    if (material.identity_kind.empty()) {
      throw_bad_request("params.keys.identity.kind: missing (required for omemo2)");
    }
    if (!engine::omemo2::identity_kind_from_name(material.identity_kind)) {
      throw_bad_request(
          fmt::format("params.keys.identity.kind: unknown kind '{}'", material.identity_kind));
    }
    spec.identity_kind = material.identity_kind;
  }
  if (!material.signed_pre_key) {
    throw RequestError{adapter::kOtherFailure, engine::client::kUnsupported,
                       "a reference device always publishes a signed prekey; keys without one "
                       "cannot be held"};
  }
  // Without a seed, the device's later draws come from the process stream, per handle (§9).
  crypto::RandomSource random =
      params.contains("seed") && !params["seed"].is_null()
          ? crypto::RandomSource::seeded(base64_param(params, "seed", kSeedBytes))
          : process_random_->derive("import_keys/" + handle);
  auto device = ReferenceClientDevice::from_keys(spec, to_device_keys(material), std::move(random));
  if (!device) throw failure_error(device.failure());
  devices_.emplace(handle, std::move(*device));
  return identity_of(handle);
}

json ReferenceAdapter::start(const json& params) {
  ReferenceClientDevice& device = device_of(params);
  RemoteServerLink link(*channel_, params["device"].get<std::string>());
  return with_identity(adapter::to_json(device.start(link)), device);
}

json ReferenceAdapter::send(const json& params) {
  ReferenceClientDevice& device = device_of(params);
  engine::client::SendRequest request;
  try {
    request = adapter::read_send_request(params);
  } catch (const adapter::ProtocolDataError& error) {
    throw_bad_request(error.what());
  }
  RemoteServerLink link(*channel_, params["device"].get<std::string>());
  return adapter::to_json(device.send(request, link));
}

json ReferenceAdapter::receive(const json& params) {
  ReferenceClientDevice& device = device_of(params);
  const std::string stanza = string_param(params, "stanza");
  RemoteServerLink link(*channel_, params["device"].get<std::string>());
  return adapter::to_json(device.receive(stanza, link));
}

json ReferenceAdapter::set_trust(const json& params) {
  ReferenceClientDevice& device = device_of(params);
  const std::string jid = string_param(params, "jid");
  const std::uint32_t device_id = uint32_param(params, "device_id");
  const bool trusted = bool_param(params, "trusted");
  device.set_trust(jid, device_id, trusted);
  return json::object();
}

json ReferenceAdapter::export_state(const json& params) {
  return json{{"state", adapter::to_base64(device_of(params).export_state())}};
}

json ReferenceAdapter::import_state(const json& params) {
  ReferenceClientDevice& device = device_of(params);
  const Bytes state = base64_param(params, "state");
  if (!device.import_state(state)) {
    throw RequestError{adapter::kOtherFailure, "bad_data",
                       "state blob rejected: not an export of this adapter's devices"};
  }
  return with_identity(json::object(), device);
}

json ReferenceAdapter::begin_catch_up(const json& params) {
  ReferenceClientDevice& device = device_of(params);
  engine::client::CatchUpRequest request;
  request.from_start = bool_param(params, "from_start");
  RemoteServerLink link(*channel_, params["device"].get<std::string>());
  return adapter::to_json(device.begin_catch_up(request, link));
}

json ReferenceAdapter::end_catch_up(const json& params) {
  ReferenceClientDevice& device = device_of(params);
  RemoteServerLink link(*channel_, params["device"].get<std::string>());
  device.end_catch_up(link);
  return json::object();
}

json ReferenceAdapter::join_room(const json& params) {
  ReferenceClientDevice& device = device_of(params);
  const std::string room = string_param(params, "room");
  const std::string nick = string_param(params, "nick");
  RemoteServerLink link(*channel_, params["device"].get<std::string>());
  return adapter::to_json(device.join_room(room, nick, link));
}

json ReferenceAdapter::leave_room(const json& params) {
  ReferenceClientDevice& device = device_of(params);
  const std::string room = string_param(params, "room");
  RemoteServerLink link(*channel_, params["device"].get<std::string>());
  return adapter::to_json(device.leave_room(room, link));
}

json ReferenceAdapter::rotate(const json& params) {
  ReferenceClientDevice& device = device_of(params);
  RemoteServerLink link(*channel_, params["device"].get<std::string>());
  return adapter::to_json(device.rotate_signed_pre_key(link));
}

json ReferenceAdapter::set_misbehaviour(const json& params) {
  ReferenceClientDevice& device = device_of(params);
  const std::string name = string_param(params, "knob");
  const bool on = bool_param(params, "on");
  std::optional<engine::Misbehaviour> knob = engine::misbehaviour_from_name(name);
  // An unknown knob is one this device does not have: applied false (§5.4).
  return json{{"applied", knob ? device.set_misbehaviour(*knob, on) : false}};
}

json ReferenceAdapter::reset(const json& /*params*/) {
  devices_.clear();
  process_random_ = crypto::RandomSource::seeded(*initialize_seed_);
  return json::object();
}

json ReferenceAdapter::shutdown(const json& /*params*/) {
  devices_.clear();
  has_shut_down_ = true;
  return json::object();
}

}  // namespace oi::adapters::reference
