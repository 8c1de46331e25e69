// adapters/<name>/adapter.json (PROTOCOL.md §14): loading, validation against the rules of
// adapters/adapter.schema.json, placeholder expansion, and availability on this machine.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/profile.h"

namespace oi::adapter {

// The capabilities of PROTOCOL.md §4.2, in that order.
const std::vector<std::string>& known_capabilities();

struct AdapterTimeouts {
  std::chrono::milliseconds startup{30000};
  std::chrono::milliseconds request{10000};
  std::chrono::milliseconds case_budget{120000};
  std::chrono::milliseconds shutdown{2000};
};

struct AdapterManifest {
  std::filesystem::path directory;  // where adapter.json is
  std::string name;
  std::string description;
  std::string homepage;
  std::string protocol;
  std::vector<std::string> argv;  // command and args, placeholders expanded
  std::map<std::string, std::string> env;
  std::vector<std::string> debian_packages;
  std::vector<std::string> required_files;  // expanded
  std::vector<codec::Profile> profiles;
  std::vector<std::string> capabilities;
  AdapterTimeouts timeouts;
  bool reuse = true;
  std::vector<std::string> version_command;  // expanded; may be empty
  std::filesystem::path expectations;        // absolute

  bool has_capability(std::string_view capability) const;
  bool supports(codec::Profile profile) const;
};

// Values of ${build_dir} and ${repo}; ${adapter_dir} is the manifest's directory.
struct Placeholders {
  std::string build_dir;
  std::string repo;
};

struct ManifestLoad {
  std::optional<AdapterManifest> manifest;
  std::string
      error;  // "adapters/x/adapter.json: timeouts.request_ms: 70000 is outside 1000..60000"
};

// Never throws: a missing, unparsable or invalid file comes back as `error`.
ManifestLoad load_manifest(const std::filesystem::path& directory,
                           const Placeholders& placeholders);

// Empty when the adapter can run here; otherwise the first missing item ("Debian package
// python3-omemo is not installed", "file .../adapter is missing", "command ... is not executable").
std::string unavailability_reason(const AdapterManifest& manifest);

// The directories directly under each root that hold an adapter.json, sorted by name.
std::vector<std::filesystem::path> discover_adapter_directories(
    const std::vector<std::filesystem::path>& roots);

// True when dpkg records `package` as "install ok installed" (reads /var/lib/dpkg/status).
bool is_debian_package_installed(const std::string& package);

}  // namespace oi::adapter
