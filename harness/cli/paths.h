// Where the harness finds its data. The binary bakes in the source tree it was built from;
// OMEMO_INTEROP_HOME overrides it (e.g. for an installed copy).
#pragma once

#include <filesystem>

namespace oi::cli {

std::filesystem::path project_root();
std::filesystem::path vectors_dir();
std::filesystem::path scenarios_dir();
std::filesystem::path catalogue_file();
std::filesystem::path default_out_dir();
// The CMake build directory the binary belongs to: ${build_dir} in adapter.json.
std::filesystem::path build_dir();
// Where adapters are found unless --adapter-dir says otherwise: <root>/adapters.
std::filesystem::path default_adapters_dir();

}  // namespace oi::cli
