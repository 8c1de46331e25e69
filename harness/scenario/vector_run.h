// Known-answer vector runs: every record of a `.vec` file (omemo-vec/1) checked against the
// harness's own crypto layer (primitive vectors) and, later, the engine (protocol vectors).
//
// Contract: running a file never throws for bad data. A file that does not parse yields
// `load_errors` (file:line: message) and the records that did parse still run; a record whose
// check cannot run (unknown group, missing field) becomes an `error` outcome naming its line.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "codec/vec_file.h"
#include "scenario/verdict.h"

namespace oi::scenario {

struct VectorOutcome {
  std::string id;     // stable: "<file stem>/<group>/<Id>", e.g. "hkdf_sha256/HKDF-SHA-256/3"
  std::string file;   // path relative to the vectors directory, e.g. "primitives/hkdf_sha256.vec"
  std::string group;  // the [section] name
  int line = 0;       // line of the record's first field
  std::string expected;                   // the record's Result: "valid", "invalid" or "acceptable"
  std::vector<std::string> flags;         // Wycheproof-style flags
  std::vector<std::string> requirements;  // requirement IDs the file names
  // pass/fail for valid and invalid records; info for acceptable ones (message says what our
  // code did); error when the record could not be checked.
  Verdict verdict = Verdict::error;
  std::string message;
  std::string upstream;  // e.g. "RFC5869 A.1" or "wycheproof tcId 17"
};

// The outcome of `record` before it is judged (verdict error, no message): id, place, expected
// result, flags, the file's requirements, upstream reference.
VectorOutcome unjudged_outcome(const codec::VecFile& vec, const codec::VecRecord& record,
                               const std::string& relative_path, std::string id);

struct VectorFileRun {
  std::filesystem::path path;
  std::string relative_path;  // relative to the vectors directory
  std::string title;
  std::vector<std::string> load_errors;  // "file:line: message"
  std::vector<VectorOutcome> outcomes;
};

// All `*.vec` files below `vectors_dir`, sorted by relative path.
std::vector<std::filesystem::path> discover_vector_files(const std::filesystem::path& vectors_dir);

// Parses and checks one file. `vectors_dir` anchors the relative path used in ids.
VectorFileRun run_vector_file(const std::filesystem::path& file,
                              const std::filesystem::path& vectors_dir);

}  // namespace oi::scenario
