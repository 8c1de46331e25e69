// The requirement catalogue (R-LEG-*, R-OM2-*, R-SRV-*, ambiguities A-xx), loaded from
// scenarios/requirements.tsv, which scenarios/tools/catalogue_from_spec.py generates from the
// project's spec. Scenarios, vectors and codec findings cite these IDs; reports quote them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oi::scenario {

struct Requirement {
  std::string id;       // "R-OM2-020", "A-22"
  std::string level;    // keyword column: "MUST", "SHOULD / MUST", "INTEROP", "AMBIGUITY", ...
  std::string section;  // spec section, or the ambiguity's topic
  std::string method;   // a = static vectors, b = scripted exchange, c = server probe
  std::string text;     // what to check

  // The text up to the end of its first sentence: what `lint` prints under a finding.
  std::string summary() const;
};

struct RequirementCatalogue {
  std::vector<Requirement> requirements;  // in file order
  std::vector<std::string> load_errors;   // "file:line: message"; the other lines still load

  const Requirement* find(std::string_view id) const;
};

// Never throws for bad content: malformed lines become load_errors. A missing file is one error.
RequirementCatalogue load_requirement_catalogue(const std::filesystem::path& tsv_file);

// True for the syntactic form of a catalogue ID (R-LEG-nnn, R-OM2-nnn, R-SRV-nnn, A-nn).
bool is_requirement_id(std::string_view text);

}  // namespace oi::scenario
