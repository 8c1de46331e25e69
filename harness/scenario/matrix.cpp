#include "scenario/matrix.h"

#include <fnmatch.h>

#include <algorithm>

namespace oi::scenario {

namespace {

bool supports(const ImplementationProfiles& implementation, codec::Profile profile) {
  return std::find(implementation.profiles.begin(), implementation.profiles.end(), profile) !=
         implementation.profiles.end();
}

bool is_selected(const Scenario& scenario, const MatrixSelection& selection) {
  if (!selection.scenario_glob.empty() &&
      fnmatch(selection.scenario_glob.c_str(), scenario.id.c_str(), 0) != 0) {
    return false;
  }
  if (!selection.requirement.empty() &&
      std::find(scenario.requirements.begin(), scenario.requirements.end(),
                selection.requirement) == scenario.requirements.end()) {
    return false;
  }
  return true;
}

bool matches_pairs(const Scenario& scenario, const std::map<std::string, std::string>& roles,
                   const MatrixSelection& selection) {
  if (selection.pairs.empty()) return true;
  const std::string& first = roles.at(scenario.roles[0].name);
  const std::string& second = scenario.roles.size() > 1 ? roles.at(scenario.roles[1].name) : first;
  return std::any_of(selection.pairs.begin(), selection.pairs.end(), [&](const auto& pair) {
    return pair.first == first && pair.second == second;
  });
}

}  // namespace

std::vector<Cell> expand_cells(const std::vector<Scenario>& scenarios,
                               const std::vector<ImplementationProfiles>& implementations,
                               const MatrixSelection& selection) {
  std::vector<Cell> cells;
  for (const Scenario& scenario : scenarios) {
    if (!is_selected(scenario, selection)) continue;
    for (codec::Profile profile : scenario.profiles) {
      if (!selection.profiles.empty() &&
          std::find(selection.profiles.begin(), selection.profiles.end(), profile) ==
              selection.profiles.end()) {
        continue;
      }
      std::vector<const ImplementationProfiles*> candidates;
      for (const ImplementationProfiles& implementation : implementations) {
        if (supports(implementation, profile)) candidates.push_back(&implementation);
      }
      if (candidates.empty()) continue;
      // Every assignment of candidates to roles, as an odometer over the roles.
      std::vector<std::size_t> digits(scenario.roles.size(), 0);
      while (true) {
        std::map<std::string, std::string> roles;
        for (std::size_t i = 0; i < digits.size(); ++i) {
          roles[scenario.roles[i].name] = candidates[digits[i]]->name;
        }
        if (matches_pairs(scenario, roles, selection)) {
          cells.push_back(Cell{&scenario, profile, std::move(roles)});
        }
        std::size_t position = 0;
        while (position < digits.size() && ++digits[position] == candidates.size()) {
          digits[position++] = 0;
        }
        if (position == digits.size()) break;
      }
    }
  }
  std::sort(cells.begin(), cells.end(),
            [](const Cell& a, const Cell& b) { return a.id() < b.id(); });
  return cells;
}

std::vector<Cell> shard_cells(const std::vector<Cell>& cells, int index, int count) {
  std::vector<Cell> shard;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(count)) == index - 1)
      shard.push_back(cells[i]);
  }
  return shard;
}

}  // namespace oi::scenario
