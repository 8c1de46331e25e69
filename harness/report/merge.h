// Merging the results of shards (`--shard K/N`) back into one run.
#pragma once

#include <vector>

#include "report/results.h"

namespace oi::report {

// The union of the shards' results in the order an unsharded run reports them: the vector and
// load-error cases first (as the first shard listed them), then the scenario cells sorted by
// id. A case present in several shards with identical content is kept once; with different
// content, merging throws std::runtime_error naming the case. The run metadata is the first
// shard's with the shard field cleared; implementations are united by name.
Results merge_results(const std::vector<Results>& shards);

}  // namespace oi::report
