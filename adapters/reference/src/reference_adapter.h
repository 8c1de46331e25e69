// The method table of adapters/PROTOCOL.md §5.1 over the in-process reference client
// (engine/client/reference_client.h). It translates and never fixes up: every result is what
// ReferenceClientDevice returned, every class the engine's own.
//
// Errors (§7.2): an unknown method is -32601 `unsupported`; a missing or ill-typed field, an
// unknown or duplicate device handle, or a request before `initialize` is -32602 `bad_request`;
// a refused import is -32000 with the engine's class (`bad_data`, `bad_signature`,
// `unsupported`); anything the engine throws is -32603 `internal` with its message.
// ChannelClosed and ChannelViolation pass through: they end the process, not the request.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "crypto/random_source.h"
#include "engine/client/reference_client.h"
#include "json_rpc_channel.h"

namespace oi::adapters::reference {

class ReferenceAdapter {
 public:
  explicit ReferenceAdapter(JsonRpcChannel& channel);

  // Handles one harness request (from JsonRpcChannel::next_request) and writes its answer.
  void handle(const nlohmann::json& request);
  // True once `shutdown` was answered: the process should exit 0.
  bool has_shut_down() const { return has_shut_down_; }

 private:
  using Method = nlohmann::json (ReferenceAdapter::*)(const nlohmann::json& params);
  static const std::map<std::string, Method, std::less<>>& methods();

  nlohmann::json initialize(const nlohmann::json& params);
  nlohmann::json create_device(const nlohmann::json& params);
  nlohmann::json import_keys(const nlohmann::json& params);
  nlohmann::json start(const nlohmann::json& params);
  nlohmann::json send(const nlohmann::json& params);
  nlohmann::json receive(const nlohmann::json& params);
  nlohmann::json set_trust(const nlohmann::json& params);
  nlohmann::json export_state(const nlohmann::json& params);
  nlohmann::json import_state(const nlohmann::json& params);
  nlohmann::json begin_catch_up(const nlohmann::json& params);
  nlohmann::json end_catch_up(const nlohmann::json& params);
  nlohmann::json join_room(const nlohmann::json& params);
  nlohmann::json leave_room(const nlohmann::json& params);
  nlohmann::json rotate(const nlohmann::json& params);
  nlohmann::json set_misbehaviour(const nlohmann::json& params);
  nlohmann::json reset(const nlohmann::json& params);
  nlohmann::json shutdown(const nlohmann::json& params);

  // The live device `params.device` names; bad_request otherwise.
  engine::client::ReferenceClientDevice& device_of(const nlohmann::json& params);
  // `params.device` when it names no live device; bad_request otherwise.
  std::string new_handle(const nlohmann::json& params) const;
  nlohmann::json identity_of(const std::string& handle) const;

  JsonRpcChannel* channel_;
  std::optional<Bytes> initialize_seed_;  // set by initialize; reset restarts from it
  std::optional<crypto::RandomSource> process_random_;
  std::map<std::string, std::unique_ptr<engine::client::ReferenceClientDevice>> devices_;
  bool has_shut_down_ = false;
};

}  // namespace oi::adapters::reference
