// Every shipped vector file through the runner, the runner's verdict rules on small synthetic
// files, and parser robustness against random and mutated input (run under ASan in CI).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "codec/vec_file.h"
#include "file_test_support.h"
#include "scenario/vector_run.h"

namespace fs = std::filesystem;
using oi::scenario::Verdict;

using oi::test::kVectorsDir;
using oi::test::read_file;

namespace {

oi::scenario::VectorFileRun run_text(const std::string& text) {
  return oi::test::run_vector_text(text, "oi-vec-test", "synthetic.vec");
}

}  // namespace

TEST_CASE("every shipped vector file passes", "[vec][vectors]") {
  const auto files = oi::scenario::discover_vector_files(kVectorsDir);
  REQUIRE(files.size() >= 8);
  std::size_t total = 0;
  std::map<std::string, int> by_verdict;
  for (const fs::path& file : files) {
    const auto run = oi::scenario::run_vector_file(file, kVectorsDir);
    INFO(run.relative_path);
    for (const auto& error : run.load_errors) FAIL_CHECK(error);
    CHECK_FALSE(run.outcomes.empty());
    for (const auto& outcome : run.outcomes) {
      ++by_verdict[std::string(oi::scenario::verdict_name(outcome.verdict))];
      if (outcome.verdict == Verdict::fail || outcome.verdict == Verdict::error) {
        FAIL_CHECK(outcome.id << " (line " << outcome.line << ", " << outcome.upstream
                              << "): " << outcome.message);
      }
      // Acceptable vectors are recorded, never passed or failed.
      if (outcome.expected == "acceptable") CHECK(outcome.verdict == Verdict::info);
      CHECK_FALSE(outcome.requirements.empty());
    }
    total += run.outcomes.size();
  }
  CHECK(by_verdict["fail"] == 0);
  CHECK(by_verdict["error"] == 0);
  CHECK(total >= 400);
}

TEST_CASE("vector runner: verdicts for valid, invalid and acceptable records", "[vec]") {
  const std::string header =
      "#! format: omemo-vec/1\n#! check: hmac-sha256\n#! requirements: R-OM2-014\n"
      "#! fields: Key:hex Msg:hex Tag:hex TagSize:int\n\n[G]\nTagSize = 128\n\n";
  // HMAC-SHA-256(key = "k", msg = "m") truncated to 16 bytes.
  const std::string good_tag = "b60090e3052297aeb5a080889ce2fc4b";
  auto run =
      run_text(header + "Id = 1\nResult = valid\nKey = \"k\"\nMsg = \"m\"\nTag = " + good_tag +
               "\n\n"
               "Id = 2\nResult = invalid\nKey = \"k\"\nMsg = \"m\"\nTag = " +
               good_tag +
               "\n\n"
               "Id = 3\nResult = acceptable\nKey = \"k\"\nMsg = \"m\"\nTag = 00\n\n"
               "Id = 4\nResult = valid\nKey = \"k\"\nMsg = \"m\"\n\n"
               "Id = 5\nResult = valid\nKey = \"k\"\nMsg = \"x\"\nTag = " +
               good_tag + "\n");
  REQUIRE(run.load_errors.empty());
  REQUIRE(run.outcomes.size() == 5);
  const auto& o = run.outcomes;
  // The true tag: if this fails, fix good_tag (computed with Python's hmac module).
  CHECK(o[0].verdict == Verdict::pass);
  CHECK(o[0].id == "synthetic/G/1");
  CHECK(o[0].requirements == std::vector<std::string>{"R-OM2-014"});
  CHECK(o[1].verdict == Verdict::fail);
  CHECK_THAT(o[1].message, Catch::Contains("accepted an invalid vector"));
  CHECK(o[2].verdict == Verdict::info);
  CHECK_THAT(o[2].message, Catch::StartsWith("rejected"));
  CHECK(o[3].verdict == Verdict::error);
  CHECK_THAT(o[3].message, Catch::Contains("synthetic.vec:27: record lacks field Tag"));
  CHECK(o[4].verdict == Verdict::fail);
  CHECK_THAT(o[4].message, Catch::Contains("rejected a valid vector"));
}

