#include "scenario/verdict.h"

namespace oi::scenario {

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
#define OI_VERDICT_NAME(id, name, meaning) \
  case Verdict::id:                        \
    return name;
    OI_VERDICTS(OI_VERDICT_NAME)
#undef OI_VERDICT_NAME
  }
  return "?";
}

std::string_view verdict_meaning(Verdict verdict) {
  switch (verdict) {
#define OI_VERDICT_MEANING(id, name, meaning) \
  case Verdict::id:                           \
    return meaning;
    OI_VERDICTS(OI_VERDICT_MEANING)
#undef OI_VERDICT_MEANING
  }
  return "?";
}

std::optional<Verdict> verdict_from_name(std::string_view name) {
#define OI_VERDICT_PARSE(id, text, meaning) \
  if (name == text) return Verdict::id;
  OI_VERDICTS(OI_VERDICT_PARSE)
#undef OI_VERDICT_PARSE
  return std::nullopt;
}

bool is_failure_verdict(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
    case Verdict::info:
    case Verdict::not_applicable:
    case Verdict::xfail:
      return false;
    case Verdict::fail:
    case Verdict::non_strict:
    case Verdict::unsupported:
    case Verdict::timeout:
    case Verdict::crash:
    case Verdict::error:
    case Verdict::xpass:
      return true;
  }
  return true;
}

}  // namespace oi::scenario
