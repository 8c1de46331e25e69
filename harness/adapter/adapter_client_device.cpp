#include "adapter/adapter_client_device.h"

#include <fmt/format.h>

#include <algorithm>

#include "adapter/adapter_implementation.h"
#include "adapter/protocol_messages.h"

namespace oi::adapter {

namespace {

using engine::client::ImplementationFault;
using engine::client::ReceiveOutcome;
using engine::client::SendOutcome;
using nlohmann::json;
using Fault = ImplementationFault::Kind;

std::string detail_of(const json& error) {
  if (auto data = error.find("data"); data != error.end() && data->is_object()) {
    if (auto detail = data->find("detail"); detail != data->end() && detail->is_string()) {
      return detail->get<std::string>();
    }
  }
  if (auto message = error.find("message"); message != error.end() && message->is_string()) {
    return message->get<std::string>();
  }
  return error.dump();
}

}  // namespace

void AdapterClientDevice::fail(Fault kind, const std::string& message) const {
  implementation_.fail(kind, message);
}

void AdapterClientDevice::classify(const std::string& error_class, const std::string& detail,
                                   const std::string& method, bool declared) const {
  if (is_omemo_error_class(error_class)) return;
  if (error_class == engine::client::kUnsupported) {
    if (declared) {
      fail(Fault::refused,
           fmt::format("'{}' answered unsupported although the adapter declares it: {}", method,
                       detail));
    }
    fail(Fault::unsupported, fmt::format("'{}' is unsupported: {}", method, detail));
  }
  if (error_class == kBadRequest || error_class == kInternal) {
    fail(Fault::error, fmt::format("'{}' failed with {}: {}", method, error_class, detail));
  }
  fail(Fault::error,
       fmt::format("'{}' answered unknown error class '{}': {}", method, error_class, detail));
}

std::unique_ptr<AdapterClientDevice> AdapterClientDevice::create(
    AdapterImplementation& implementation, const engine::client::DeviceSpec& spec,
    const Bytes& seed, const json* keys) {
  const AdapterManifest& manifest = implementation.manifest();
  if (!manifest.supports(spec.profile)) {
    throw ImplementationFault(Fault::undeclared,
                              fmt::format("{} does not declare profile {}", manifest.name,
                                          codec::profile_name(spec.profile)));
  }
  if (!spec.misbehaviours.empty() && !manifest.has_capability("misbehaviour")) {
    throw ImplementationFault(Fault::undeclared,
                              fmt::format("{} has no misbehaviour switchboard (capability "
                                          "'misbehaviour' not declared)",
                                          manifest.name));
  }
  implementation.ensure_started();
  const AdapterIdentity& identity = *implementation.identity();
  std::string policy(engine::trust_policy_name(spec.trust_policy));
  if (std::find(identity.trust_policies.begin(), identity.trust_policies.end(), policy) ==
      identity.trust_policies.end()) {
    throw ImplementationFault(
        Fault::undeclared,
        fmt::format("{} does not declare trust policy '{}'", manifest.name, policy));
  }
  if (spec.profile == codec::Profile::omemo2 && !spec.identity_kind.empty() &&
      std::find(identity.identity_kinds.begin(), identity.identity_kinds.end(),
                spec.identity_kind) == identity.identity_kinds.end()) {
    throw ImplementationFault(
        Fault::undeclared,
        fmt::format("{} does not declare identity kind '{}'", manifest.name, spec.identity_kind));
  }
  auto device = std::unique_ptr<AdapterClientDevice>(
      new AdapterClientDevice(implementation, implementation.next_handle(), spec.profile));
  json request = device->params();
  write_device_spec(spec, request);
  request["seed"] = to_base64(seed);
  std::string method = "create_device";
  if (keys != nullptr) {
    device->require("import_keys", "a device from fixed keys");
    method = "import_keys";
    request["keys"] = *keys;
  }
  // keep_device_id is a form a library may be unable to express (§8): unsupported, not fail.
  bool declared = !spec.keep_device_id;
  device->adopt_identity(device->plain_call(method, std::move(request), nullptr, declared));
  return device;
}

void AdapterClientDevice::require(std::string_view capability, std::string_view what) const {
  if (!implementation_.declares(capability)) {
    throw ImplementationFault(Fault::undeclared,
                              fmt::format("{} does not declare capability '{}' ({})",
                                          implementation_.name(), capability, what));
  }
}

void AdapterClientDevice::adopt_identity(const json& result) {
  try {
    DeviceIdentity identity = read_device_identity(result);
    device_id_ = identity.device_id;
    fingerprint_ = identity.fingerprint;
  } catch (const ProtocolDataError& e) {
    fail(Fault::error, fmt::format("malformed result: {}", e.what()));
  }
}

json AdapterClientDevice::plain_call(const std::string& method, json request,
                                     engine::client::ServerLink* link, bool declared) const {
  AdapterImplementation::Answer answer =
      implementation_.call(method, std::move(request), link, handle_);
  if (answer.error) {
    std::string error_class = error_class_of(*answer.error);
    std::string detail = detail_of(*answer.error);
    classify(error_class, detail, method, declared);
    fail(Fault::error, fmt::format("'{}' failed with {}: {}", method, error_class, detail));
  }
  if (!answer.result->is_object()) {
    fail(Fault::error, fmt::format("result of '{}' is not an object", method));
  }
  return std::move(*answer.result);
}

SendOutcome AdapterClientDevice::outcome_call(const std::string& method, json request,
                                              engine::client::ServerLink* link, bool declared) {
  AdapterImplementation::Answer answer =
      implementation_.call(method, std::move(request), link, handle_);
  SendOutcome outcome;
  if (answer.error) {
    // A JSON-RPC error carrying an outcome class counts as that outcome (§7.3, last row).
    outcome.error_class = error_class_of(*answer.error);
    outcome.detail = detail_of(*answer.error);
  } else {
    try {
      outcome = read_send_outcome(*answer.result);
    } catch (const ProtocolDataError& e) {
      fail(Fault::error, fmt::format("result of '{}' is malformed: {}", method, e.what()));
    }
  }
  if (!outcome.ok) classify(outcome.error_class, outcome.detail, method, declared);
  return outcome;
}

SendOutcome AdapterClientDevice::start(engine::client::ServerLink& link) {
  json request = params();
  AdapterImplementation::Answer answer = implementation_.call("start", request, &link, handle_);
  if (answer.error) {
    SendOutcome outcome;
    outcome.error_class = error_class_of(*answer.error);
    outcome.detail = detail_of(*answer.error);
    classify(outcome.error_class, outcome.detail, "start", true);
    return outcome;
  }
  SendOutcome outcome;
  try {
    outcome = read_send_outcome(*answer.result);
  } catch (const ProtocolDataError& e) {
    fail(Fault::error, fmt::format("result of 'start' is malformed: {}", e.what()));
  }
  if (!outcome.ok) {
    classify(outcome.error_class, outcome.detail, "start", true);
    return outcome;
  }
  adopt_identity(*answer.result);
  return outcome;
}

SendOutcome AdapterClientDevice::send(const engine::client::SendRequest& send_request,
                                      engine::client::ServerLink& link) {
  // Forms needing a capability are asked for only when it is declared, so every send the adapter
  // gets is a declared one: `unsupported` for it is a refusal.
  if (send_request.type == "groupchat") require("muc", "groupchat messages");
  if (!send_request.body) require("key_transport", "a message without a body");
  json request = params();
  request.update(to_json(send_request));
  return outcome_call("send", std::move(request), &link, true);
}

ReceiveOutcome AdapterClientDevice::receive(const std::string& stanza_xml,
                                            engine::client::ServerLink& link) {
  json request = params();
  request["stanza"] = stanza_xml;
  AdapterImplementation::Answer answer =
      implementation_.call("receive", std::move(request), &link, handle_);
  ReceiveOutcome outcome;
  if (answer.error) {
    outcome.kind = ReceiveOutcome::Kind::error;
    outcome.error_class = error_class_of(*answer.error);
    outcome.detail = detail_of(*answer.error);
  } else {
    try {
      outcome = read_receive_outcome(*answer.result);
    } catch (const ProtocolDataError& e) {
      fail(Fault::error, fmt::format("result of 'receive' is malformed: {}", e.what()));
    }
  }
  if (outcome.kind == ReceiveOutcome::Kind::error) {
    classify(outcome.error_class, outcome.detail, "receive", true);
  }
  return outcome;
}

void AdapterClientDevice::set_trust(const std::string& jid, std::uint32_t device_id, bool trusted) {
  json request = params();
  request["jid"] = jid;
  request["device_id"] = device_id;
  request["trusted"] = trusted;
  plain_call("set_trust", std::move(request), nullptr, true);
}

SendOutcome AdapterClientDevice::begin_catch_up(const engine::client::CatchUpRequest& catch_up,
                                                engine::client::ServerLink& link) {
  require("catch_up", "MAM catch-up");
  json request = params();
  request["from_start"] = catch_up.from_start;
  return outcome_call("begin_catch_up", std::move(request), &link, true);
}

void AdapterClientDevice::end_catch_up(engine::client::ServerLink& link) {
  require("catch_up", "MAM catch-up");
  plain_call("end_catch_up", params(), &link, true);
}

SendOutcome AdapterClientDevice::join_room(const std::string& room, const std::string& nick,
                                           engine::client::ServerLink& link) {
  require("muc", "group chats");
  json request = params();
  request["room"] = room;
  request["nick"] = nick;
  return outcome_call("join_room", std::move(request), &link, true);
}

SendOutcome AdapterClientDevice::leave_room(const std::string& room,
                                            engine::client::ServerLink& link) {
  require("muc", "group chats");
  json request = params();
  request["room"] = room;
  return outcome_call("leave_room", std::move(request), &link, true);
}

bool AdapterClientDevice::set_misbehaviour(engine::Misbehaviour knob, bool on) {
  require("misbehaviour", "the reference engine's misbehaviour switchboard");
  json request = params();
  request["knob"] = engine::misbehaviour_info(knob).name;
  request["on"] = on;
  json result = plain_call("set_misbehaviour", std::move(request), nullptr, true);
  auto applied = result.find("applied");
  if (applied == result.end() || !applied->is_boolean()) {
    fail(Fault::error, "result of 'set_misbehaviour' has no boolean 'applied'");
  }
  return applied->get<bool>();
}

SendOutcome AdapterClientDevice::rotate_signed_pre_key(engine::client::ServerLink& link) {
  require("rotate", "signed-prekey rotation on request");
  return outcome_call("rotate", params(), &link, true);
}

Bytes AdapterClientDevice::export_state() const {
  require("export_state", "state export");
  json result = plain_call("export_state", params(), nullptr, true);
  auto state = result.find("state");
  if (state == result.end() || !state->is_string()) {
    fail(Fault::error, "result of 'export_state' has no string 'state'");
  }
  try {
    return from_base64(state->get<std::string>(), "result.state");
  } catch (const ProtocolDataError& e) {
    fail(Fault::error, e.what());
  }
}

bool AdapterClientDevice::import_state(ByteView state) {
  require("export_state", "state import");
  json request = params();
  request["state"] = to_base64(state);
  AdapterImplementation::Answer answer =
      implementation_.call("import_state", std::move(request), nullptr, handle_);
  if (answer.error) {
    std::string error_class = error_class_of(*answer.error);
    if (error_class == "bad_data") return false;  // refused; the device is as it was (§10)
    classify(error_class, detail_of(*answer.error), "import_state", true);
    fail(Fault::error,
         fmt::format("'import_state' failed with {}: {}", error_class, detail_of(*answer.error)));
  }
  adopt_identity(*answer.result);
  return true;
}

}  // namespace oi::adapter
