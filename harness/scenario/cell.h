// A cell: one scenario, run for one profile with one binding of its roles to implementations.
// The runner expands scenarios into cells (matrix.h) and runs each in isolation (cell_runner.h).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "codec/profile.h"
#include "engine/misbehaviour.h"
#include "scenario/scenario_model.h"
#include "scenario/verdict.h"

namespace oi::scenario {

struct Cell {
  const Scenario* scenario = nullptr;
  codec::Profile profile = codec::Profile::legacy;
  std::map<std::string, std::string> roles;  // role name -> implementation name

  // "<scenario id>/<profile>/<impl of A>-<impl of B>...", stable across runs.
  std::string id() const;
};

// One expectation's outcome.
struct Check {
  std::string requirement;  // empty when the step names none
  std::string level;        // must, should, info
  bool held = false;
  std::string message;  // "file:line: what was expected and what happened"
};

struct CellResult {
  std::string id;
  Verdict verdict = Verdict::error;
  std::string message;  // the first failed check, or the error
  std::vector<Check> checks;
  double duration_ms = 0;
  std::string transcript;              // the stanza transcript, one entry per line
  std::vector<std::string> decrypted;  // what each device reported, one line per outcome
  // What adapter processes wrote on stderr during the cell, each block headed by the
  // implementation's name; empty for in-process implementations.
  std::string adapter_log;
  // The verdict is `unsupported` because an implementation does not declare what the cell needs
  // (PROTOCOL.md §8, "by absence"): its own declaration predicts it, so it is not unexpected.
  bool unsupported_by_declaration = false;
};

// How every cell of a run is set up.
struct RunSettings {
  std::vector<std::uint8_t> seed;  // the run seed; cells derive their streams from it
  // Knobs switched on for every reference device: a deliberately broken reference build.
  std::vector<engine::Misbehaviour> global_knobs;
};

// The verdict of a finished cell from its checks: a failed must check is fail, a failed should
// check non-strict, a failed info check info; no check at all is an error (a case with no check
// is not a pass).
Verdict verdict_from_checks(const std::vector<Check>& checks);

}  // namespace oi::scenario
