// `omemo-interop run`: the main job. Until the scenario runner exists (issue 4), it runs every
// known-answer vector and writes the reports to reports/out/.
#include "cli/commands.h"
#include "cli/paths.h"

namespace oi::cli {

void add_run_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<VectorJobOptions>();
  options->formats = {"console", "json", "junit"};
  options->out_dir = default_out_dir().string();
  CLI::App* command = app.add_subcommand(
      "run", "Run the suite (currently: every known-answer vector) and write reports");
  command->add_option("--out", options->out_dir, "Report directory")->capture_default_str();
  command->add_option("--format", options->formats, "Outputs: console,json,junit")
      ->delimiter(',')
      ->capture_default_str();
  command->callback([options, &context] { context.exit_code = run_vector_job(*options, context); });
}

}  // namespace oi::cli
