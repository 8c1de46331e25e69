// The adapters a command can use: every adapters/<name>/adapter.json under the adapter
// directories, loaded and checked for availability on this machine (PROTOCOL.md §14).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "adapter/adapter_implementation.h"
#include "adapter/adapter_manifest.h"
#include "report/results.h"
#include "scenario/adapter_check.h"

namespace oi::cli {

struct AdapterEntry {
  adapter::AdapterManifest manifest;
  std::string unavailable;  // why it cannot run here; empty when available
};

struct AdapterRegistry {
  std::vector<AdapterEntry> adapters;  // sorted by name
  std::vector<std::string> errors;     // adapter.json files that did not load

  const AdapterEntry* find(const std::string& name) const;
};

// `directories` empty: the default adapters directory.
AdapterRegistry discover_adapters(const std::vector<std::string>& directories);

// Settings for one adapter in a run: the initialize seed is derived from the run seed and the
// adapter's name, so a run is reproducible from its seed.
adapter::AdapterSettings adapter_settings(const Bytes& run_seed, const std::string& name,
                                          bool debug = false);

// The adapter as results.json lists it: version and backend from the check's initialize when
// it ran, the unavailability reason otherwise.
report::ImplementationInfo adapter_info(const AdapterEntry& entry,
                                        const scenario::AdapterCheckReport* check);

// One result per check item, "adapter-check/<name>/<item>".
std::vector<report::CaseResult> adapter_check_cases(const scenario::AdapterCheckReport& check);

}  // namespace oi::cli
