// `omemo-interop adapter check`: the contract self-test of PROTOCOL.md §15. It tests an adapter
// against the protocol, not against OMEMO, so that an adapter bug is reported as an adapter bug
// before any OMEMO verdict depends on it. The runner runs it before an adapter's first case.
#pragma once

#include <string>
#include <vector>

#include "adapter/adapter_implementation.h"

namespace oi::scenario {

struct AdapterCheckItem {
  std::string name;  // "initialize", "unknown-method", "profile/omemo2", ...
  bool passed = false;
  bool skipped = false;  // not applicable: the capability it tests is not declared
  std::string message;
  // A failure means the adapter cannot be trusted to speak the protocol: its cases are `error`
  // without running (§15 items 2-4). Other items (profiles, determinism, state, atomicity)
  // measure behaviour: a failure is reported as `fail` and the cases still run.
  bool gates_cases = false;
};

struct AdapterCheckReport {
  std::string adapter;
  std::vector<AdapterCheckItem> items;
  std::string log;      // the adapter's stderr during the check
  std::string version;  // the wrapped library's version, from initialize
  std::string backend;

  // True when no item failed (skipped items do not fail).
  bool passed() const;
  // The first failed item as "item: message", empty when passed.
  std::string first_failure() const;
  // The first failed item that gates the cases, empty when none.
  std::string blocking_failure() const;
};

// Runs every item against fresh instances of the adapter. Never throws.
AdapterCheckReport check_adapter(const adapter::AdapterManifest& manifest,
                                 const adapter::AdapterSettings& settings);

}  // namespace oi::scenario
