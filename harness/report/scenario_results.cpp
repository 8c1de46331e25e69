#include "report/scenario_results.h"

namespace oi::report {

CaseResult cell_case(const scenario::Cell& cell, const scenario::CellResult& result) {
  CaseResult out;
  out.id = result.id;
  out.scenario = cell.scenario->id;
  out.profile = std::string(codec::profile_name(cell.profile));
  out.roles = cell.roles;
  out.requirements = cell.scenario->requirements;
  out.verdict = result.verdict;
  out.unexpected = is_unexpected(result.verdict, out.expected);
  out.message = result.message;
  out.duration_ms = result.duration_ms;
  std::string transcript = "== decrypted view\n";
  for (const std::string& line : result.decrypted) transcript += line + "\n";
  transcript += "== checks\n";
  for (const scenario::Check& check : result.checks) {
    transcript += (check.held ? "held   " : "FAILED ") + check.level + " " + check.message + "\n";
  }
  transcript += "== transcript\n" + result.transcript;
  out.transcript = std::move(transcript);
  return out;
}

}  // namespace oi::report
