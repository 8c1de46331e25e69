#include "adapter/adapter_implementation.h"

#include <fmt/format.h>

#include <algorithm>
#include <pugixml.hpp>
#include <set>

#include "adapter/adapter_client_device.h"
#include "adapter/protocol_messages.h"

namespace oi::adapter {

namespace {

using engine::client::ImplementationFault;
using nlohmann::json;
using Fault = ImplementationFault::Kind;

constexpr std::chrono::hours kDebugTimeout{24};

// The root element name and type attribute of a stanza, or nullopt when it is not XML.
std::optional<std::pair<std::string, std::string>> stanza_kind(const std::string& xml) {
  pugi::xml_document document;
  if (!document.load_buffer(xml.data(), xml.size())) return std::nullopt;
  pugi::xml_node root = document.document_element();
  std::string_view name = root.name();
  if (std::size_t colon = name.find(':'); colon != std::string_view::npos) {
    name.remove_prefix(colon + 1);
  }
  return std::pair{std::string(name), std::string(root.attribute("type").value())};
}

std::set<std::string> as_set(const std::vector<std::string>& values) {
  return {values.begin(), values.end()};
}

std::vector<std::string> profile_names(const std::vector<codec::Profile>& profiles) {
  std::vector<std::string> names;
  for (codec::Profile profile : profiles) names.emplace_back(codec::profile_name(profile));
  return names;
}

// Validates the initialize result against §4.2 and the manifest; throws ProtocolDataError.
AdapterIdentity read_identity(const json& result, const AdapterManifest& manifest) {
  if (!result.is_object()) throw ProtocolDataError("result: not an object");
  AdapterIdentity identity;
  auto text = [&](const json& object, const char* key, const char* where) {
    auto found = object.find(key);
    if (found == object.end() || !found->is_string()) {
      throw ProtocolDataError(fmt::format("{}.{}: missing or not a string", where, key));
    }
    return found->get<std::string>();
  };
  auto strings = [&](const char* key, bool required) {
    std::vector<std::string> values;
    auto found = result.find(key);
    if (found == result.end()) {
      if (required) throw ProtocolDataError(fmt::format("result.{}: missing", key));
      return values;
    }
    if (!found->is_array()) throw ProtocolDataError(fmt::format("result.{}: not an array", key));
    for (const json& item : *found) {
      if (!item.is_string()) {
        throw ProtocolDataError(fmt::format("result.{}: not an array of strings", key));
      }
      values.push_back(item.get<std::string>());
    }
    return values;
  };
  identity.protocol = text(result, "protocol", "result");
  if (identity.protocol.rfind("1.", 0) != 0) {
    throw ProtocolDataError(
        fmt::format("result.protocol: '{}' is not major version 1", identity.protocol));
  }
  auto implementation = result.find("implementation");
  if (implementation == result.end() || !implementation->is_object()) {
    throw ProtocolDataError("result.implementation: missing or not an object");
  }
  identity.name = text(*implementation, "name", "result.implementation");
  identity.version = text(*implementation, "version", "result.implementation");
  if (implementation->contains("backend")) {
    identity.backend = text(*implementation, "backend", "result.implementation");
  }
  std::vector<std::string> profiles = strings("profiles", true);
  if (as_set(profiles) != as_set(profile_names(manifest.profiles))) {
    throw ProtocolDataError(fmt::format("result.profiles [{}] differ from adapter.json [{}]",
                                        fmt::join(profiles, ", "),
                                        fmt::join(profile_names(manifest.profiles), ", ")));
  }
  identity.profiles = manifest.profiles;
  identity.capabilities = strings("capabilities", true);
  if (as_set(identity.capabilities) != as_set(manifest.capabilities)) {
    throw ProtocolDataError(fmt::format("result.capabilities [{}] differ from adapter.json [{}]",
                                        fmt::join(identity.capabilities, ", "),
                                        fmt::join(manifest.capabilities, ", ")));
  }
  if (result.contains("trust_policies")) identity.trust_policies = strings("trust_policies", false);
  identity.identity_kinds = strings("identity_kinds", false);
  return identity;
}

}  // namespace

AdapterImplementation::AdapterImplementation(AdapterManifest manifest, AdapterSettings settings)
    : manifest_(std::move(manifest)), settings_(std::move(settings)) {}

AdapterImplementation::~AdapterImplementation() {
  stop();
}

std::string AdapterImplementation::version() const {
  return identity_ ? identity_->version : std::string("unknown");
}

void AdapterImplementation::ensure_started() {
  if (!initialize_error_.empty()) throw ImplementationFault(Fault::error, initialize_error_);
  if (process_ && process_->alive() && identity_) return;
  if (process_) stop();

  LaunchSpec launch;
  launch.argv = manifest_.argv;
  launch.env = manifest_.env;
  launch.temp_root = settings_.temp_root;
  process_ = std::make_unique<AdapterProcess>(std::move(launch));
  process_->set_request_handler([this](const std::string& method, const json& params) {
    return handle_adapter_request(method, params);
  });
  case_served_ = false;
  Reply started = process_->start();
  if (!started.ok()) {
    // A program that cannot be started will not start for the next case either.
    initialize_error_ = started.message;
    throw ImplementationFault(Fault::error, initialize_error_);
  }
  json params{{"protocol", "1.0"},
              {"profiles", profile_names(manifest_.profiles)},
              {"seed", to_base64(settings_.seed)},
              {"harness", {{"name", "omemo-interop"}, {"version", settings_.harness_version}}}};
  auto timeout = settings_.debug
                     ? std::chrono::duration_cast<std::chrono::milliseconds>(kDebugTimeout)
                     : manifest_.timeouts.startup;
  Reply reply = process_->request("initialize", params, timeout);
  try {
    if (reply.kind == OutcomeKind::timeout) {
      throw ProtocolDataError(
          fmt::format("no answer to initialize within {} ms", manifest_.timeouts.startup.count()));
    }
    if (!reply.ok()) throw ProtocolDataError(reply.message);
    if (reply.error) {
      throw ProtocolDataError(
          fmt::format("initialize answered with an error: {}", reply.error->dump()));
    }
    identity_ = read_identity(*reply.result, manifest_);
  } catch (const ProtocolDataError& e) {
    // Broken, not silently skipped (§4.2): every case bound to the adapter is `error`.
    initialize_error_ = fmt::format("initialize failed: {}", e.what());
    log_ += process_->take_stderr();
    process_->terminate();
    throw ImplementationFault(Fault::error, initialize_error_);
  }
}

void AdapterImplementation::begin_case() {
  log_.clear();
  links_.clear();
  case_started_ = std::chrono::steady_clock::now();
  if (process_ && process_->alive() && case_served_) {
    if (!manifest_.reuse) {
      log_ += stop();  // the problem note, if any; stop() logs the stderr itself
    } else {
      handle_counter_ = 0;
      process_->begin_case();
      call("reset", json::object());
    }
  }
  ensure_started();
  handle_counter_ = 0;
  process_->begin_case();
  case_served_ = true;
}

std::string AdapterImplementation::end_case() {
  if (process_) {
    log_ += process_->take_stderr();
    // An instance that failed is not reused: the next case gets a fresh process (§12.3).
    if (!process_->alive()) {
      if (!process_->working_directory().empty()) {
        log_ += fmt::format("\n[working directory kept: {}]\n", process_->working_directory());
      }
      process_.reset();
      identity_.reset();
    }
  }
  links_.clear();
  return std::exchange(log_, {});
}

std::string AdapterImplementation::stop() {
  if (!process_) return {};
  std::string note;
  if (process_->alive()) {
    Reply reply = process_->request("shutdown", json::object(), manifest_.timeouts.shutdown);
    if (reply.ok() && !process_->wait_for_exit(manifest_.timeouts.shutdown)) {
      note = fmt::format("[{} did not exit within {} ms of shutdown]\n", manifest_.name,
                         manifest_.timeouts.shutdown.count());
    } else if (reply.ok() && process_->exit_status().value_or(0) != 0) {
      note = fmt::format("[{} exited with status {} after shutdown]\n", manifest_.name,
                         *process_->exit_status());
    } else if (reply.ok() && process_->term_signal()) {
      note = fmt::format("[{} was killed by signal {} after shutdown]\n", manifest_.name,
                         *process_->term_signal());
    }
  }
  process_->terminate();
  log_ += process_->take_stderr();
  process_.reset();
  identity_.reset();
  return note;
}

AdapterImplementation::Answer AdapterImplementation::call(const std::string& method, json params,
                                                          engine::client::ServerLink* link,
                                                          const std::string& device) {
  if (!process_) ensure_started();
  if (link != nullptr) links_[device] = link;
  std::chrono::milliseconds timeout = manifest_.timeouts.request;
  if (settings_.debug) {
    timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kDebugTimeout);
  } else {
    auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - case_started_);
    auto left = manifest_.timeouts.case_budget - spent;
    if (left <= std::chrono::milliseconds(0)) {
      process_->terminate();
      throw ImplementationFault(Fault::timeout,
                                fmt::format("case budget of {} ms exceeded before '{}'",
                                            manifest_.timeouts.case_budget.count(), method));
    }
    timeout = std::min(timeout, left);
  }
  Reply reply = process_->request(method, params, timeout);
  if (!reply.ok()) throw_fault(reply, method);
  return Answer{std::move(reply.result), std::move(reply.error)};
}

