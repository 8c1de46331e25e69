#include "report/pair_matrix.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace oi::report {

using scenario::Verdict;

void CellCounts::add(const CaseResult& result) {
  ++total;
  if (result.verdict == Verdict::pass || result.verdict == Verdict::info) ++passed;
  if (result.unexpected) {
    ++unexpected;
    if (result.verdict != Verdict::fail && result.verdict != Verdict::non_strict) {
      ++unexpected_errors;
    }
  } else if (result.verdict == Verdict::xfail || scenario::is_failure_verdict(result.verdict)) {
    ++known;
  }
}

CellState CellCounts::state() const {
  if (total == 0) return CellState::none;
  if (unexpected > unexpected_errors) return CellState::failure;
  if (unexpected_errors > 0) return CellState::error;
  if (known > 0) return CellState::known;
  return CellState::success;
}

const PairCell& ProfileMatrix::at(std::size_t producer, std::size_t consumer) const {
  return cells.at(producer * implementations.size() + consumer);
}

std::pair<std::string, std::string> producer_consumer(const CaseResult& result) {
  if (result.roles.empty()) return {};
  auto first = result.roles.begin();
  auto second = std::next(first);
  return {first->second, second == result.roles.end() ? first->second : second->second};
}

std::vector<std::string> matrix_implementations(const Results& results) {
  std::vector<std::string> names;
  auto add = [&](const std::string& name) {
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  };
  for (const ImplementationInfo& implementation : results.implementations) {
    if (implementation.available) add(implementation.name);
  }
  for (const CaseResult& result : results.results) {
    for (const auto& [role, name] : result.roles) add(name);
  }
  return names;
}

std::vector<ProfileMatrix> profile_matrices(const Results& results) {
  std::vector<std::string> names = matrix_implementations(results);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < names.size(); ++i) index[names[i]] = i;

  std::vector<std::string> profiles;
  for (const CaseResult& result : results.results) {
    if (result.roles.empty()) continue;
    if (std::find(profiles.begin(), profiles.end(), result.profile) == profiles.end()) {
      profiles.push_back(result.profile);
    }
  }
  auto rank = [](const std::string& profile) {
    return profile == "legacy" ? 0 : profile == "omemo2" ? 1 : profile.empty() ? 3 : 2;
  };
  std::sort(profiles.begin(), profiles.end(), [&](const std::string& a, const std::string& b) {
    return std::pair{rank(a), a} < std::pair{rank(b), b};
  });

  std::vector<ProfileMatrix> matrices;
  for (const std::string& profile : profiles) {
    ProfileMatrix matrix{profile, names, {}};
    for (const std::string& producer : names) {
      for (const std::string& consumer : names) matrix.cells.push_back({producer, consumer, {}});
    }
    for (const CaseResult& result : results.results) {
      if (result.roles.empty() || result.profile != profile) continue;
      auto [producer, consumer] = producer_consumer(result);
      matrix.cells[index.at(producer) * names.size() + index.at(consumer)].counts.add(result);
    }
    matrices.push_back(std::move(matrix));
  }
  return matrices;
}

std::string_view state_glyph(CellState state) {
  switch (state) {
    case CellState::failure:
      return "\u2717";  // ✗
    case CellState::error:
      return "\u26A0";  // ⚠
    case CellState::known:
      return "\u2248";  // ≈
    case CellState::success:
      return "\u2713";  // ✓
    case CellState::none:
      return "\u00B7";  // ·
  }
  return "?";
}

std::string_view state_class(CellState state) {
  switch (state) {
    case CellState::failure:
      return "st-failure";
    case CellState::error:
      return "st-error";
    case CellState::known:
      return "st-known";
    case CellState::success:
      return "st-success";
    case CellState::none:
      return "st-none";
  }
  return "st-none";
}

std::string_view state_meaning(CellState state) {
  switch (state) {
    case CellState::failure:
      return "unexpected failures (a MUST or SHOULD broken, not predicted)";
    case CellState::error:
      return "unexpected errors (timeout, crash, harness error, unsupported, or a predicted "
             "failure that passed)";
    case CellState::known:
      return "only failures an expectation file predicts, with its reason";
    case CellState::success:
      return "every case as expected";
    case CellState::none:
      return "no case for this pair";
  }
  return "";
}

std::string_view verdict_glyph(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return "\u2713";
    case Verdict::info:
      return "\u2139";  // ℹ
    case Verdict::fail:
    case Verdict::non_strict:
      return "\u2717";
    case Verdict::xfail:
      return "\u2248";
    case Verdict::not_applicable:
      return "\u2205";  // ∅
    case Verdict::unsupported:
    case Verdict::timeout:
    case Verdict::crash:
    case Verdict::error:
    case Verdict::xpass:
      return "\u26A0";
  }
  return "?";
}

namespace {

// Single-quotes `word` for a POSIX shell when it holds anything but [A-Za-z0-9_./:@%+=,-].
std::string shell_word(const std::string& word) {
  bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_./:@%+=,-").find(c) != std::string_view::npos;
  });
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

std::string reproduce_command(const Results& results, const CaseResult& result) {
  std::string seed = results.run.seed.empty() ? "" : " --seed " + shell_word(results.run.seed);
  if (result.scenario.starts_with("vectors/")) {
    std::string command = "./omemo-interop vectors " + shell_word(result.scenario);
    if (!result.roles.empty()) command += " --impl " + shell_word(result.roles.begin()->second);
    return command;
  }
  if (result.roles.empty()) return "./omemo-interop run" + seed;
  auto [producer, consumer] = producer_consumer(result);
  std::string command =
      fmt::format("./omemo-interop run{} --scenario {}", seed, shell_word(result.scenario));
  if (!result.profile.empty()) command += " --profile " + shell_word(result.profile);
  command += " --pair " + shell_word(producer + ":" + consumer);
  return command;
}

}  // namespace oi::report
