// omemo-interop: entry point. Each subcommand lives in its own file (commands.h).
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) {
  using namespace oi::cli;
  CLI::App app{
      "omemo-interop: OMEMO (XEP-0384) conformance and interoperability harness.\n"
      "Exit codes: 0 every result as expected, 1 unexpected results, 2 usage or "
      "set-up error."};
  app.require_subcommand(1);
  CommandContext context{argc, argv, kExitExpected};
  add_run_command(app, context);
  add_adapter_command(app, context);
  add_vectors_command(app, context);
  add_lint_command(app, context);
  add_list_command(app, context);
  add_report_command(app, context);
  add_bench_command(app, context);
  add_version_command(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status == 0 ? kExitExpected : kExitSetupError;
  } catch (const std::exception& e) {
    std::cerr << "omemo-interop: harness error: " << e.what() << '\n';
    return kExitSetupError;
  }
  return context.exit_code;
}
