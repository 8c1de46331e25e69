// `omemo-interop bench engine`: the pieces shared by the bench_*.cpp files.
//
// Naming: every measurement is "<profile or primitive>/<implementation>/<operation>[/<n>]":
//   primitive/libsodium/x25519_dh, legacy/engine/steady/100, omemo2/libomemo-c/setup_responder.
// The report (bench_report.cpp) finds measurements by these names; the libomemo-c helper program
// (tests/bench/libomemo_c_bench.cpp) uses the same scheme so that its results merge in.
//
// Contracts:
// - Benchmarks are registered at run time (never statically), only when `bench engine` runs.
// - Every fixture is built once per process, outside the timed region, and reused by the
//   repeated runs Google Benchmark makes while it sizes the iteration count.
// - A benchmark that cannot run (e.g. the OMEMO 2 device not in this build) is not registered;
//   the register function says why in `notes`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace oi::cli::bench {

// One finished benchmark.
struct Measurement {
  std::string name;
  double cpu_seconds = 0;   // CPU time per iteration (the ratios use this: robust to load)
  double real_seconds = 0;  // wall time per iteration
  std::int64_t iterations = 0;
  std::string origin;  // "in-process" or the helper program's name
};

// The recipient counts of the steady-state benchmarks.
inline constexpr int kFewRecipients = 1;
inline constexpr int kManyRecipients = 100;

// Registration, one function per family (each in its own bench_*.cpp file).
void register_primitive_benchmarks(std::vector<std::string>& notes);
void register_device_benchmarks(std::vector<std::string>& notes);
void register_libsignal_benchmarks(std::vector<std::string>& notes);
void register_omemo2_core_benchmarks(std::vector<std::string>& notes);

// Runs the registered benchmarks whose name matches `filter` (Google Benchmark's regex syntax),
// each for at least `min_time` seconds; Google Benchmark's progress goes to stderr.
std::vector<Measurement> run_registered_benchmarks(const std::string& filter, double min_time);

// Runs the libomemo-c helper program with the same filter and minimum time and returns its
// measurements; nullopt (and `problem` set) when the program is missing or fails.
std::optional<std::vector<Measurement>> run_libomemo_c_helper(const std::string& program,
                                                              const std::string& filter,
                                                              double min_time,
                                                              std::string& problem);

// Prints the table of all measurements, the physical floor of a session setup, and the target
// ratios, to stdout.
void print_report(const std::vector<Measurement>& measurements,
                  const std::vector<std::string>& notes);

}  // namespace oi::cli::bench
