// `omemo-interop vectors generate [--check]`: regenerates the protocol vector files from the
// reference engine's fixed seeds. With --check nothing is written: it compares the generated
// bytes with the committed files and exits 1 when any differs (the reproducibility gate).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/paths.h"
#include "scenario/vector_generate.h"

namespace oi::cli {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int generate(bool check_only, const std::string& out_dir) {
  std::vector<scenario::GeneratedVectorFile> files = scenario::generate_legacy_protocol_vectors();
  for (auto& file : scenario::generate_omemo2_protocol_vectors()) files.push_back(std::move(file));
  fs::path root = out_dir.empty() ? vectors_dir() : fs::path(out_dir);
  std::size_t differing = 0;
  for (const scenario::GeneratedVectorFile& file : files) {
    fs::path path = root / file.relative_path;
    if (check_only) {
      std::optional<std::string> committed = read_file(path);
      if (committed == file.content) {
        fmt::print("same      {}\n", file.relative_path);
      } else {
        fmt::print("{} {}\n", committed ? "differs  " : "missing  ", file.relative_path);
        ++differing;
      }
      continue;
    }
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << file.content;
    if (!out) {
      fmt::print(stderr, "omemo-interop: {}: write failed\n", path.string());
      return kExitSetupError;
    }
    fmt::print("wrote     {}\n", path.string());
  }
  if (check_only) {
    fmt::print("{} files, {} differ from the generators\n", files.size(), differing);
    return differing == 0 ? kExitExpected : kExitUnexpected;
  }
  return kExitExpected;
}

}  // namespace

void add_vectors_generate_command(CLI::App& vectors, CommandContext& context) {
  auto check_only = std::make_shared<bool>(false);
  auto out_dir = std::make_shared<std::string>();
  CLI::App* command = vectors.add_subcommand(
      "generate", "Regenerate the protocol vector files from the engine's fixed seeds");
  command->add_flag("--check", *check_only,
                    "Write nothing; exit 1 when a committed file differs from its generator");
  command->add_option("--out", *out_dir, "Write below DIR instead of vectors/");
  command->callback(
      [check_only, out_dir, &context] { context.exit_code = generate(*check_only, *out_dir); });
}

}  // namespace oi::cli
