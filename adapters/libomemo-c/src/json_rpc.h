// The adapter's side of the transport (PROTOCOL.md §2): one JSON-RPC 2.0 message per line on
// stdin/stdout, and requests to the harness (`iq`, `send`, `now`) answered before we go on.
#pragma once

#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

namespace oi::libomemo_c {

using Json = nlohmann::json;

class JsonRpcChannel {
 public:
  JsonRpcChannel(std::istream& in, std::ostream& out) : in_(in), out_(out) {}

  // The next harness request, or nullopt at end of input. Throws ProtocolError(-32700) for a
  // line that is not a JSON object; the caller answers it with id null.
  std::optional<Json> read_request();
  void write_result(const Json& id, const Json& result);
  void write_error(const Json& id, int code, const std::string& error_class,
                   const std::string& detail);

  // Sends a request to the harness and returns its result. The harness sends nothing else while
  // one of our requests is outstanding (§2.2), so the next line is its answer. Throws
  // std::runtime_error when the harness answers with an error or goes away.
  Json call(const std::string& method, const Json& params);

 private:
  void write(const Json& message);
  std::istream& in_;
  std::ostream& out_;
  long long next_request_ = 0;
};

}  // namespace oi::libomemo_c
