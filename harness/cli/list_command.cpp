// `omemo-interop list scenarios|requirements|impls|vectors`.
#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/paths.h"
#include "codec/vec_file.h"
#include "scenario/requirement_catalogue.h"
#include "scenario/scenario_loader.h"
#include "scenario/vector_run.h"

namespace oi::cli {

namespace fs = std::filesystem;

namespace {

// Every vector file, parsed but not run: listing needs the headers and the record counts only.
struct ListedVectorFile {
  std::string relative_path;
  codec::VecParseResult parsed;
};

std::vector<ListedVectorFile> parse_all_vectors() {
  std::vector<ListedVectorFile> files;
  for (const fs::path& file : scenario::discover_vector_files(vectors_dir())) {
    files.push_back({fs::relative(file, vectors_dir()).string(), codec::load_vec_file(file)});
  }
  return files;
}

int list_vectors() {
  for (const ListedVectorFile& listed : parse_all_vectors()) {
    const codec::VecFile& file = listed.parsed.file;
    std::string cited;
    for (const std::string& id : file.header.requirements) cited += (cited.empty() ? "" : ",") + id;
    fmt::print(
        "{:<45} {:>5} vectors  {}  [{}]{}\n", listed.relative_path, file.records.size(),
        file.header.title, cited,
        listed.parsed.ok() ? "" : fmt::format("  ({} load errors)", listed.parsed.errors.size()));
  }
  return kExitExpected;
}

int list_requirements() {
  scenario::RequirementCatalogue catalogue = scenario::load_requirement_catalogue(catalogue_file());
  for (const std::string& error : catalogue.load_errors) fmt::print(stderr, "{}\n", error);
  if (catalogue.requirements.empty()) return kExitSetupError;
  // Vector records citing each requirement, and scenarios citing it (in <requirements> or on an
  // expectation).
  std::map<std::string, std::size_t> vector_checks, scenario_checks;
  for (const ListedVectorFile& listed : parse_all_vectors()) {
    for (const std::string& id : listed.parsed.file.header.requirements) {
      vector_checks[id] += listed.parsed.file.records.size();
    }
  }
  scenario::ScenarioSet scenarios = scenario::load_scenarios(scenarios_dir());
  for (const scenario::Scenario& scenario : scenarios.scenarios) {
    std::set<std::string> cited(scenario.requirements.begin(), scenario.requirements.end());
    for (const scenario::Step& step : scenario.steps) {
      if (step.has("requirement")) cited.insert(step.get("requirement"));
    }
    for (const std::string& id : cited) ++scenario_checks[id];
  }
  std::size_t unchecked = 0;
  fmt::print("{:<10} {:<22} {:>7} {:>9}  {}\n", "id", "level", "vectors", "scenarios", "summary");
  for (const scenario::Requirement& requirement : catalogue.requirements) {
    std::size_t vectors = vector_checks[requirement.id];
    std::size_t in_scenarios = scenario_checks[requirement.id];
    if (vectors + in_scenarios == 0) ++unchecked;
    fmt::print("{:<10} {:<22.22} {:>7} {:>9}  {}\n", requirement.id, requirement.level, vectors,
               in_scenarios, requirement.summary());
  }
  fmt::print("\n{} requirements, {} with no check yet\n", catalogue.requirements.size(), unchecked);
  return kExitExpected;
}

int list_scenarios() {
  std::vector<std::string> names;
  if (fs::is_directory(scenarios_dir())) {
    for (const auto& entry : fs::recursive_directory_iterator(scenarios_dir())) {
      if (entry.is_regular_file() && entry.path().extension() == ".xml") {
        names.push_back(fs::relative(entry.path(), scenarios_dir()).string());
      }
    }
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) fmt::print("{}\n", name);
  fmt::print("{} scenarios\n", names.size());
  return kExitExpected;
}

int list_implementations() {
  fmt::print("{:<12} {:<8} {:<16} {}\n", "name", "kind", "profiles", "status");
  fmt::print("{:<12} {:<8} {:<16} {}\n", "reference", "engine", "legacy,omemo2",
             "available: legacy on libsignal-protocol-c, omemo2 from the XEP (in process)");
  std::size_t adapters = 0;
  fs::path adapters_dir = project_root() / "adapters";
  if (fs::is_directory(adapters_dir)) {
    for (const auto& entry : fs::directory_iterator(adapters_dir)) {
      if (fs::is_regular_file(entry.path() / "adapter.json")) {
        fmt::print("{:<12} {:<8} {:<16} {}\n", entry.path().filename().string(), "adapter", "?",
                   "adapter.json present (the adapter driver is not built yet)");
        ++adapters;
      }
    }
  }
  fmt::print("{} adapters\n", adapters);
  return kExitExpected;
}

}  // namespace

void add_list_command(CLI::App& app, CommandContext& context) {
  auto what = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("list", "List scenarios, requirements, impls or vectors");
  command->add_option("what", *what, "scenarios|requirements|impls|vectors")
      ->required()
      ->check(CLI::IsMember({"scenarios", "requirements", "impls", "vectors"}));
  command->callback([what, &context] {
    if (*what == "vectors") context.exit_code = list_vectors();
    if (*what == "requirements") context.exit_code = list_requirements();
    if (*what == "scenarios") context.exit_code = list_scenarios();
    if (*what == "impls") context.exit_code = list_implementations();
  });
}

}  // namespace oi::cli
