// omemo-interop-libomemo-c-adapter: libomemo-c behind the omemo-interop adapter protocol 1.0
// (adapters/PROTOCOL.md). Reads requests on stdin, answers on stdout, logs on stderr.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string_view>

#include "adapter_methods.h"
#include "protocol_error.h"
#include "signal_objects.h"

int main(int argc, char** argv) {
  using namespace oi::libomemo_c;
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    std::printf("libomemo-c %s\n", LIBOMEMO_C_VERSION);
    return 0;
  }
  // Protocol lines go to a duplicate of stdout; fd 1 then points at stderr, so nothing the
  // library or a dependency prints can reach the protocol stream (PROTOCOL.md §2).
  const int protocol_fd = dup(STDOUT_FILENO);
  if (protocol_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) return 1;
  FILE* protocol_file = fdopen(protocol_fd, "w");
  if (protocol_file == nullptr) return 1;
  std::cout.rdbuf(std::cerr.rdbuf());
  std::ios::sync_with_stdio(false);
  struct FileOut : std::streambuf {
    explicit FileOut(FILE* f) : file(f) {}
    int_type overflow(int_type c) override {
      return c == traits_type::eof() ? 0 : std::fputc(c, file);
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      return static_cast<std::streamsize>(std::fwrite(s, 1, static_cast<std::size_t>(n), file));
    }
    int sync() override { return std::fflush(file); }
    FILE* file;
  } protocol_buffer(protocol_file);
  std::ostream protocol_out(&protocol_buffer);

  JsonRpcChannel channel(std::cin, protocol_out);
  AdapterMethods methods(channel);
  for (;;) {
    Json id;
    std::string method;
    try {
      std::optional<Json> request = channel.read_request();
      if (!request) return 0;  // the harness went away
      id = request->value("id", Json());
      method = request->value("method", "");
      const Json params = request->value("params", Json::object());
      if (method.empty()) throw bad_request("request without method");
      if (!params.is_object()) throw bad_request("params is not an object");
      channel.write_result(id, methods.dispatch(method, params));
    } catch (const ProtocolError& error) {
      channel.write_error(id, error.code, error.error_class, error.what());
    } catch (const std::exception& error) {
      std::cerr << "libomemo-c adapter: " << method << ": " << error.what() << "\n";
      channel.write_error(id, -32603, "internal", error.what());
    }
    if (method == "shutdown") return 0;
  }
}
