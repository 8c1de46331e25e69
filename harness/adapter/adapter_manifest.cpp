#include "adapter/adapter_manifest.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

namespace oi::adapter {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Thrown while validating; load_manifest turns it into ManifestLoad::error.
struct InvalidManifest : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void invalid(std::string_view field, std::string_view what) {
  throw InvalidManifest(fmt::format("{}: {}", field, what));
}

const std::set<std::string>& top_level_fields() {
  static const std::set<std::string> fields = {
      "$schema",      "protocol", "name",  "description",     "homepage",
      "command",      "args",     "env",   "requires",        "profiles",
      "capabilities", "timeouts", "reuse", "version_command", "expectations"};
  return fields;
}

std::string string_of(const json& object, const char* key, bool required) {
  auto found = object.find(key);
  if (found == object.end()) {
    if (required) invalid(key, "missing");
    return {};
  }
  if (!found->is_string()) invalid(key, "expected a string");
  std::string value = found->get<std::string>();
  if (required && value.empty()) invalid(key, "empty");
  return value;
}

std::vector<std::string> strings_of(const json& value, std::string_view field, bool unique) {
  if (!value.is_array()) invalid(field, "expected an array of strings");
  std::vector<std::string> strings;
  for (const json& item : value) {
    if (!item.is_string()) invalid(field, "expected an array of strings");
    std::string text = item.get<std::string>();
    if (unique && std::find(strings.begin(), strings.end(), text) != strings.end()) {
      invalid(field, fmt::format("'{}' appears twice", text));
    }
    strings.push_back(std::move(text));
  }
  return strings;
}

std::chrono::milliseconds bounded_ms(const json& timeouts, const char* key, long low, long high,
                                     std::chrono::milliseconds fallback) {
  auto found = timeouts.find(key);
  if (found == timeouts.end()) return fallback;
  if (!found->is_number_integer()) invalid(fmt::format("timeouts.{}", key), "expected an integer");
  long value = found->get<long>();
  if (value < low || value > high) {
    invalid(fmt::format("timeouts.{}", key), fmt::format("{} is outside {}..{}", value, low, high));
  }
  return std::chrono::milliseconds(value);
}

std::string expand(std::string text, const fs::path& directory, const Placeholders& placeholders) {
  const std::pair<std::string, std::string> replacements[] = {
      {"${adapter_dir}", directory.string()},
      {"${build_dir}", placeholders.build_dir},
      {"${repo}", placeholders.repo}};
  for (const auto& [name, value] : replacements) {
    for (std::size_t at = text.find(name); at != std::string::npos;
         at = text.find(name, at + value.size())) {
      text.replace(at, name.size(), value);
    }
  }
  return text;
}

AdapterManifest parse(const json& document, const fs::path& directory,
                      const Placeholders& placeholders) {
  if (!document.is_object()) invalid("(top level)", "expected an object");
  for (const auto& [key, value] : document.items()) {
    if (!top_level_fields().contains(key)) invalid(key, "unknown field");
  }
  AdapterManifest manifest;
  manifest.directory = directory;
  manifest.protocol = string_of(document, "protocol", true);
  static const std::regex kProtocol(R"(1\.[0-9]+)");
  if (!std::regex_match(manifest.protocol, kProtocol)) {
    invalid("protocol", fmt::format("'{}' is not 1.x", manifest.protocol));
  }
  manifest.name = string_of(document, "name", true);
  static const std::regex kName(R"([a-z0-9][a-z0-9-]*)");
  if (!std::regex_match(manifest.name, kName) || manifest.name.size() > 64) {
    invalid("name", fmt::format("'{}' does not match [a-z0-9][a-z0-9-]*", manifest.name));
  }
  if (manifest.name != directory.filename().string()) {
    invalid("name", fmt::format("'{}' differs from the directory name '{}'", manifest.name,
                                directory.filename().string()));
  }
  manifest.description = string_of(document, "description", true);
  manifest.homepage = string_of(document, "homepage", false);

  std::string command = expand(string_of(document, "command", true), directory, placeholders);
  if (!command.empty() && command[0] != '/') command = (directory / command).string();
  manifest.argv.push_back(command);
  if (auto args = document.find("args"); args != document.end()) {
    for (const std::string& arg : strings_of(*args, "args", false)) {
      manifest.argv.push_back(expand(arg, directory, placeholders));
    }
  }
  if (auto env = document.find("env"); env != document.end()) {
    if (!env->is_object()) invalid("env", "expected an object of strings");
    static const std::regex kVariable(R"([A-Za-z_][A-Za-z0-9_]*)");
    for (const auto& [key, value] : env->items()) {
      if (!std::regex_match(key, kVariable)) invalid("env", fmt::format("bad name '{}'", key));
      if (!value.is_string()) invalid(fmt::format("env.{}", key), "expected a string");
      manifest.env[key] = expand(value.get<std::string>(), directory, placeholders);
    }
  }
  if (auto requires_ = document.find("requires"); requires_ != document.end()) {
    if (!requires_->is_object()) invalid("requires", "expected an object");
    for (const auto& [key, value] : requires_->items()) {
      if (key == "debian") {
        manifest.debian_packages = strings_of(value, "requires.debian", true);
      } else if (key == "files") {
        for (const std::string& file : strings_of(value, "requires.files", true)) {
          manifest.required_files.push_back(expand(file, directory, placeholders));
        }
      } else {
        invalid(fmt::format("requires.{}", key), "unknown field");
      }
    }
  }
  auto profiles = document.find("profiles");
  if (profiles == document.end()) invalid("profiles", "missing");
  for (const std::string& name : strings_of(*profiles, "profiles", true)) {
    std::optional<codec::Profile> profile = codec::profile_from_name(name);
    if (!profile) invalid("profiles", fmt::format("unknown profile '{}'", name));
    manifest.profiles.push_back(*profile);
  }
  if (manifest.profiles.empty()) invalid("profiles", "empty");
  auto capabilities = document.find("capabilities");
  if (capabilities == document.end()) invalid("capabilities", "missing");
  manifest.capabilities = strings_of(*capabilities, "capabilities", true);
  for (const std::string& capability : manifest.capabilities) {
    if (std::find(known_capabilities().begin(), known_capabilities().end(), capability) ==
        known_capabilities().end()) {
      invalid("capabilities", fmt::format("unknown capability '{}'", capability));
    }
  }
  if (auto timeouts = document.find("timeouts"); timeouts != document.end()) {
    if (!timeouts->is_object()) invalid("timeouts", "expected an object");
    for (const auto& [key, value] : timeouts->items()) {
      if (key != "startup_ms" && key != "request_ms" && key != "case_ms" && key != "shutdown_ms") {
        invalid(fmt::format("timeouts.{}", key), "unknown field");
      }
    }
    AdapterTimeouts defaults;
    manifest.timeouts.startup = bounded_ms(*timeouts, "startup_ms", 1000, 120000, defaults.startup);
    manifest.timeouts.request = bounded_ms(*timeouts, "request_ms", 1000, 60000, defaults.request);
    manifest.timeouts.case_budget =
        bounded_ms(*timeouts, "case_ms", 10000, 600000, defaults.case_budget);
    manifest.timeouts.shutdown =
        bounded_ms(*timeouts, "shutdown_ms", 1000, 10000, defaults.shutdown);
  }
  if (auto reuse = document.find("reuse"); reuse != document.end()) {
    if (!reuse->is_boolean()) invalid("reuse", "expected a boolean");
    manifest.reuse = reuse->get<bool>();
  }
  if (auto version = document.find("version_command"); version != document.end()) {
    for (const std::string& arg : strings_of(*version, "version_command", false)) {
      manifest.version_command.push_back(expand(arg, directory, placeholders));
    }
    if (manifest.version_command.empty()) invalid("version_command", "empty");
  }
  std::string expectations = string_of(document, "expectations", false);
  manifest.expectations = directory / (expectations.empty() ? "expectations" : expectations);
  return manifest;
}

}  // namespace

