// `omemo-interop vectors [--impl NAME] [FILE...]`: runs known-answer vectors and reports one
// result per vector record. Without --impl every vector file runs in process against the
// reference engine. With --impl NAME the protocol session vectors are replayed through the
// adapter NAME (adapters/NAME/adapter.json, PROTOCOL.md §11); the other vector files check
// primitives the adapter protocol cannot ask about and are left out, with a note.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "adapter/adapter_implementation.h"
#include "cli/adapter_registry.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/paths.h"
#include "cli/report_output.h"
#include "cli/run_metadata.h"
#include "codec/vec_file.h"
#include "crypto/random_source.h"
#include "report/expectations.h"
#include "report/vector_results.h"
#include "scenario/vector_replay.h"
#include "scenario/vector_run.h"

namespace oi::cli {

namespace fs = std::filesystem;

namespace {

// What `vectors` takes beyond the shared job options.
struct VectorsCommandOptions {
  VectorJobOptions job;
  std::string adapter;  // --impl: an adapter name; empty = in process
  std::vector<std::string> adapter_dirs;
  std::string seed = "5eed";
};

// Resolves a FILE argument: as given, else relative to the vectors directory.
fs::path resolve_vector_file(const std::string& argument) {
  fs::path path(argument);
  if (fs::exists(path)) return path;
  return vectors_dir() / path;
}

// The files named on the command line, or every vector file; false (after saying why) when
// one does not exist or there are none.
bool collect_vector_files(const std::vector<std::string>& arguments, std::vector<fs::path>& files) {
  if (arguments.empty()) {
    files = scenario::discover_vector_files(vectors_dir());
  } else {
    for (const std::string& argument : arguments) {
      fs::path path = resolve_vector_file(argument);
      if (!fs::is_regular_file(path)) {
        fmt::print(stderr, "omemo-interop: {}: no such vector file\n", argument);
        return false;
      }
      files.push_back(path);
    }
  }
  if (files.empty()) {
    fmt::print(stderr, "omemo-interop: no vector files under {}\n", vectors_dir().string());
    return false;
  }
  return true;
}

std::string relative_to_vectors(const fs::path& file) {
  std::error_code ec;
  fs::path relative = fs::relative(file, vectors_dir(), ec);
  if (ec || relative.empty() || *relative.begin() == "..") return file.string();
  return relative.generic_string();
}

// The protocol session vectors through the adapter `options.adapter`.
int run_adapter_vector_job(const VectorsCommandOptions& options, const CommandContext& context) {
  if (!formats_are_known(options.job.formats)) return kExitSetupError;
  AdapterRegistry registry = discover_adapters(options.adapter_dirs);
  const AdapterEntry* entry = registry.find(options.adapter);
  if (entry == nullptr) {
    for (const std::string& error : registry.errors) fmt::print(stderr, "{}\n", error);
    std::string known;
    for (const AdapterEntry& candidate : registry.adapters) {
      known += (known.empty() ? "" : ", ") + candidate.manifest.name;
    }
    fmt::print(stderr, "omemo-interop: no adapter named '{}' (known: {})\n", options.adapter,
               known.empty() ? "none" : known);
    return kExitSetupError;
  }
  if (!entry->unavailable.empty()) {
    fmt::print(stderr, "omemo-interop: adapter {} is unavailable: {}\n", options.adapter,
               entry->unavailable);
    return kExitSetupError;
  }
  std::optional<Bytes> seed = from_hex(options.seed);
  if (!seed || seed->empty()) {
    fmt::print(stderr, "omemo-interop: --seed wants hex digits, got '{}'\n", options.seed);
    return kExitSetupError;
  }

  std::vector<fs::path> candidates;
  if (!collect_vector_files(options.job.files, candidates)) return kExitSetupError;
  std::vector<fs::path> files;
  std::vector<std::string> left_out;
  for (const fs::path& file : candidates) {
    codec::VecParseResult parsed = codec::load_vec_file(file);
    if (scenario::is_replayable_check(parsed.file.header.check)) {
      files.push_back(file);
    } else {
      left_out.push_back(relative_to_vectors(file));
    }
  }
  if (!left_out.empty()) {
    fmt::print(
        "note: vectors --impl {} replays the protocol session vectors only (PROTOCOL.md §11); "
        "{} other file(s) check primitives the adapter protocol cannot ask about and are not "
        "run here ({}); `omemo-interop vectors` runs them in process\n",
        options.adapter, left_out.size(), fmt::join(left_out, ", "));
  }
  if (files.empty()) {
    fmt::print(stderr, "omemo-interop: none of the given files is a protocol session vector\n");
    return kExitSetupError;
  }

  report::Results results;
  results.run = current_run_info(context.argc, context.argv);
  results.run.seed = options.seed;
  add_requirement_catalogue(results);
  adapter::AdapterImplementation implementation(entry->manifest,
                                                adapter_settings(*seed, entry->manifest.name));
  const crypto::RandomSource random =
      crypto::RandomSource::seeded(*seed).derive("vectors/" + entry->manifest.name);
  std::vector<report::CaseResult> cases;
  for (const fs::path& file : files) {
    const auto started = std::chrono::steady_clock::now();
    scenario::VectorReplayRun replay =
        scenario::replay_vector_file(file, vectors_dir(), implementation, random);
    const double elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    std::vector<report::CaseResult> file_cases =
        report::vector_cases(replay.run, entry->manifest.name);
    // vector_cases lists the load errors first, then one case per outcome.
    const std::size_t first_record = replay.run.load_errors.size();
    for (std::size_t i = 0; i < file_cases.size(); ++i) {
      report::CaseResult& result = file_cases[i];
      result.profile = replay.profile;
      result.roles = {{"B", entry->manifest.name}};
      result.duration_ms = elapsed_ms / static_cast<double>(file_cases.size());
      if (i >= first_record) result.adapter_log = replay.adapter_logs[i - first_record];
      cases.push_back(std::move(result));
    }
  }

  report::ImplementationInfo info = adapter_info(*entry, nullptr);
  if (const auto& identity = implementation.identity()) {
    info.version = identity->version;
    if (!identity->backend.empty()) info.detail += "; " + identity->backend;
  }
  results.implementations.push_back(std::move(info));
  if (fs::exists(entry->manifest.expectations)) {
    report::ExpectationFile expectations = report::load_expectations(entry->manifest.expectations);
    for (const std::string& error : expectations.errors) fmt::print(stderr, "{}\n", error);
    report::apply_expectations(expectations.entries, cases);
  }
  for (report::CaseResult& result : cases) results.results.push_back(std::move(result));
  return emit_reports(results, options.job.formats, options.job.out_dir);
}

}  // namespace

int run_vector_job(const VectorJobOptions& options, const CommandContext& context) {
  if (options.implementation != "reference") {
    fmt::print(stderr,
               "omemo-interop: the in-process vector run is the reference engine's, not '{}' "
               "(adapters: vectors --impl NAME)\n",
               options.implementation);
    return kExitSetupError;
  }
  if (!formats_are_known(options.formats)) return kExitSetupError;
  std::vector<fs::path> files;
  if (!collect_vector_files(options.files, files)) return kExitSetupError;
  report::Results results;
  results.run = current_run_info(context.argc, context.argv);
  results.implementations.push_back(reference_implementation_info());
  add_requirement_catalogue(results);
  append_vector_cases(results, files, options.implementation);
  return emit_reports(results, options.formats, options.out_dir);
}

void add_vectors_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<VectorsCommandOptions>();
  options->job.formats = {"console", "json", "junit"};
  CLI::App* command = app.add_subcommand(
      "vectors", "Run known-answer vectors (vectors/**/*.vec) and report one result per vector");
  command->add_option("files", options->job.files,
                      "Vector files (path, or relative to vectors/); default: all");
  command->add_option("--impl", options->adapter,
                      "Replay the protocol session vectors through this adapter (a directory "
                      "under adapters/); default: every vector in process (reference engine)");
  // One directory per occurrence, so that FILE arguments may follow.
  command
      ->add_option("--adapter-dir", options->adapter_dirs,
                   "Where adapters are found (default: adapters/); repeatable")
      ->allow_extra_args(false);
  command->add_option("--seed", options->seed, "Hex seed for the adapter's devices (with --impl)")
      ->capture_default_str();
  command->add_option("--out", options->job.out_dir,
                      "Directory for results.json and junit.xml (default: none written)");
  command->add_option("--format", options->job.formats, "Outputs: console,json,junit")
      ->delimiter(',')
      ->capture_default_str();
  add_vectors_generate_command(*command, context);
  // Runs only when no subcommand (generate) was given.
  command->callback([options, command, &context] {
    if (!command->get_subcommands().empty()) return;
    context.exit_code = options->adapter.empty() ? run_vector_job(options->job, context)
                                                 : run_adapter_vector_job(*options, context);
  });
}

}  // namespace oi::cli
