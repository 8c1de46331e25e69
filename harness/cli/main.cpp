// omemo-interop: entry point. Each subcommand lives in its own file.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"omemo-interop: OMEMO (XEP-0384) conformance and interoperability harness"};
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return 0;
}
