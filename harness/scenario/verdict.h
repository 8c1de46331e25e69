// Verdicts (DESIGN.md "Results") and the scoring rules that turn a verdict and an expectation
// into "unexpected or not".
#pragma once

#include <optional>
#include <string_view>

namespace oi::scenario {

// X-macro: enumerator, the name used in results.json and reports, one-line meaning.
#define OI_VERDICTS(X)                                                                     \
  X(pass, "pass", "every check held")                                                      \
  X(fail, "fail", "a MUST was broken")                                                     \
  X(non_strict, "non-strict", "a SHOULD was broken")                                       \
  X(info, "info", "behaviour recorded, no rule applies")                                   \
  X(unsupported, "unsupported", "declared unsupported by the implementation")              \
  X(not_applicable, "not-applicable", "a precondition (e.g. a server feature) is missing") \
  X(timeout, "timeout", "the implementation did not answer in time")                       \
  X(crash, "crash", "the implementation's process died")                                   \
  X(error, "error", "adapter protocol or harness fault")                                   \
  X(xfail, "xfail", "failed, as an expectation file says it would")                        \
  X(xpass, "xpass", "passed, although an expectation file says it would fail")

enum class Verdict {
#define OI_VERDICT_ENUM(id, name, meaning) id,
  OI_VERDICTS(OI_VERDICT_ENUM)
#undef OI_VERDICT_ENUM
};

std::string_view verdict_name(Verdict verdict);
std::string_view verdict_meaning(Verdict verdict);
std::optional<Verdict> verdict_from_name(std::string_view name);

// True for the verdicts that count as an unexpected result when no expectation covers them.
bool is_failure_verdict(Verdict verdict);

}  // namespace oi::scenario
