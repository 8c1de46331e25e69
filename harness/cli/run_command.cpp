// `omemo-interop run`: the main job. Runs every known-answer vector and every scenario cell
// (scenario x profile x role binding) on the embedded XMPP service, applies the expectation
// files, and writes the reports (default reports/out/).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <regex>
#include <set>

#include "cli/adapter_registry.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/paths.h"
#include "cli/report_output.h"
#include "cli/run_metadata.h"
#include "crypto/random_source.h"
#include "engine/client/reference_client.h"
#include "report/expectations.h"
#include "report/progress.h"
#include "report/scenario_results.h"
#include "scenario/matrix.h"
#include "scenario/scenario_loader.h"
#include "scenario/suite_runner.h"
#include "scenario/vector_run.h"

namespace oi::cli {

namespace fs = std::filesystem;

namespace {

struct RunOptions {
  std::vector<std::string> implementations;  // empty: every available one
  std::vector<std::string> pairs;            // "A:B"
  std::vector<std::string> profiles;
  std::string scenario_glob;
  std::string requirement;
  std::string seed;  // hex; empty: drawn from the OS and recorded
  int jobs = 1;
  std::string shard;  // "K/N"
  std::vector<std::string> expectations;
  std::string out_dir = default_out_dir().string();
  std::vector<std::string> formats = {"console", "json", "junit", "html", "markdown"};
  std::vector<std::string> break_reference;  // knobs switched on for every reference device
  bool skip_vectors = false;
  std::vector<std::string> adapter_dirs;  // empty: adapters/
  bool reference_via_adapter = false;     // the reference engine through adapters/reference
  bool debug = false;                     // lift adapter request and case timeouts
};

// The implementations of a run: the in-process reference engine and the adapters chosen.
struct RunImplementations {
  std::vector<std::string> names;  // selected, in matrix order
  std::vector<const AdapterEntry*>
      adapters;  // the selected adapters (incl. a via-adapter reference)
  std::map<std::string, std::string> broken;  // adapter -> why its cells are `error` unrun
};

// Picks the implementations (PROTOCOL.md §14: without --impl every available adapter; naming
// an unavailable or unknown one is a set-up error). Returns nullopt after printing the problem.
std::optional<RunImplementations> select_implementations(const RunOptions& options,
                                                         const AdapterRegistry& registry) {
  RunImplementations selected;
  std::vector<std::string> wanted = options.implementations;
  for (const std::string& pair : options.pairs) {
    std::size_t colon = pair.find(':');
    if (colon == std::string::npos) continue;
    for (std::string name : {pair.substr(0, colon), pair.substr(colon + 1)}) {
      if (std::find(wanted.begin(), wanted.end(), name) == wanted.end()) wanted.push_back(name);
    }
  }
  bool explicit_choice = !wanted.empty();
  if (!explicit_choice) {
    wanted.push_back("reference");
    for (const AdapterEntry& entry : registry.adapters) {
      // adapters/reference is the reference engine itself: --reference-via-adapter uses it.
      if (entry.manifest.name != "reference" && entry.unavailable.empty()) {
        wanted.push_back(entry.manifest.name);
      }
    }
  }
  for (const std::string& name : wanted) {
    if (name == "reference" && !options.reference_via_adapter) {
      selected.names.push_back(name);
      continue;
    }
    const AdapterEntry* entry = registry.find(name);
    if (entry == nullptr) {
      std::vector<std::string> known = {"reference"};
      for (const AdapterEntry& adapter : registry.adapters) known.push_back(adapter.manifest.name);
      fmt::print(stderr, "omemo-interop: unknown implementation '{}' (known: {})\n", name,
                 fmt::join(known, ", "));
      return std::nullopt;
    }
    if (!entry->unavailable.empty()) {
      fmt::print(stderr, "omemo-interop: implementation '{}' is unavailable: {}\n", name,
                 entry->unavailable);
      return std::nullopt;
    }
    selected.names.push_back(name);
    selected.adapters.push_back(entry);
  }
  return selected;
}

std::optional<std::pair<int, int>> parse_shard(const std::string& text) {
  static const std::regex kShard(R"((\d+)/(\d+))");
  std::smatch match;
  if (!std::regex_match(text, match, kShard)) return std::nullopt;
  int index = std::stoi(match[1]), count = std::stoi(match[2]);
  if (count < 1 || index < 1 || index > count) return std::nullopt;
  return std::pair{index, count};
}

int run(const RunOptions& options, const CommandContext& context) {
  if (!formats_are_known(options.formats)) return kExitSetupError;

  AdapterRegistry registry = discover_adapters(options.adapter_dirs);
  for (const std::string& error : registry.errors) fmt::print(stderr, "omemo-interop: {}\n", error);
  std::optional<RunImplementations> selected = select_implementations(options, registry);
  if (!selected) return kExitSetupError;
  engine::client::ReferenceImplementation reference;

  scenario::MatrixSelection selection;
  selection.scenario_glob = options.scenario_glob;
  selection.requirement = options.requirement;
  for (const std::string& name : options.profiles) {
    std::optional<codec::Profile> profile = codec::profile_from_name(name);
    if (!profile) {
      fmt::print(stderr, "omemo-interop: unknown profile '{}' (legacy, omemo2)\n", name);
      return kExitSetupError;
    }
    selection.profiles.push_back(*profile);
  }
  for (const std::string& pair : options.pairs) {
    std::size_t colon = pair.find(':');
    if (colon == std::string::npos) {
      fmt::print(stderr, "omemo-interop: --pair wants PRODUCER:CONSUMER, got '{}'\n", pair);
      return kExitSetupError;
    }
    selection.pairs.emplace_back(pair.substr(0, colon), pair.substr(colon + 1));
  }
  std::optional<std::pair<int, int>> shard{std::pair{1, 1}};
  if (!options.shard.empty() && !(shard = parse_shard(options.shard))) {
    fmt::print(stderr, "omemo-interop: --shard wants K/N with 1 <= K <= N, got '{}'\n",
               options.shard);
    return kExitSetupError;
  }

  scenario::RunSettings settings;
  std::string seed_hex = options.seed;
  if (seed_hex.empty()) seed_hex = to_hex(crypto::RandomSource::os().bytes(8));
  std::optional<Bytes> seed = from_hex(seed_hex);
  if (!seed || seed->empty()) {
    fmt::print(stderr, "omemo-interop: --seed wants hex digits, got '{}'\n", seed_hex);
    return kExitSetupError;
  }
  settings.seed = *seed;
  for (const std::string& name : options.break_reference) {
    std::optional<engine::Misbehaviour> knob = engine::misbehaviour_from_name(name);
    if (!knob) {
      fmt::print(stderr, "omemo-interop: unknown misbehaviour knob '{}'\n", name);
      return kExitSetupError;
    }
    settings.global_knobs.push_back(*knob);
  }

  scenario::ScenarioSet loaded = scenario::load_scenarios(scenarios_dir());
  report::Results results;
  results.run = current_run_info(context.argc, context.argv);
  results.run.seed = seed_hex;
  results.run.shard = options.shard;
  report::ImplementationInfo reference_info = reference_implementation_info();
  if (options.reference_via_adapter) reference_info.detail += "; driven through adapters/reference";
  results.implementations.push_back(reference_info);
  add_requirement_catalogue(results);
  // A scenario file that does not load is an error case, not a silent omission.
  for (std::size_t i = 0; i < loaded.errors.size(); ++i) {
    report::CaseResult broken;
    broken.id = fmt::format("scenario-load-error/{}", i + 1);
    broken.scenario = "scenarios";
    broken.verdict = scenario::Verdict::error;
    broken.unexpected = true;
    broken.message = loaded.errors[i];
    results.results.push_back(std::move(broken));
  }

  // Vectors are cheap and shard-independent: shard 1 carries them.
  if (!options.skip_vectors && shard->first == 1) {
    append_vector_cases(results, scenario::discover_vector_files(vectors_dir()), "reference");
  }

  // The contract self-test before an adapter's first case (PROTOCOL.md §15): an adapter bug is
  // reported as an adapter bug, and its cells are `error` without running.
  std::map<std::string, scenario::AdapterCheckReport> checks;
  std::vector<report::CaseResult> check_cases;
  for (const AdapterEntry* entry : selected->adapters) {
    scenario::AdapterCheckReport check = scenario::check_adapter(
        entry->manifest, adapter_settings(settings.seed, entry->manifest.name, options.debug));
    // With the cells, so that an adapter's expectations apply to its check items too.
    for (report::CaseResult& result : adapter_check_cases(check)) {
      check_cases.push_back(std::move(result));
    }
    if (std::string blocking = check.blocking_failure(); !blocking.empty()) {
      selected->broken[entry->manifest.name] = "adapter check failed: " + blocking;
    }
    checks.emplace(entry->manifest.name, std::move(check));
  }
  for (const AdapterEntry& entry : registry.adapters) {
    if (entry.manifest.name == "reference") continue;  // listed as the engine above
    auto check = checks.find(entry.manifest.name);
    results.implementations.push_back(
        adapter_info(entry, check == checks.end() ? nullptr : &check->second));
  }

  std::vector<scenario::ImplementationProfiles> available;
  for (const std::string& name : selected->names) {
    const AdapterEntry* entry = registry.find(name);
    bool in_process = name == "reference" && !options.reference_via_adapter;
    available.push_back({name, in_process ? reference.profiles() : entry->manifest.profiles});
  }
  // Each worker owns its adapter instances; the in-process reference is shared.
  scenario::ImplementationFactory factory = [&] {
    scenario::WorkerImplementations worker;
    if (!options.reference_via_adapter) worker.map["reference"] = &reference;
    for (const AdapterEntry* entry : selected->adapters) {
      if (selected->broken.contains(entry->manifest.name)) continue;
      worker.owned.push_back(std::make_unique<adapter::AdapterImplementation>(
          entry->manifest, adapter_settings(settings.seed, entry->manifest.name, options.debug)));
      worker.map[entry->manifest.name] = worker.owned.back().get();
    }
    return worker;
  };
  std::vector<scenario::Cell> cells = scenario::shard_cells(
      scenario::expand_cells(loaded.scenarios, available, selection), shard->first, shard->second);
  // Cells of a broken adapter are not run.
  std::vector<scenario::Cell> runnable;
  std::vector<std::optional<std::string>> unrun(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    for (const auto& [role, name] : cells[i].roles) {
      if (auto broken = selected->broken.find(name); broken != selected->broken.end()) {
        unrun[i] = fmt::format("{}: {}", name, broken->second);
      }
    }
    if (!unrun[i]) runnable.push_back(cells[i]);
  }
  report::ProgressBar progress(stdout);  // a terminal only, after a moment
  std::vector<scenario::CellResult> ran =
      scenario::run_cells(runnable, factory, settings, options.jobs,
                          [&](const scenario::CellResult& result, std::size_t done,
                              std::size_t total) { progress.update(done, total, result.id); });
  progress.finish();
  std::vector<report::CaseResult> cases = std::move(check_cases);
  std::set<std::string> declared_unsupported;  // case ids
  for (std::size_t i = 0, next_ran = 0; i < cells.size(); ++i) {
    if (unrun[i]) {
      scenario::CellResult result;
      result.id = cells[i].id();
      result.verdict = scenario::Verdict::error;
      result.message = *unrun[i];
      cases.push_back(report::cell_case(cells[i], result));
    } else {
      const scenario::CellResult& result = ran[next_ran++];
      report::CaseResult& added = cases.emplace_back(report::cell_case(cells[i], result));
      if (result.unsupported_by_declaration) declared_unsupported.insert(added.id);
    }
  }

  std::vector<std::string> expectation_files = options.expectations;
  if (expectation_files.empty()) {
    for (const std::string& name : selected->names) {
      const AdapterEntry* entry = registry.find(name);
      fs::path file = entry != nullptr ? entry->manifest.expectations
                                       : project_root() / "adapters" / name / "expectations";
      if (fs::exists(file)) expectation_files.push_back(file.string());
    }
  }
  // One list, files in path order, first matching entry wins: the outcome does not depend on
  // the order of --impl / --pair on the command line.
  std::sort(expectation_files.begin(), expectation_files.end());
  std::vector<report::Expectation> entries;
  for (const std::string& file : expectation_files) {
    report::ExpectationFile expectations = report::load_expectations(file);
    for (const std::string& error : expectations.errors) fmt::print(stderr, "{}\n", error);
    if (!expectations.errors.empty() && !fs::exists(file)) return kExitSetupError;
    entries.insert(entries.end(), expectations.entries.begin(), expectations.entries.end());
  }
  report::apply_expectations(entries, cases);
  // A verdict an implementation's own declaration predicts stays expected, whatever an entry
  // says (PROTOCOL.md §8).
  for (report::CaseResult& result : cases) {
    if (declared_unsupported.contains(result.id)) {
      result.expected = "unsupported";
      result.unexpected = false;  // expectations never turn an unsupported verdict into another
      if (result.expectation_reason.empty()) {
        result.expectation_reason =
            "an implementation does not declare what this case needs (PROTOCOL.md §8)";
      }
    }
  }
  for (report::CaseResult& result : cases) results.results.push_back(std::move(result));
  return emit_reports(results, options.formats, options.out_dir);
}

}  // namespace

void add_run_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* command = app.add_subcommand(
      "run", "Run the vectors and the scenario suite on the embedded XMPP service; write reports");
  command->add_option("--impl", options->implementations,
                      "Implementations under test (default: every available one)");
  command->add_option("--pair", options->pairs, "Only this PRODUCER:CONSUMER pair (repeatable)");
  command->add_option("--profile", options->profiles, "legacy and/or omemo2 (default: both)")
      ->check(CLI::IsMember({"legacy", "omemo2"}));
  command->add_option("--scenario", options->scenario_glob, "Scenario id glob, e.g. 'session/*'");
  command->add_option("--requirement", options->requirement,
                      "Only scenarios citing this requirement ID");
  command->add_option("--seed", options->seed,
                      "Hex seed: the same seed gives the same bytes (default: random, recorded)");
  command->add_option("--jobs", options->jobs, "Cells run in parallel")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command->add_option("--shard", options->shard, "Run shard K of N (K/N)");
  command->add_option("--expectations", options->expectations,
                      "Expectation files (default: adapters/<name>/expectations)");
  command->add_option("--out", options->out_dir, "Report directory")->capture_default_str();
  command->add_option("--format", options->formats, "Outputs: console,json,junit,html,markdown")
      ->delimiter(',')
      ->capture_default_str();
  command->add_option("--break-reference", options->break_reference,
                      "Switch a misbehaviour knob on for every reference device (to check that "
                      "the suite catches a broken implementation)");
  command->add_flag("--no-vectors", options->skip_vectors, "Skip the known-answer vectors");
  command->add_option("--adapter-dir", options->adapter_dirs,
                      "Where adapters are found (repeatable; default: adapters/)");
  command->add_flag("--reference-via-adapter", options->reference_via_adapter,
                    "Drive the reference engine through adapters/reference instead of in process");
  command->add_flag("--debug", options->debug,
                    "Lift adapter request and case timeouts (an adapter under a debugger)");
  command->callback([options, &context] { context.exit_code = run(*options, context); });
}

}  // namespace oi::cli
