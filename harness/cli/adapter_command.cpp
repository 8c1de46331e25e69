// `omemo-interop adapter check NAME|DIR|COMMAND`: the adapter contract self-test
// (PROTOCOL.md §15). NAME is an adapter under the adapter directories, DIR a directory holding
// an adapter.json, COMMAND a command line of an adapter without adapter.json yet (its
// declarations are then taken from its initialize answer). Exit 0 when every item passes,
// 1 when one fails, 2 when the adapter cannot be found or run here.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <sstream>

#include "adapter/adapter_process.h"
#include "cli/adapter_registry.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/paths.h"

namespace oi::cli {

namespace fs = std::filesystem;

namespace {

struct AdapterCheckOptions {
  std::string target;
  std::vector<std::string> adapter_dirs;
  std::string seed = "5eed";
  bool verbose = false;
};

std::vector<std::string> split_command(const std::string& command) {
  std::istringstream in(command);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// A manifest for an adapter that has none: the declarations come from its initialize answer.
std::optional<adapter::AdapterManifest> manifest_from_command(const std::string& command,
                                                              std::string& error) {
  adapter::AdapterManifest manifest;
  manifest.argv = split_command(command);
  if (manifest.argv.empty()) {
    error = "empty command";
    return std::nullopt;
  }
  manifest.directory = fs::current_path();
  manifest.name = fs::path(manifest.argv[0]).filename().string();
  manifest.protocol = "1.0";
  manifest.description = command;
  adapter::LaunchSpec launch;
  launch.argv = manifest.argv;
  adapter::AdapterProcess process(launch);
  adapter::Reply started = process.start();
  if (!started.ok()) {
    error = started.message;
    return std::nullopt;
  }
  nlohmann::json params{
      {"protocol", "1.0"},
      {"profiles", {"legacy", "omemo2"}},
      {"seed", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},
      {"harness", {{"name", "omemo-interop"}, {"version", OMEMO_INTEROP_VERSION}}}};
  adapter::Reply reply = process.request("initialize", params, manifest.timeouts.startup);
  if (!reply.ok() || !reply.result || !reply.result->is_object()) {
    error = fmt::format("initialize failed: {}", reply.ok() ? reply.error->dump() : reply.message);
    return std::nullopt;
  }
  try {
    for (const auto& name : reply.result->at("profiles")) {
      std::optional<codec::Profile> profile = codec::profile_from_name(name.get<std::string>());
      if (profile) manifest.profiles.push_back(*profile);
    }
    for (const auto& capability : reply.result->at("capabilities")) {
      manifest.capabilities.push_back(capability.get<std::string>());
    }
  } catch (const std::exception& e) {
    error = fmt::format("initialize result: {}", e.what());
    return std::nullopt;
  }
  if (manifest.profiles.empty()) {
    error = "initialize declares no known profile";
    return std::nullopt;
  }
  return manifest;
}

int check(const AdapterCheckOptions& options) {
  std::optional<adapter::AdapterManifest> manifest;
  AdapterRegistry registry = discover_adapters(options.adapter_dirs);
  if (const AdapterEntry* entry = registry.find(options.target)) {
    if (!entry->unavailable.empty()) {
      fmt::print(stderr, "omemo-interop: adapter {} is unavailable: {}\n", options.target,
                 entry->unavailable);
      return kExitSetupError;
    }
    manifest = entry->manifest;
  } else if (fs::is_directory(options.target) &&
             fs::exists(fs::path(options.target) / "adapter.json")) {
    adapter::ManifestLoad load = adapter::load_manifest(
        fs::absolute(options.target), {build_dir().string(), project_root().string()});
    if (!load.manifest) {
      fmt::print(stderr, "omemo-interop: {}\n", load.error);
      return kExitSetupError;
    }
    if (std::string why = adapter::unavailability_reason(*load.manifest); !why.empty()) {
      fmt::print(stderr, "omemo-interop: adapter {} is unavailable: {}\n", options.target, why);
      return kExitSetupError;
    }
    manifest = std::move(load.manifest);
  } else {
    for (const std::string& error : registry.errors) fmt::print(stderr, "{}\n", error);
    std::string error;
    manifest = manifest_from_command(options.target, error);
    if (!manifest) {
      fmt::print(stderr,
                 "omemo-interop: '{}' is no known adapter, adapter directory, or working "
                 "adapter command: {}\n",
                 options.target, error);
      return kExitSetupError;
    }
  }

  std::optional<Bytes> seed = from_hex(options.seed);
  if (!seed || seed->empty()) {
    fmt::print(stderr, "omemo-interop: --seed wants hex digits, got '{}'\n", options.seed);
    return kExitSetupError;
  }
  scenario::AdapterCheckReport report =
      scenario::check_adapter(*manifest, adapter_settings(*seed, manifest->name));
  fmt::print("adapter check: {} ({})\n", manifest->name, fmt::join(manifest->argv, " "));
  if (!report.version.empty()) {
    fmt::print("  implementation {} {}\n", report.version, report.backend);
  }
  for (const scenario::AdapterCheckItem& item : report.items) {
    const char* status = item.skipped ? "skip" : item.passed ? "pass" : "FAIL";
    fmt::print("  {:<4}  {:<16} {}\n", status, item.name, item.message);
  }
  if (!report.passed() || options.verbose) {
    if (!report.log.empty()) fmt::print("adapter stderr:\n{}\n", report.log);
  }
  fmt::print("{}\n", report.passed() ? "adapter check passed" : "adapter check FAILED");
  return report.passed() ? kExitExpected : kExitUnexpected;
}

}  // namespace

void add_adapter_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<AdapterCheckOptions>();
  CLI::App* command = app.add_subcommand("adapter", "Work with adapters");
  command->require_subcommand(1);
  CLI::App* check_command = command->add_subcommand(
      "check", "The adapter contract self-test (adapters/PROTOCOL.md section 15)");
  check_command
      ->add_option("adapter", options->target,
                   "Adapter name, directory with adapter.json, or command line")
      ->required();
  check_command->add_option("--adapter-dir", options->adapter_dirs,
                            "Where adapters are found (default: adapters/)");
  check_command->add_option("--seed", options->seed, "Hex seed")->capture_default_str();
  check_command->add_flag("--verbose", options->verbose, "Show the adapter's stderr");
  check_command->callback([options, &context] { context.exit_code = check(*options); });
}

}  // namespace oi::cli