const std::vector<std::string>& known_capabilities() {
  static const std::vector<std::string> capabilities = {
      "deterministic", "export_state", "import_keys",   "catch_up",
      "muc",           "rotate",       "key_transport", "misbehaviour"};
  return capabilities;
}

bool AdapterManifest::has_capability(std::string_view capability) const {
  return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

bool AdapterManifest::supports(codec::Profile profile) const {
  return std::find(profiles.begin(), profiles.end(), profile) != profiles.end();
}

ManifestLoad load_manifest(const fs::path& directory, const Placeholders& placeholders) {
  ManifestLoad load;
  fs::path file = directory / "adapter.json";
  std::ifstream in(file);
  if (!in) {
    load.error = fmt::format("{}: cannot be read", file.string());
    return load;
  }
  try {
    json document = json::parse(in);
    load.manifest = parse(document, directory, placeholders);
  } catch (const json::parse_error& e) {
    load.error = fmt::format("{}: not JSON (byte {}): {}", file.string(), e.byte, e.what());
  } catch (const std::exception& e) {
    load.error = fmt::format("{}: {}", file.string(), e.what());
  }
  return load;
}

bool is_debian_package_installed(const std::string& package) {
  // Parsed once per process: the status file does not change during a run.
  static std::once_flag parsed;
  static std::set<std::string> installed;
  std::call_once(parsed, [] {
    std::ifstream status("/var/lib/dpkg/status");
    std::string line, name;
    while (std::getline(status, line)) {
      if (line.rfind("Package: ", 0) == 0) {
        name = line.substr(9);
      } else if (line == "Status: install ok installed" && !name.empty()) {
        installed.insert(name);
      } else if (line.empty()) {
        name.clear();
      }
    }
  });
  return installed.contains(package);
}

std::string unavailability_reason(const AdapterManifest& manifest) {
  for (const std::string& package : manifest.debian_packages) {
    if (!is_debian_package_installed(package)) {
      return fmt::format("Debian package {} is not installed", package);
    }
  }
  for (const std::string& file : manifest.required_files) {
    std::error_code error;
    if (!fs::exists(file, error)) return fmt::format("file {} is missing", file);
  }
  if (::access(manifest.argv[0].c_str(), X_OK) != 0) {
    return fmt::format("command {} is not an executable file", manifest.argv[0]);
  }
  return {};
}

std::vector<fs::path> discover_adapter_directories(const std::vector<fs::path>& roots) {
  std::vector<fs::path> directories;
  for (const fs::path& root : roots) {
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(root, error)) {
      if (entry.is_directory() && fs::exists(entry.path() / "adapter.json")) {
        directories.push_back(entry.path());
      }
    }
  }
  std::sort(directories.begin(), directories.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  return directories;
}

}  // namespace oi::adapter
