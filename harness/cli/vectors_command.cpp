// `omemo-interop vectors [--impl NAME] [FILE...]`: runs known-answer vectors and reports one
// result per vector record.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/paths.h"
#include "cli/run_metadata.h"
#include "report/console.h"
#include "report/junit.h"
#include "report/results_json.h"
#include "report/vector_results.h"
#include "scenario/requirement_catalogue.h"
#include "scenario/vector_run.h"

namespace oi::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormats[] = {"console", "json", "junit"};

report::ImplementationInfo reference_crypto_info() {
  return {"reference", OMEMO_INTEROP_VERSION,
          "engine",    {"legacy", "omemo2"},
          true,        "omemo-interop's own crypto layer (OpenSSL 3, libsodium)"};
}

// Resolves a FILE argument: as given, else relative to the vectors directory.
fs::path resolve_vector_file(const std::string& argument) {
  fs::path path(argument);
  if (fs::exists(path)) return path;
  return vectors_dir() / path;
}

bool has_format(const std::vector<std::string>& formats, const char* format) {
  return std::find(formats.begin(), formats.end(), format) != formats.end();
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
  for (const std::string& format : options.formats) {
    if (std::find(std::begin(kFormats), std::end(kFormats), format) == std::end(kFormats)) {
      fmt::print(stderr, "omemo-interop: unknown format '{}' (available: console, json, junit)\n",
                 format);
      return kExitSetupError;
    }
  }
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
  results.implementations.push_back(reference_crypto_info());
  scenario::RequirementCatalogue catalogue = scenario::load_requirement_catalogue(catalogue_file());
  for (const std::string& error : catalogue.load_errors) fmt::print(stderr, "{}\n", error);
  for (const scenario::Requirement& requirement : catalogue.requirements) {
    results.requirements.push_back(
        {requirement.id, requirement.level, requirement.section, requirement.text});
  }
  for (const fs::path& file : files) {
    auto started = std::chrono::steady_clock::now();
    scenario::VectorFileRun run = scenario::run_vector_file(file, vectors_dir());
    double elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    std::vector<report::CaseResult> cases = report::vector_cases(run, options.implementation);
    for (report::CaseResult& result : cases) {
      result.duration_ms = elapsed_ms / static_cast<double>(cases.size());
      results.results.push_back(std::move(result));
    }
  }

  if (has_format(options.formats, "console")) report::print_console_report(results, std::cout);
  if (!options.out_dir.empty()) {
    if (has_format(options.formats, "json")) {
      fmt::print("wrote {}\n", report::write_results_json(results, options.out_dir).string());
    }
    if (has_format(options.formats, "junit")) {
      fmt::print("wrote {}\n", report::write_junit_xml(results, options.out_dir).string());
    }
  }
  return results.summary().unexpected == 0 ? kExitExpected : kExitUnexpected;
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
  // Runs only when no subcommand (generate) was given.
  command->callback([options, command, &context] {
    if (command->get_subcommands().empty()) context.exit_code = run_vector_job(*options, context);
  });
}

}  // namespace oi::cli
