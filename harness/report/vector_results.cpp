#include "report/vector_results.h"

#include <fmt/format.h>

namespace oi::report {

std::vector<CaseResult> vector_cases(const scenario::VectorFileRun& run,
                                     const std::string& implementation) {
  std::vector<CaseResult> cases;
  const std::string scenario_name = "vectors/" + run.relative_path;
  for (std::size_t i = 0; i < run.load_errors.size(); ++i) {
    CaseResult result;
    result.id = fmt::format("vectors/{}/load-error/{}", run.relative_path, i + 1);
    result.scenario = scenario_name;
    result.area = area_of(scenario_name);
    result.roles = {{"A", implementation}};
    result.verdict = scenario::Verdict::error;
    result.unexpected = true;
    result.message = run.load_errors[i];
    cases.push_back(std::move(result));
  }
  for (const scenario::VectorOutcome& outcome : run.outcomes) {
    CaseResult result;
    result.id = "vectors/" + outcome.id;
    result.scenario = scenario_name;
    result.area = area_of(scenario_name);
    result.roles = {{"A", implementation}};
    result.requirements = outcome.requirements;
    result.verdict = outcome.verdict;
    result.unexpected = is_unexpected(outcome.verdict, result.expected);
    std::string flags;
    for (const std::string& flag : outcome.flags) flags += (flags.empty() ? "" : ",") + flag;
    result.message =
        fmt::format("{}:{}: Result={}{}{}: {}", outcome.file, outcome.line, outcome.expected,
                    flags.empty() ? "" : " Flags=", flags, outcome.message);
    if (!outcome.upstream.empty()) result.message += fmt::format(" [{}]", outcome.upstream);
    cases.push_back(std::move(result));
  }
  return cases;
}

}  // namespace oi::report
