// `omemo-interop version`: the harness version and commit, and the library versions it runs on.
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <sodium.h>

#include <pugixml.hpp>

#include "cli/commands.h"
#include "cli/run_metadata.h"

namespace oi::cli {

void add_version_command(CLI::App& app, CommandContext& context) {
  CLI::App* command = app.add_subcommand("version", "Print the harness version and commit");
  command->callback([&context] {
    fmt::print("omemo-interop {} (commit {})\n", OMEMO_INTEROP_VERSION, harness_commit());
    fmt::print("  OpenSSL    {}\n", OpenSSL_version(OPENSSL_VERSION));
    fmt::print("  libsodium  {}\n", sodium_version_string());
    fmt::print("  pugixml    {}.{}\n", PUGIXML_VERSION / 1000, PUGIXML_VERSION % 1000 / 10);
    context.exit_code = 0;
  });
}

}  // namespace oi::cli
