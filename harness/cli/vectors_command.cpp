// `omemo-interop vectors [--impl NAME] [FILE...]`: runs known-answer vectors and reports one
// result per vector record.
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/paths.h"
#include "cli/report_output.h"
#include "cli/run_metadata.h"
#include "scenario/vector_run.h"

namespace oi::cli {

namespace fs = std::filesystem;

namespace {

// Resolves a FILE argument: as given, else relative to the vectors directory.
fs::path resolve_vector_file(const std::string& argument) {
  fs::path path(argument);
  if (fs::exists(path)) return path;
  return vectors_dir() / path;
}

}  // namespace

int run_vector_job(const VectorJobOptions& options, const CommandContext& context) {
  if (options.implementation != "reference") {
    fmt::print(stderr,
               "omemo-interop: implementation '{}' is not available; vectors run against "
               "'reference' (adapters come with the adapter protocol)\n",
               options.implementation);
    return kExitSetupError;
  }
  if (!formats_are_known(options.formats)) return kExitSetupError;
  std::vector<fs::path> files;
  if (options.files.empty()) {
    files = scenario::discover_vector_files(vectors_dir());
  } else {
    for (const std::string& argument : options.files) {
      fs::path path = resolve_vector_file(argument);
      if (!fs::is_regular_file(path)) {
        fmt::print(stderr, "omemo-interop: {}: no such vector file\n", argument);
        return kExitSetupError;
      }
      files.push_back(path);
    }
  }
  if (files.empty()) {
    fmt::print(stderr, "omemo-interop: no vector files under {}\n", vectors_dir().string());
    return kExitSetupError;
  }
  report::Results results;
  results.run = current_run_info(context.argc, context.argv);
  results.implementations.push_back(reference_implementation_info());
  add_requirement_catalogue(results);
  append_vector_cases(results, files, options.implementation);
  return emit_reports(results, options.formats, options.out_dir);
}

void add_vectors_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<VectorJobOptions>();
  options->formats = {"console", "json", "junit"};
  CLI::App* command = app.add_subcommand(
      "vectors", "Run known-answer vectors (vectors/**/*.vec) and report one result per vector");
  command->add_option("files", options->files,
                      "Vector files (path, or relative to vectors/); default: all");
  command->add_option("--impl", options->implementation, "Implementation to run them against")
      ->capture_default_str();
  command->add_option("--out", options->out_dir,
                      "Directory for results.json and junit.xml (default: none written)");
  command->add_option("--format", options->formats, "Outputs: console,json,junit")
      ->delimiter(',')
      ->capture_default_str();
  add_vectors_generate_command(*command, context);
  // Runs only when no subcommand (generate) was given.
  command->callback([options, command, &context] {
    if (command->get_subcommands().empty()) context.exit_code = run_vector_job(*options, context);
  });
}

}  // namespace oi::cli
