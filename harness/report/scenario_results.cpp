#include "report/scenario_results.h"

namespace oi::report {

CaseResult cell_case(const scenario::Cell& cell, const scenario::CellResult& result) {
  CaseResult out;
  out.id = result.id;
  out.scenario = cell.scenario->id;
  out.area = area_of(out.scenario);
  out.description = cell.scenario->description;
  out.profile = std::string(codec::profile_name(cell.profile));
  out.roles = cell.roles;
  out.requirements = cell.scenario->requirements;
  out.verdict = result.verdict;
  out.unexpected = is_unexpected(result.verdict, out.expected);
  out.message = result.message;
  out.duration_ms = result.duration_ms;
  for (const scenario::Check& check : result.checks) {
    out.checks.push_back({check.requirement, check.level, check.held, check.message});
  }
  out.decrypted = result.decrypted;
  out.adapter_log = result.adapter_log;
  out.transcript = result.transcript;
  return out;
}

}  // namespace oi::report
