// A request that cannot be carried out: answered as a JSON-RPC error (PROTOCOL.md §7.2) with a
// canonical class (§7.1) in error.data.class.
#pragma once

#include <stdexcept>
#include <string>

namespace oi::libomemo_c {

struct ProtocolError : std::runtime_error {
  ProtocolError(int rpc_code, std::string canonical_class, const std::string& detail)
      : std::runtime_error(detail), code(rpc_code), error_class(std::move(canonical_class)) {}
  int code;
  std::string error_class;
};

inline ProtocolError bad_request(const std::string& detail) {
  return ProtocolError(-32602, "bad_request", detail);
}

inline ProtocolError unsupported(const std::string& detail) {
  return ProtocolError(-32000, "unsupported", detail);
}

}  // namespace oi::libomemo_c