TEST_CASE("vector runner: unknown or missing checker makes every record an error", "[vec]") {
  auto run = run_text("#! format: omemo-vec/1\n#! check: rot13\n\n[G]\n\nId = 1\nResult = valid\n");
  REQUIRE(run.outcomes.size() == 1);
  CHECK(run.outcomes[0].verdict == Verdict::error);
  CHECK_THAT(run.outcomes[0].message, Catch::Contains("unknown checker 'rot13'"));
  REQUIRE(run.load_errors.size() == 1);

  auto none = run_text("#! format: omemo-vec/1\n\n[G]\n\nId = 1\nResult = valid\n");
  REQUIRE(none.outcomes.size() == 1);
  CHECK(none.outcomes[0].verdict == Verdict::error);
  CHECK_THAT(none.outcomes[0].message, Catch::Contains("no '#! check:' header"));
}

TEST_CASE("vector runner: a file that does not exist", "[vec]") {
  auto run = oi::scenario::run_vector_file(kVectorsDir / "no-such-file.vec", kVectorsDir);
  CHECK(run.outcomes.empty());
  REQUIRE(run.load_errors.size() == 1);
  CHECK_THAT(run.load_errors[0], Catch::Contains("cannot read"));
}

TEST_CASE("vec parser survives random bytes and mutated vector files", "[vec][robustness]") {
  std::mt19937 rng(20261128);
  auto byte = [&] { return static_cast<char>(rng() & 0xff); };

  SECTION("random bytes") {
    for (int i = 0; i < 300; ++i) {
      std::string text(rng() % 2000, '\0');
      for (char& c : text) c = byte();
      CHECK_NOTHROW(oi::codec::parse_vec(text, "random.vec"));
    }
  }
  SECTION("random bytes from the format's own alphabet") {
    const std::string alphabet = "#![]=\" \t\n\\x0aF,:|()-Id ResultvalidHexIKMfields";
    for (int i = 0; i < 300; ++i) {
      std::string text = "#! format: omemo-vec/1\n#! fields: IKM:hex L:int E:enum(a|b) S:str\n";
      const std::size_t length = rng() % 1500;
      for (std::size_t j = 0; j < length; ++j) text.push_back(alphabet[rng() % alphabet.size()]);
      CHECK_NOTHROW(oi::codec::parse_vec(text, "alphabet.vec"));
    }
  }
  SECTION("mutated copies of the shipped files") {
    for (const fs::path& file : oi::scenario::discover_vector_files(kVectorsDir)) {
      const std::string original = read_file(file);
      REQUIRE_FALSE(original.empty());
      for (int i = 0; i < 12; ++i) {
        std::string text = original;
        const int edits = 1 + static_cast<int>(rng() % 20);
        for (int e = 0; e < edits; ++e) {
          const std::size_t at = rng() % text.size();
          switch (rng() % 4) {
            case 0:
              text[at] = byte();
              break;
            case 1:
              text.erase(at, rng() % 64);
              break;
            case 2:
              text.insert(at, std::string(1, "\n\"\\ =[]#"[rng() % 8]));
              break;
            default:
              text.insert(at, text.substr(rng() % text.size(), rng() % 200));
              break;
          }
          if (text.empty()) text = "x";
        }
        if (i % 3 == 0) text.resize(rng() % text.size());  // truncated mid-line
        oi::codec::VecParseResult result;
        CHECK_NOTHROW(result = oi::codec::parse_vec(text, file.filename().string()));
        for (const auto& error : result.errors) CHECK(error.line >= 0);
      }
    }
  }
  SECTION("mutated files through the runner (checkers must not crash either)") {
    const fs::path dir = fs::temp_directory_path() / "oi-vec-mutated";
    fs::create_directories(dir);
    for (const fs::path& file : oi::scenario::discover_vector_files(kVectorsDir)) {
      std::string text = read_file(file);
      // Flip characters inside values only near the top: keeps most records parseable, so the
      // checkers see odd lengths and wrong sizes.
      for (int e = 0; e < 40; ++e) {
        const std::size_t at = rng() % std::min<std::size_t>(text.size(), 6000);
        if (text[at] >= '0' && text[at] <= '9') text.erase(at, 1 + rng() % 3);
      }
      const fs::path mutated = dir / file.filename();
      std::ofstream(mutated, std::ios::binary) << text;
      CHECK_NOTHROW(oi::scenario::run_vector_file(mutated, dir));
    }
  }
}
