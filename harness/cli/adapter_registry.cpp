#include "cli/adapter_registry.h"

#include <fmt/format.h>

#include <algorithm>

#include "cli/paths.h"
#include "crypto/random_source.h"

namespace oi::cli {

const AdapterEntry* AdapterRegistry::find(const std::string& name) const {
  auto found = std::find_if(adapters.begin(), adapters.end(),
                            [&](const AdapterEntry& entry) { return entry.manifest.name == name; });
  return found == adapters.end() ? nullptr : &*found;
}

AdapterRegistry discover_adapters(const std::vector<std::string>& directories) {
  // Absolute: ${adapter_dir} must stay valid in the adapter's own working directory.
  std::vector<std::filesystem::path> roots;
  for (const std::string& directory : directories)
    roots.push_back(std::filesystem::absolute(directory));
  if (roots.empty()) roots.push_back(default_adapters_dir());
  adapter::Placeholders placeholders{build_dir().string(), project_root().string()};
  AdapterRegistry registry;
  for (const std::filesystem::path& directory : adapter::discover_adapter_directories(roots)) {
    adapter::ManifestLoad load = adapter::load_manifest(directory, placeholders);
    if (!load.manifest) {
      registry.errors.push_back(load.error);
      continue;
    }
    if (registry.find(load.manifest->name) != nullptr) {
      registry.errors.push_back(
          fmt::format("{}: a second adapter named '{}'", directory.string(), load.manifest->name));
      continue;
    }
    AdapterEntry entry{std::move(*load.manifest), {}};
    entry.unavailable = adapter::unavailability_reason(entry.manifest);
    registry.adapters.push_back(std::move(entry));
  }
  return registry;
}

adapter::AdapterSettings adapter_settings(const Bytes& run_seed, const std::string& name,
                                          bool debug) {
  adapter::AdapterSettings settings;
  settings.seed = crypto::RandomSource::seeded(run_seed).derive("adapter/" + name).bytes(32);
  settings.harness_version = OMEMO_INTEROP_VERSION;
  settings.debug = debug;
  return settings;
}

report::ImplementationInfo adapter_info(const AdapterEntry& entry,
                                        const scenario::AdapterCheckReport* check) {
  report::ImplementationInfo info;
  info.name = entry.manifest.name;
  info.kind = "adapter";
  for (codec::Profile profile : entry.manifest.profiles) {
    info.profiles.emplace_back(codec::profile_name(profile));
  }
  info.available = entry.unavailable.empty();
  info.version = check != nullptr && !check->version.empty() ? check->version : "unknown";
  if (!info.available) {
    info.detail = entry.unavailable;
  } else {
    info.detail = entry.manifest.description;
    if (check != nullptr && !check->backend.empty()) info.detail += "; " + check->backend;
    if (check != nullptr && !check->passed()) {
      info.detail += "; adapter check failed: " + check->first_failure();
    }
  }
  return info;
}

std::vector<report::CaseResult> adapter_check_cases(const scenario::AdapterCheckReport& check) {
  std::vector<report::CaseResult> cases;
  for (const scenario::AdapterCheckItem& item : check.items) {
    report::CaseResult result;
    result.id = fmt::format("adapter-check/{}/{}", check.adapter, item.name);
    result.scenario = "adapter-check";
    result.roles = {{"adapter", check.adapter}};
    result.verdict = item.skipped       ? scenario::Verdict::not_applicable
                     : item.passed      ? scenario::Verdict::pass
                     : item.gates_cases ? scenario::Verdict::error
                                        : scenario::Verdict::fail;
    result.unexpected = !item.passed && !item.skipped;
    result.message = item.message;
    if (result.unexpected) result.transcript = check.log;
    cases.push_back(std::move(result));
  }
  return cases;
}

}  // namespace oi::cli
