// Loads scenario files. Never throws for bad content: a file that cannot be used yields errors
// "file:line:column: message" and no scenario; the other files still load.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario_model.h"

namespace oi::scenario {

struct ScenarioLoad {
  std::optional<Scenario> scenario;
  std::vector<std::string> errors;
};

ScenarioLoad load_scenario(const std::filesystem::path& file);
// Parses scenario XML text; `file_name` is used in error locations.
ScenarioLoad parse_scenario(const std::string& text, const std::string& file_name);

struct ScenarioSet {
  std::vector<Scenario> scenarios;  // sorted by id
  std::vector<std::string> errors;  // per file, plus duplicate ids
};
// Every *.xml below `dir` (recursively), sorted by path.
ScenarioSet load_scenarios(const std::filesystem::path& dir);

// The attributes each step kind accepts ("!" marks required ones), for the loader and the docs.
const std::map<std::string, std::vector<std::string>>& step_kinds();

}  // namespace oi::scenario
