// omemo-interop-reference-adapter: the reference engine behind the adapter protocol
// (adapters/PROTOCOL.md 1.0) on stdin/stdout. Only protocol lines go to stdout; messages go to
// stderr. Exits 0 after `shutdown` and at end of input; 1 when the harness breaks the protocol;
// 2 for a bad command line.
#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <string_view>

#include "engine/client/reference_client.h"
#include "json_rpc_channel.h"
#include "reference_adapter.h"

namespace {

constexpr const char* kUsage =
    "usage: omemo-interop-reference-adapter [--version]\n"
    "Speaks the omemo-interop adapter protocol 1.0 (adapters/PROTOCOL.md) on stdin/stdout.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace oi::adapters::reference;
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    fmt::print("reference {}\n", oi::engine::client::ReferenceImplementation().version());
    return 0;
  }
  if (argc == 2 && (std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h")) {
    fmt::print("{}", kUsage);
    return 0;
  }
  if (argc != 1) {
    fmt::print(stderr, "{}", kUsage);
    return 2;
  }
  // A closed stdout shows up as a failed write (ChannelClosed), not as a signal.
  std::signal(SIGPIPE, SIG_IGN);
  JsonRpcChannel channel(STDIN_FILENO, STDOUT_FILENO);
  ReferenceAdapter adapter(channel);
  try {
    while (!adapter.has_shut_down()) adapter.handle(channel.next_request());
  } catch (const ChannelClosed&) {
    return 0;  // the harness went away (§12.4)
  } catch (const ChannelViolation& violation) {
    fmt::print(stderr, "omemo-interop-reference-adapter: protocol violation: {}\n",
               violation.what());
    return 1;
  }
  return 0;
}
