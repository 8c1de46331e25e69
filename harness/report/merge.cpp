#include "report/merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "report/results_json.h"

namespace oi::report {

namespace {

// Cases that are not scenario cells keep their listed order; cells are sorted by id.
bool is_cell(const CaseResult& result) {
  return !result.id.starts_with("vectors/") && !result.id.starts_with("scenario-load-error/");
}

}  // namespace

Results merge_results(const std::vector<Results>& shards) {
  Results merged;
  if (shards.empty()) return merged;
  merged.run = shards.front().run;
  merged.run.shard.clear();
  merged.requirements = shards.front().requirements;
  std::map<std::string, const CaseResult*> seen;
  std::vector<CaseResult> cells;
  for (const Results& shard : shards) {
    for (const ImplementationInfo& implementation : shard.implementations) {
      bool known =
          std::any_of(merged.implementations.begin(), merged.implementations.end(),
                      [&](const ImplementationInfo& i) { return i.name == implementation.name; });
      if (!known) merged.implementations.push_back(implementation);
    }
    for (const CaseResult& result : shard.results) {
      auto [slot, inserted] = seen.emplace(result.id, &result);
      if (!inserted) {
        if (results_to_json(Results{{}, {}, {}, {*slot->second}})["results"] !=
            results_to_json(Results{{}, {}, {}, {result}})["results"]) {
          throw std::runtime_error(
              fmt::format("case '{}' differs between shards; not merging", result.id));
        }
        continue;
      }
      if (is_cell(result)) {
        cells.push_back(result);
      } else {
        merged.results.push_back(result);
      }
    }
  }
  std::sort(cells.begin(), cells.end(),
            [](const CaseResult& a, const CaseResult& b) { return a.id < b.id; });
  for (CaseResult& cell : cells) merged.results.push_back(std::move(cell));
  return merged;
}

}  // namespace oi::report
