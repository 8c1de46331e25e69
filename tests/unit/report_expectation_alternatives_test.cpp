// Expectation entries with alternatives ("fail|pass") for results that vary between runs.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "report/expectations.h"

using namespace oi::report;
using oi::scenario::Verdict;

TEST_CASE("an entry with alternatives accepts each of them, and only them") {
  auto file =
      std::filesystem::temp_directory_path() / ("oi-expectations-" + std::to_string(::getpid()));
  std::ofstream(file) << "flaky/*\tfail|pass\tvaries with memory addresses\n"
                         "bad/*\tfail|maybe\tunknown alternative\n";
  ExpectationFile loaded = load_expectations(file);
  REQUIRE(loaded.entries.size() == 1);
  REQUIRE(loaded.errors.size() == 1);
  CHECK(loaded.errors[0].find("unknown verdict 'maybe'") != std::string::npos);

  std::vector<CaseResult> cases(3);
  cases[0].id = "flaky/a";
  cases[0].verdict = Verdict::pass;
  cases[1].id = "flaky/b";
  cases[1].verdict = Verdict::fail;
  cases[2].id = "flaky/c";
  cases[2].verdict = Verdict::crash;
  apply_expectations(loaded.entries, cases);
  CHECK(cases[0].verdict == Verdict::pass);
  CHECK_FALSE(cases[0].unexpected);
  CHECK(cases[1].verdict == Verdict::xfail);
  CHECK_FALSE(cases[1].unexpected);
  CHECK(cases[2].unexpected);  // a crash is neither alternative
  std::filesystem::remove(file);
}