void AdapterImplementation::fail(Fault kind, const std::string& message) {
  if (process_ && kind != Fault::unsupported && kind != Fault::undeclared &&
      kind != Fault::refused) {
    process_->terminate();
  }
  throw ImplementationFault(kind, message);
}

void AdapterImplementation::throw_fault(const Reply& reply, const std::string& method) {
  switch (reply.kind) {
    case OutcomeKind::timeout:
      throw ImplementationFault(Fault::timeout, reply.message);
    case OutcomeKind::crash:
      throw ImplementationFault(Fault::crash, reply.message);
    default:
      throw ImplementationFault(
          Fault::error, fmt::format("adapter protocol error in '{}': {}", method, reply.message));
  }
}

json AdapterImplementation::handle_adapter_request(const std::string& method, const json& params) {
  auto device = params.find("device");
  if (!params.is_object() || device == params.end() || !device->is_string()) {
    throw AdapterFault(fmt::format("'{}' request without a device handle", method));
  }
  auto link = links_.find(device->get<std::string>());
  if (link == links_.end()) {
    throw AdapterFault(
        fmt::format("'{}' request for device '{}', which has no server connection "
                    "in this request",
                    method, device->get<std::string>()));
  }
  if (method == "now") return json{{"now", link->second->now()}};
  auto stanza = params.find("stanza");
  if (stanza == params.end() || !stanza->is_string()) {
    throw AdapterFault(fmt::format("'{}' request without a stanza string", method));
  }
  const std::string& xml = stanza->get_ref<const std::string&>();
  std::optional<std::pair<std::string, std::string>> kind = stanza_kind(xml);
  if (!kind) throw AdapterFault(fmt::format("'{}' request: stanza is not well-formed XML", method));
  const auto& [element, type] = *kind;
  if (method == "iq") {
    if (element != "iq" || (type != "get" && type != "set")) {
      throw AdapterFault(
          fmt::format("'iq' request with a <{} type='{}'>, not an iq get/set", element, type));
    }
    return json{{"stanza", link->second->iq(xml)}};
  }
  if (method == "send") {
    bool is_iq_answer = element == "iq" && (type == "result" || type == "error");
    if (element != "message" && element != "presence" && !is_iq_answer) {
      throw AdapterFault(fmt::format("'send' request with a <{} type='{}'>", element, type));
    }
    link->second->send(xml);
    return json::object();
  }
  throw AdapterFault(fmt::format("unknown method '{}' from the adapter", method));
}

std::unique_ptr<engine::client::ClientDevice> AdapterImplementation::create_device(
    const engine::client::DeviceSpec& spec, crypto::RandomSource random) {
  return AdapterClientDevice::create(*this, spec, random.bytes(32), nullptr);
}

std::unique_ptr<engine::client::ClientDevice> AdapterImplementation::import_keys(
    const engine::client::DeviceSpec& spec, const json& keys, crypto::RandomSource random) {
  return AdapterClientDevice::create(*this, spec, random.bytes(32), &keys);
}

}  // namespace oi::adapter
