// The "Are We OMEMO Yet" aggregation every renderer shares: for each profile, producer x
// consumer cells of case counts, and the state a cell shows (colour, glyph, corner marker).
//
// A case's producer is the implementation bound to its first role, its consumer the one bound
// to its second role (the first again for one-role cases); role names sort in scenario order
// ("A", "B", ...), as `--pair` selects them. Profile-neutral cases (vectors) form the matrix of
// profile "" on the diagonal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "report/results.h"

namespace oi::report {

// What a set of cases amounts to, worst first: a failure nobody predicted, an unexpected error
// (timeout, crash, harness error, unsupported, xpass...), only predicted failures, all as
// expected, or no case at all.
enum class CellState { failure, error, known, success, none };

struct CellCounts {
  std::size_t total = 0;
  std::size_t passed = 0;             // pass or info: every MUST and SHOULD check held
  std::size_t unexpected = 0;         // unexpected results
  std::size_t unexpected_errors = 0;  // the unexpected ones that are not fail/non-strict
  std::size_t known = 0;              // failures an expectation predicted (xfail, ...)

  void add(const CaseResult& result);
  CellState state() const;
};

struct PairCell {
  std::string producer, consumer;
  CellCounts counts;
};

struct ProfileMatrix {
  std::string profile;  // "legacy", "omemo2", or "" for the profile-neutral cases
  std::vector<std::string> implementations;  // row and column order
  // implementations.size()^2 cells, row-major: cells[row * n + column].
  std::vector<PairCell> cells;

  const PairCell& at(std::size_t producer, std::size_t consumer) const;
};

// The producer and consumer implementation of a case (empty strings when it has no roles).
std::pair<std::string, std::string> producer_consumer(const CaseResult& result);

// The implementations the matrices show: every available one in results.implementations
// order, then any other name a case binds to a role.
std::vector<std::string> matrix_implementations(const Results& results);

// One matrix per profile that has cases: "legacy", "omemo2", others by name, "" last.
std::vector<ProfileMatrix> profile_matrices(const Results& results);

// The glyph, CSS class and legend text of each state.
std::string_view state_glyph(CellState state);
std::string_view state_class(CellState state);
std::string_view state_meaning(CellState state);

// The glyph of one case's verdict: ✓ pass, ✗ fail/non-strict, ≈ xfail, ⚠ error verdicts...
std::string_view verdict_glyph(scenario::Verdict verdict);

// The shell command that re-runs exactly this case with the run's seed.
std::string reproduce_command(const Results& results, const CaseResult& result);

}  // namespace oi::report
