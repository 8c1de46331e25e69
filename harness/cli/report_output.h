// What `run` and `vectors` share: the requirement catalogue in the results, the vector cases,
// and writing the reports in the chosen formats.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "report/results.h"

namespace oi::cli {

// The reference engine as results.json lists it (the same entry for `run` and `vectors`).
report::ImplementationInfo reference_implementation_info();

// console, json, junit, html, markdown. Prints the problem and returns false for an unknown name.
bool formats_are_known(const std::vector<std::string>& formats);

// Loads scenarios/requirements.tsv into results.requirements (load errors go to stderr).
void add_requirement_catalogue(report::Results& results);

// Runs the vector files and appends one case per record (and per load error).
void append_vector_cases(report::Results& results, const std::vector<std::filesystem::path>& files,
                         const std::string& implementation);

// Writes results.json / junit.xml / matrix.md / index.html (+ cases/) into `out_dir` (when not
// empty) and prints the console report (colour on a TTY without NO_COLOR), as `formats` asks.
// Returns the exit code: 0 nothing unexpected, 1 otherwise.
int emit_reports(const report::Results& results, const std::vector<std::string>& formats,
                 const std::string& out_dir);

}  // namespace oi::cli
