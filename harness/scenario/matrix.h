// Matrix expansion: every scenario over its profiles and over the bindings of its roles to the
// implementations that support the profile (producer x consumer, and so on for more roles);
// selection by glob, requirement and pair; deterministic sharding.
#pragma once

#include <string>
#include <vector>

#include "codec/profile.h"
#include "scenario/cell.h"

namespace oi::scenario {

struct ImplementationProfiles {
  std::string name;
  std::vector<codec::Profile> profiles;
};

struct MatrixSelection {
  std::vector<codec::Profile> profiles;  // empty: both
  std::string scenario_glob;             // fnmatch on the scenario id; empty: all
  std::string requirement;               // only scenarios citing it; empty: all
  // "A:B": the first role bound to A, the second to B; empty: every binding.
  std::vector<std::pair<std::string, std::string>> pairs;
};

// Cells sorted by id.
std::vector<Cell> expand_cells(const std::vector<Scenario>& scenarios,
                               const std::vector<ImplementationProfiles>& implementations,
                               const MatrixSelection& selection);

// Shard `index` (1-based) of `count`: every count-th cell of the sorted list, so that the shards
// partition the run and each is stable across machines.
std::vector<Cell> shard_cells(const std::vector<Cell>& cells, int index, int count);

}  // namespace oi::scenario
