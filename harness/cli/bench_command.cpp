// `omemo-interop bench engine [--filter REGEX] [--min-time S] [--libomemo-c-bench PATH]`:
// measures the reference engine against raw libsignal-protocol-c (in process) and raw libomemo-c
// (in its own process: the two libraries must never share one), plus the curve primitives that
// bound a session setup, and prints a table and the target ratios (bench_report.cpp).
//
// Contract: exit 0 when the benchmarks ran, whatever the numbers (targets are reported, never
// asserted: benchmarks are not timed tests); 2 for a usage error or a benchmark that could not
// run at all. A missing libomemo-c program is a note, not an error.
#include <fmt/format.h>

#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "cli/bench.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace oi::cli {

namespace {

struct BenchOptions {
  std::string filter;  // Google Benchmark regex; empty = all
  double min_time = 0.5;
  std::string libomemo_c_program = OMEMO_INTEROP_LIBOMEMO_C_BENCH;
};

int run_engine_bench(const BenchOptions& options) {
  std::vector<std::string> notes;
  bench::register_primitive_benchmarks(notes);
  bench::register_libsignal_benchmarks(notes);
  bench::register_device_benchmarks(notes);
  bench::register_omemo2_core_benchmarks(notes);

  std::vector<bench::Measurement> measurements =
      bench::run_registered_benchmarks(options.filter, options.min_time);
  std::string problem;
  auto helper = bench::run_libomemo_c_helper(options.libomemo_c_program, options.filter,
                                             options.min_time, problem);
  if (helper) {
    measurements.insert(measurements.end(), helper->begin(), helper->end());
  } else {
    notes.push_back(fmt::format("omemo2/libomemo-c: not measured: {}", problem));
  }
  if (measurements.empty()) {
    fmt::print(stderr, "omemo-interop: bench engine: no benchmark matches '{}'\n", options.filter);
    return kExitSetupError;
  }
  bench::print_report(measurements, notes);
  return kExitExpected;
}

}  // namespace

void add_bench_command(CLI::App& app, CommandContext& context) {
  CLI::App* bench = app.add_subcommand("bench", "Performance benchmarks");
  bench->require_subcommand(1);
  auto options = std::make_shared<BenchOptions>();
  CLI::App* engine = bench->add_subcommand(
      "engine",
      "Engine vs raw libsignal-protocol-c / libomemo-c: session setup, steady state for 1 and 100 "
      "recipients, X25519/Ed25519 rates and the setup floor; prints the target ratios");
  engine->add_option("--filter", options->filter,
                     "Run only benchmarks whose name matches this regex (e.g. 'steady/1$')");
  engine->add_option("--min-time", options->min_time, "Minimum seconds per benchmark")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  engine
      ->add_option("--libomemo-c-bench", options->libomemo_c_program,
                   "The libomemo-c benchmark program (built from tests/bench)")
      ->capture_default_str();
  engine->callback([options, &context] {
    try {
      context.exit_code = run_engine_bench(*options);
    } catch (const std::exception& e) {
      fmt::print(stderr, "omemo-interop: bench engine: {}\n", e.what());
      context.exit_code = kExitSetupError;
    }
  });
  add_bench_adapter_command(*bench, context);
}

}  // namespace oi::cli
