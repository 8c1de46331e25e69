#include "cli/run_metadata.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstdio>

#include "cli/paths.h"

namespace oi::cli {

std::string harness_commit() {
  std::string command =
      fmt::format("git -C '{}' rev-parse HEAD 2>/dev/null", project_root().string());
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "unknown";
  std::array<char, 128> buffer{};
  std::string output;
  while (fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
    output += buffer.data();
  }
  int status = pclose(pipe);
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  if (status != 0 || output.size() != 40) return "unknown";
  return output;
}

report::RunInfo current_run_info(int argc, char** argv) {
  report::RunInfo info;
  info.started =
      fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                  std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  info.harness_version = OMEMO_INTEROP_VERSION;
  info.commit = harness_commit();
  info.command = "omemo-interop";
  for (int i = 1; i < argc; ++i) info.command += fmt::format(" {}", argv[i]);
  return info;
}

}  // namespace oi::cli
