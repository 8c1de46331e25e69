// Files in the unit tests: the repository's vectors directory, whole-file reads, and running a
// vector file written from a string.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "scenario/vector_run.h"

namespace oi::test {

inline const std::filesystem::path kVectorsDir =
    std::filesystem::path(OMEMO_INTEROP_SOURCE_DIR) / "vectors";

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Writes `text` to `file_name` in the temporary directory `directory` and runs it as a vector
// file (relative paths in the results are against that directory).
inline scenario::VectorFileRun run_vector_text(const std::string& text,
                                               const std::string& directory,
                                               const std::string& file_name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / directory;
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / file_name;
  std::ofstream(file, std::ios::binary) << text;
  return scenario::run_vector_file(file, dir);
}

}  // namespace oi::test
