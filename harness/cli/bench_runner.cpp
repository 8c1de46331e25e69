// Runs the Google Benchmark registrations of this process and captures each result as a
// Measurement, while Google Benchmark's own console lines go to stderr as progress.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/bench.h"

namespace oi::cli::bench {

namespace {

// The console reporter (progress on stderr) that also keeps every plain iteration run.
class CapturingReporter : public benchmark::ConsoleReporter {
 public:
  explicit CapturingReporter(std::vector<Measurement>& out)
      : benchmark::ConsoleReporter(OO_Tabular), out_(out) {
    SetOutputStream(&std::cerr);
    SetErrorStream(&std::cerr);
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred || run.iterations == 0) continue;
      double to_seconds = 1.0 / benchmark::GetTimeUnitMultiplier(run.time_unit);
      out_.push_back({run.benchmark_name(), run.GetAdjustedCPUTime() * to_seconds,
                      run.GetAdjustedRealTime() * to_seconds, run.iterations, "in-process"});
    }
    benchmark::ConsoleReporter::ReportRuns(runs);
  }

 private:
  std::vector<Measurement>& out_;
};

}  // namespace

std::vector<Measurement> run_registered_benchmarks(const std::string& filter, double min_time) {
  // Google Benchmark reads the minimum time from its flags only (1.7: a number of seconds).
  std::string program = "omemo-interop-bench";
  std::string min_time_flag = fmt::format("--benchmark_min_time={}", min_time);
  char* arguments[] = {program.data(), min_time_flag.data(), nullptr};
  int count = 2;
  benchmark::Initialize(&count, arguments);

  std::vector<Measurement> measurements;
  CapturingReporter reporter(measurements);
  benchmark::RunSpecifiedBenchmarks(&reporter, filter);
  benchmark::ClearRegisteredBenchmarks();
  return measurements;
}

}  // namespace oi::cli::bench
