// The harness's requests (PROTOCOL.md §5) mapped onto ClientDevice: parameter checking, device
// handles, and the JSON forms of the results.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "client_device.h"
#include "json_rpc.h"

namespace oi::libomemo_c {

class AdapterMethods {
 public:
  explicit AdapterMethods(JsonRpcChannel& channel) : channel_(channel) {}

  // The result of `method`; throws ProtocolError for requests that cannot be carried out
  // (-32601 for methods this adapter does not have).
  Json dispatch(const std::string& method, const Json& params);

 private:
  Json initialize(const Json& params);
  Json create_device(const Json& params, bool imported);
  Json start(const Json& params);
  Json send(const Json& params);
  Json receive(const Json& params);
  Json set_trust(const Json& params);
  Json import_state(const Json& params);

  ClientDevice& device(const Json& params);

  JsonRpcChannel& channel_;
  std::map<std::string, std::unique_ptr<ClientDevice>> devices_;
};

}  // namespace oi::libomemo_c
