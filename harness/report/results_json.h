// results.json: writing and reading the results model.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "report/results.h"

namespace oi::report {

nlohmann::json results_to_json(const Results& results);

// Reads a results.json. Throws std::runtime_error naming the file and the offending field when
// the document is not omemo-interop/results/v1.
Results results_from_json(const nlohmann::json& document, const std::string& source_name);

// Writes `results` to DIR/results.json (creating DIR); returns the path written.
std::filesystem::path write_results_json(const Results& results, const std::filesystem::path& dir);

}  // namespace oi::report
