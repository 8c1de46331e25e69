// Starts the libomemo-c benchmark program (tests/bench/libomemo_c_bench.cpp) in its own process
// (libomemo-c and libsignal-protocol-c must never share one), and reads the Google Benchmark
// JSON it prints on stdout into Measurements. Its stderr passes through as progress.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/bench.h"

namespace oi::cli::bench {

namespace {

// Runs `arguments` (the first is the program path) and returns its exit status and stdout.
struct Captured {
  int status = -1;
  std::string output;
};

Captured run_program(const std::vector<std::string>& arguments, std::string& problem) {
  Captured captured;
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) {
    problem = fmt::format("pipe: {}", std::strerror(errno));
    return captured;
  }
  pid_t child = fork();
  if (child < 0) {
    problem = fmt::format("fork: {}", std::strerror(errno));
    close(pipe_ends[0]);
    close(pipe_ends[1]);
    return captured;
  }
  if (child == 0) {
    dup2(pipe_ends[1], STDOUT_FILENO);
    close(pipe_ends[0]);
    close(pipe_ends[1]);
    std::vector<char*> argv;
    for (const std::string& argument : arguments)
      argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_ends[1]);
  char buffer[4096];
  for (;;) {
    ssize_t count = read(pipe_ends[0], buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;
    captured.output.append(buffer, static_cast<std::size_t>(count));
  }
  close(pipe_ends[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  captured.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return captured;
}

double seconds_per_unit(const std::string& unit) {
  if (unit == "ns") return 1e-9;
  if (unit == "us") return 1e-6;
  if (unit == "ms") return 1e-3;
  return 1.0;
}

}  // namespace

std::optional<std::vector<Measurement>> run_libomemo_c_helper(const std::string& program,
                                                              const std::string& filter,
                                                              double min_time,
                                                              std::string& problem) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(program, error) || access(program.c_str(), X_OK) != 0) {
    problem = fmt::format(
        "the libomemo-c benchmark program {} is missing (it is built when pkg-config finds "
        "libomemo-c: install libomemo-c-dev and rebuild)",
        program);
    return std::nullopt;
  }
  Captured captured =
      run_program({program, "--benchmark_format=json",
                   fmt::format("--benchmark_filter={}", filter.empty() ? "." : filter),
                   fmt::format("--benchmark_min_time={}", min_time)},
                  problem);
  if (!problem.empty()) return std::nullopt;
  if (captured.status != 0) {
    problem = fmt::format("{} exited with status {}", program, captured.status);
    return std::nullopt;
  }
  std::vector<Measurement> measurements;
  // Google Benchmark prints nothing on stdout when the filter matches none of its benchmarks.
  if (captured.output.find_first_not_of(" \t\r\n") == std::string::npos) return measurements;
  try {
    nlohmann::json report = nlohmann::json::parse(captured.output);
    for (const nlohmann::json& run : report.value("benchmarks", nlohmann::json::array())) {
      if (run.value("run_type", "iteration") != "iteration" || run.value("error_occurred", false))
        continue;
      double unit = seconds_per_unit(run.value("time_unit", "ns"));
      measurements.push_back({run.at("name").get<std::string>(),
                              run.at("cpu_time").get<double>() * unit,
                              run.at("real_time").get<double>() * unit,
                              run.at("iterations").get<std::int64_t>(), "libomemo_c_bench"});
    }
  } catch (const nlohmann::json::exception& e) {
    problem = fmt::format("{} printed no usable JSON: {}", program, e.what());
    return std::nullopt;
  }
  return measurements;
}

}  // namespace oi::cli::bench
