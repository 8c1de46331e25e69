// Subcommand registration. Each subcommand lives in its own file and registers itself on the
// application; its callback stores the process exit code in the shared context.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace oi::cli {

struct CommandContext {
  int argc = 0;
  char** argv = nullptr;
  int exit_code = 0;
};

void add_version_command(CLI::App& app, CommandContext& context);
void add_list_command(CLI::App& app, CommandContext& context);
void add_vectors_command(CLI::App& app, CommandContext& context);
// `vectors generate`, registered under the `vectors` subcommand.
void add_vectors_generate_command(CLI::App& vectors, CommandContext& context);
void add_lint_command(CLI::App& app, CommandContext& context);
void add_run_command(CLI::App& app, CommandContext& context);
void add_adapter_command(CLI::App& app, CommandContext& context);
void add_report_command(CLI::App& app, CommandContext& context);
void add_bench_command(CLI::App& app, CommandContext& context);
// `bench adapter`, registered under the `bench` subcommand.
void add_bench_adapter_command(CLI::App& bench, CommandContext& context);

// The known-answer vector job shared by `vectors` and `run`.
struct VectorJobOptions {
  std::vector<std::string> files;  // empty = every vector file
  std::string implementation = "reference";
  std::string out_dir;               // empty = write no files
  std::vector<std::string> formats;  // console, json, junit
};
int run_vector_job(const VectorJobOptions& options, const CommandContext& context);

}  // namespace oi::cli
