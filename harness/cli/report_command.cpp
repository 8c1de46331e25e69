// `omemo-interop report`: work with results.json files without re-running anything.
//   merge DIR... --out DIR          joins the results.json of shards into one run
//   render results.json --out DIR   re-renders the reports (index.html, matrix.md, junit.xml...)
//   diff OLD.json NEW.json          new failures, fixed cases, changed verdicts; exit 1 on new
//                                   failures
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/report_output.h"
#include "report/merge.h"
#include "report/results_diff.h"
#include "report/results_json.h"

namespace oi::cli {

namespace fs = std::filesystem;

namespace {

struct MergeOptions {
  std::vector<std::string> inputs;
  std::string out_dir;
  std::vector<std::string> formats = {"console", "json", "junit", "html", "markdown"};
};

struct RenderOptions {
  std::string input;
  std::string out_dir;
  std::vector<std::string> formats = {"html", "markdown", "junit"};
};

struct DiffOptions {
  std::string old_input, new_input;
  std::string markdown_out;  // also write the Markdown form here ("-" = stdout)
};

// Reads a results.json (or DIR/results.json). Throws std::runtime_error naming the file.
report::Results load_results(const std::string& input) {
  fs::path file = fs::is_directory(input) ? fs::path(input) / "results.json" : fs::path(input);
  std::ifstream in(file);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read", file.string()));
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(fmt::format("{}: {}", file.string(), e.what()));
  }
  return report::results_from_json(document, file.string());
}

int merge(const MergeOptions& options) {
  if (!formats_are_known(options.formats)) return kExitSetupError;
  std::vector<report::Results> shards;
  try {
    for (const std::string& input : options.inputs) shards.push_back(load_results(input));
    return emit_reports(report::merge_results(shards), options.formats, options.out_dir);
  } catch (const std::exception& e) {
    fmt::print(stderr, "omemo-interop: report merge: {}\n", e.what());
    return kExitSetupError;
  }
}

int render(const RenderOptions& options) {
  if (!formats_are_known(options.formats)) return kExitSetupError;
  try {
    auto started = std::chrono::steady_clock::now();
    report::Results results = load_results(options.input);
    int code = emit_reports(results, options.formats, options.out_dir);
    fmt::print(stderr, "rendered in {:.2f} s\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return code;
  } catch (const std::exception& e) {
    fmt::print(stderr, "omemo-interop: report render: {}\n", e.what());
    return kExitSetupError;
  }
}

int diff(const DiffOptions& options) {
  try {
    report::Results old_results = load_results(options.old_input);
    report::Results new_results = load_results(options.new_input);
    report::ResultsDiff changes = report::diff_results(old_results, new_results);
    report::print_diff_console(changes, std::cout);
    if (!options.markdown_out.empty()) {
      std::string markdown =
          report::render_diff_markdown(changes, options.old_input, options.new_input);
      if (options.markdown_out == "-") {
        std::cout << '\n' << markdown;
      } else {
        std::ofstream out(options.markdown_out, std::ios::binary);
        out << markdown;
        if (!out) throw std::runtime_error(options.markdown_out + ": write failed");
      }
    }
    return changes.new_failures.empty() ? kExitExpected : kExitUnexpected;
  } catch (const std::exception& e) {
    fmt::print(stderr, "omemo-interop: report diff: {}\n", e.what());
    return kExitSetupError;
  }
}

}  // namespace

void add_report_command(CLI::App& app, CommandContext& context) {
  CLI::App* command = app.add_subcommand("report", "Work with results.json files");
  command->require_subcommand(1);

  auto merge_options = std::make_shared<MergeOptions>();
  CLI::App* merge_command =
      command->add_subcommand("merge", "Merge the results of shards into one run");
  merge_command
      ->add_option("inputs", merge_options->inputs, "Shard directories or results.json files")
      ->required();
  merge_command->add_option("--out", merge_options->out_dir, "Directory for the merged reports")
      ->required();
  merge_command
      ->add_option("--format", merge_options->formats, "Outputs: console,json,junit,html,markdown")
      ->delimiter(',')
      ->capture_default_str();
  merge_command->callback([merge_options, &context] { context.exit_code = merge(*merge_options); });

  auto render_options = std::make_shared<RenderOptions>();
  CLI::App* render_command = command->add_subcommand(
      "render", "Re-render the reports of a results.json without re-running anything");
  render_command->add_option("input", render_options->input, "results.json or its directory")
      ->required();
  render_command->add_option("--out", render_options->out_dir, "Directory for the reports")
      ->required();
  render_command
      ->add_option("--format", render_options->formats, "Outputs: console,json,junit,html,markdown")
      ->delimiter(',')
      ->capture_default_str();
  render_command->callback(
      [render_options, &context] { context.exit_code = render(*render_options); });

  auto diff_options = std::make_shared<DiffOptions>();
  CLI::App* diff_command = command->add_subcommand(
      "diff",
      "New failures, fixed cases and changed verdicts between two runs (exit 1 on new "
      "failures)");
  diff_command->add_option("old", diff_options->old_input, "The earlier results.json")->required();
  diff_command->add_option("new", diff_options->new_input, "The later results.json")->required();
  diff_command->add_option("--markdown", diff_options->markdown_out,
                           "Also write the diff as Markdown to this file ('-' for stdout)");
  diff_command->callback([diff_options, &context] { context.exit_code = diff(*diff_options); });
}

}  // namespace oi::cli
