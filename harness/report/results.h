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

// One expectation of a scenario cell and whether it held (scenario::Check as results.json keeps
// it).
struct CheckResult {
  std::string requirement;  // empty when the step names none
  std::string level;        // must, should, info
  bool held = false;
  std::string message;  // "file:line: what was expected and what happened"
};

struct CaseResult {
  std::string id;           // stable slug, unique in the run
  std::string scenario;     // scenario id, or the vector file's relative path
  std::string area;         // the scenario id's first segment ("session"), or "vectors"
  std::string description;  // the scenario's prose description; empty for vectors
  std::string profile;      // "legacy", "omemo2", or empty for profile-neutral cases
  std::map<std::string, std::string> roles;  // role -> implementation
  std::vector<std::string> requirements;
  scenario::Verdict verdict = scenario::Verdict::error;
  std::string expected;  // verdict an expectation file predicts; empty = "pass"/"info" expected
  std::string expectation_reason;  // the matching expectation entry's reason and link, if any
  std::string expectation_link;
  bool unexpected = false;
  std::string message;
  double duration_ms = 0;
  std::vector<CheckResult> checks;
  std::vector<std::string> decrypted;  // what each device reported, one line per outcome
  std::string adapter_log;             // adapter stderr during the case, blocks headed by name
  // The stanza transcript, one entry per line ("#seq time [step] c2s|s2c jid disposition xml"),
  // or other evidence. Files written before the checks and decrypted fields existed carry those
  // sections here too ("== decrypted view", "== checks", "== transcript").
  std::string transcript;
};

// The area of a scenario or vector-file name: "vectors" for "vectors/...", else the text before
// the first '/' (the whole name when there is none).
std::string area_of(const std::string& scenario);

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
