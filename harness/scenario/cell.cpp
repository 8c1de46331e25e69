#include "scenario/cell.h"

namespace oi::scenario {

std::string Cell::id() const {
  std::string bindings;
  for (const auto& [role, implementation] : roles) {
    bindings += (bindings.empty() ? "" : "-") + implementation;
  }
  return scenario->id + "/" + std::string(codec::profile_name(profile)) + "/" + bindings;
}

Verdict verdict_from_checks(const std::vector<Check>& checks) {
  if (checks.empty()) return Verdict::error;
  Verdict verdict = Verdict::pass;
  for (const Check& check : checks) {
    if (check.held) continue;
    if (check.level == "must") return Verdict::fail;
    if (check.level == "should") verdict = Verdict::non_strict;
    if (check.level == "info" && verdict == Verdict::pass) verdict = Verdict::info;
  }
  return verdict;
}

}  // namespace oi::scenario
