// omemo-interop adapter for the lurch stack (libomemo 0.8.1 + libaxc 0.3.7), protocol 1.0.
// stdout carries protocol lines only: the original fd 1 is kept privately for the protocol and
// fd 1 is pointed at stderr before any library can print (axc's default logger prints to stdout).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "adapter_methods.h"
#include "rpc_channel.h"
#include "stack_headers.h"

namespace {

nlohmann::json error_response(const nlohmann::json& id, int code, const std::string& error_class,
                              const std::string& detail) {
  return {{"jsonrpc", "2.0"},
          {"id", id},
          {"error",
           {{"code", code},
            {"message", detail},
            {"data", {{"class", error_class}, {"detail", detail}}}}}};
}

std::string working_directory() {
  if (const char* home = std::getenv("HOME"); home && *home) return home;
  char buffer[4096];
  if (::getcwd(buffer, sizeof buffer)) return buffer;
  return ".";
}

}  // namespace

int main() {
  int protocol_fd = ::dup(STDOUT_FILENO);
  if (protocol_fd < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    std::perror("lurch adapter: redirecting stdout");
    return 1;
  }
  std::FILE* protocol_out = ::fdopen(protocol_fd, "w");
  if (!protocol_out) return 1;
  std::ios::sync_with_stdio(false);

  axc_crypto_init();  // libgcrypt setup, as lurch_plugin_load does through omemo/axc

  lurch_adapter::RpcChannel rpc(protocol_out);
  lurch_adapter::AdapterMethods methods(rpc, working_directory());
  while (true) {
    std::optional<nlohmann::json> request;
    try {
      request = rpc.read_message();
    } catch (const nlohmann::json::exception& e) {
      rpc.write(
          error_response(nullptr, -32700, "bad_request", std::string("not JSON: ") + e.what()));
      continue;
    }
    if (!request) return 0;  // the harness went away
    if (!request->is_object() || !request->contains("method") ||
        !(*request)["method"].is_string()) {
      std::fprintf(stderr, "lurch adapter: ignoring a line that is not a request: %s\n",
                   request->dump().c_str());
      continue;
    }
    nlohmann::json id = request->value("id", nlohmann::json(nullptr));
    std::string method = (*request)["method"].get<std::string>();
    nlohmann::json params = request->value("params", nlohmann::json::object());
    try {
      nlohmann::json result = methods.call(method, params);
      rpc.write({{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
    } catch (const lurch_adapter::ProtocolError& e) {
      rpc.write(error_response(id, e.code(), e.error_class(), e.what()));
    } catch (const lurch_adapter::LibraryFailure& e) {
      rpc.write(error_response(id, -32000, e.error_class(), e.what()));
    } catch (const std::exception& e) {
      rpc.write(error_response(id, -32603, "internal", e.what()));
    }
    if (method == "shutdown") return 0;
  }
}
