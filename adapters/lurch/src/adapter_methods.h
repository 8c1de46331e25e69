// The harness → adapter methods of PROTOCOL.md §5 for the lurch stack: parameter checking, the
// device table, and the JSON-RPC error answers (§7.2). The OMEMO work is in lurch_device.h.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "lurch_device.h"
#include "rpc_channel.h"

namespace lurch_adapter {

// A request that cannot be carried out: answered as a JSON-RPC error with data.class.
class ProtocolError : public std::runtime_error {
 public:
  ProtocolError(int code, std::string error_class, const std::string& detail)
      : std::runtime_error(detail), code_(code), error_class_(std::move(error_class)) {}
  int code() const { return code_; }
  const std::string& error_class() const { return error_class_; }

 private:
  int code_;
  std::string error_class_;
};

class AdapterMethods {
 public:
  AdapterMethods(RpcChannel& rpc, std::string work_dir)
      : rpc_(rpc), work_dir_(std::move(work_dir)) {}

  // The result of `method`; throws ProtocolError (or anything else, which becomes internal).
  nlohmann::json call(const std::string& method, const nlohmann::json& params);

 private:
  nlohmann::json initialize(const nlohmann::json& params);
  nlohmann::json create_device(const nlohmann::json& params);
  nlohmann::json import_keys(const nlohmann::json& params);
  nlohmann::json start(const nlohmann::json& params);
  nlohmann::json send(const nlohmann::json& params);
  nlohmann::json receive(const nlohmann::json& params);
  nlohmann::json set_trust(const nlohmann::json& params);
  nlohmann::json reset();

  LurchDevice& device(const nlohmann::json& params);
  LurchDevice& add_device(const nlohmann::json& params, const std::string& seed_field,
                          bool seed_required);

  RpcChannel& rpc_;
  std::string work_dir_;
  std::map<std::string, std::unique_ptr<LurchDevice>> devices_;
};

}  // namespace lurch_adapter
