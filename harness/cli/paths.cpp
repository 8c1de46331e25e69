#include "cli/paths.h"

#include <cstdlib>

namespace oi::cli {

std::filesystem::path project_root() {
  if (const char* home = std::getenv("OMEMO_INTEROP_HOME"); home != nullptr && *home != '\0') {
    return home;
  }
  return OMEMO_INTEROP_SOURCE_DIR;
}

std::filesystem::path vectors_dir() {
  return project_root() / "vectors";
}
std::filesystem::path scenarios_dir() {
  return project_root() / "scenarios";
}
std::filesystem::path catalogue_file() {
  return scenarios_dir() / "requirements.tsv";
}
std::filesystem::path default_out_dir() {
  return project_root() / "reports" / "out";
}

std::filesystem::path build_dir() {
  return OMEMO_INTEROP_BUILD_DIR;
}
std::filesystem::path default_adapters_dir() {
  return project_root() / "adapters";
}

}  // namespace oi::cli
