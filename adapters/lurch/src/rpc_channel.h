// The adapter's side of the JSON-RPC pipe (PROTOCOL.md §2): one JSON object per line on the
// protocol stream, requests both ways. Requests to the harness (iq, send, now) are made only while
// a harness request is being handled, and each waits for its answer before anything else.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace lurch_adapter {

// The harness answered one of our requests with a JSON-RPC error, or the pipe broke.
class HarnessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RpcChannel {
 public:
  // `protocol_out` is the private copy of the original stdout (fd 1 then points at stderr).
  explicit RpcChannel(std::FILE* protocol_out) : out_(protocol_out) {}

  // The next line from stdin, parsed; nullopt at end of file. Throws nlohmann::json::exception
  // for a line that is not JSON.
  std::optional<nlohmann::json> read_message();

  void write(const nlohmann::json& message);

  // A request to the harness on behalf of a device; returns its `result`.
  nlohmann::json call(const std::string& method, const nlohmann::json& params);

 private:
  std::FILE* out_;
  unsigned long next_request_ = 0;
};

}  // namespace lurch_adapter
