#include "rpc_channel.h"

#include <iostream>

namespace lurch_adapter {

std::optional<nlohmann::json> RpcChannel::read_message() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  return nlohmann::json::parse(line);
}

void RpcChannel::write(const nlohmann::json& message) {
  // Invalid UTF-8 from a library (a decrypted body) is replaced, never allowed to break the line.
  std::string line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

nlohmann::json RpcChannel::call(const std::string& method, const nlohmann::json& params) {
  std::string id = "a" + std::to_string(++next_request_);
  write({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
  std::optional<nlohmann::json> reply = read_message();
  if (!reply) throw HarnessError("stdin closed while waiting for the answer to " + id);
  if (!reply->is_object() || !reply->contains("id") || (*reply)["id"] != id)
    throw HarnessError("expected the answer to " + id + ", got: " + reply->dump());
  if (reply->contains("error"))
    throw HarnessError("harness refused " + method + ": " + (*reply)["error"].dump());
  if (!reply->contains("result")) throw HarnessError("answer without result: " + reply->dump());
  return (*reply)["result"];
}

}  // namespace lurch_adapter
