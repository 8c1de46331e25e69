// The results model: one run, the implementations it saw, the requirement catalogue, and one
// result per case (a scenario cell or a known-answer vector). results.json is its serialised
// form and the source of truth every renderer reads (schema "omemo-interop/results/v1",
// DESIGN.md "Results").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenario/verdict.h"

namespace oi::report {

inline constexpr const char* kResultsSchema = "omemo-interop/results/v1";

struct RunInfo {
  std::string started;  // RFC 3339 UTC
  std::string seed;     // hex; empty when the run drew from the OS generator
  std::string harness_version;
  std::string commit;   // git commit of the harness sources, or "unknown"
  std::string command;  // the command line as typed
  std::string shard;    // "K/N", empty when not sharded
};

struct ImplementationInfo {
  std::string name;
  std::string version;
  std::string kind;  // "engine" or "adapter"
  std::vector<std::string> profiles;
  bool available = false;
  std::string detail;  // why unavailable, or what it wraps
};

struct RequirementInfo {
  std::string id, level, section, text;
};

struct CaseResult {
  std::string id;        // stable slug, unique in the run
  std::string scenario;  // scenario id, or the vector file's relative path
  std::string profile;   // "legacy", "omemo2", or empty for profile-neutral cases
  std::map<std::string, std::string> roles;  // role -> implementation
  std::vector<std::string> requirements;
  scenario::Verdict verdict = scenario::Verdict::error;
  std::string expected;  // verdict an expectation file predicts; empty = "pass"/"info" expected
  bool unexpected = false;
  std::string message;
  double duration_ms = 0;
  std::string transcript;  // stanza transcript or evidence; may be empty
};

struct Summary {
  std::size_t total = 0;
  std::map<std::string, std::size_t> by_verdict;  // verdict name -> count
  std::size_t unexpected = 0;
};

struct Results {
  RunInfo run;
  std::vector<ImplementationInfo> implementations;
  std::vector<RequirementInfo> requirements;
  std::vector<CaseResult> results;

  Summary summary() const;
};

// A result is unexpected when it is a failure verdict that no expectation predicted, or when it
// differs from what an expectation predicted.
bool is_unexpected(scenario::Verdict verdict, const std::string& expected);

}  // namespace oi::report
