// `omemo-interop report merge DIR... --out DIR`: joins the results.json of shards into one run
// and writes its reports. (render and diff arrive with the report renderers.)
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/report_output.h"
#include "report/merge.h"
#include "report/results_json.h"

namespace oi::cli {

namespace fs = std::filesystem;

namespace {

struct MergeOptions {
  std::vector<std::string> inputs;
  std::string out_dir;
  std::vector<std::string> formats = {"console", "json", "junit"};
};

int merge(const MergeOptions& options) {
  if (!formats_are_known(options.formats)) return kExitSetupError;
  std::vector<report::Results> shards;
  try {
    for (const std::string& input : options.inputs) {
      fs::path file = fs::is_directory(input) ? fs::path(input) / "results.json" : fs::path(input);
      std::ifstream in(file);
      if (!in) {
        fmt::print(stderr, "omemo-interop: {}: cannot read\n", file.string());
        return kExitSetupError;
      }
      nlohmann::json document = nlohmann::json::parse(in);
      shards.push_back(report::results_from_json(document, file.string()));
    }
    return emit_reports(report::merge_results(shards), options.formats, options.out_dir);
  } catch (const std::exception& e) {
    fmt::print(stderr, "omemo-interop: report merge: {}\n", e.what());
    return kExitSetupError;
  }
}

}  // namespace

void add_report_command(CLI::App& app, CommandContext& context) {
  CLI::App* command = app.add_subcommand("report", "Work with results.json files");
  command->require_subcommand(1);
  auto options = std::make_shared<MergeOptions>();
  CLI::App* merge_command =
      command->add_subcommand("merge", "Merge the results of shards into one run");
  merge_command->add_option("inputs", options->inputs, "Shard directories or results.json files")
      ->required();
  merge_command->add_option("--out", options->out_dir, "Directory for the merged reports")
      ->required();
  merge_command->add_option("--format", options->formats, "Outputs: console,json,junit")
      ->delimiter(',')
      ->capture_default_str();
  merge_command->callback([options, &context] { context.exit_code = merge(*options); });
}

}  // namespace oi::cli
