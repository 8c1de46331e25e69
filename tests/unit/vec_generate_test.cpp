// The protocol vector files (vectors/legacy, vectors/omemo2) are exactly what the generators
// produce (vector_generate.h), every generated record passes its checker, and generation is
// reproducible.
//
// To (re)write the committed files after changing a generator, run this test with
// OMEMO_INTEROP_WRITE_VECTORS=1 in the environment: it writes every generated file into the
// source tree's vectors/ directory instead of comparing (vectors/README.md, "Protocol vectors").
// Then run the cross-checks (ctest -R crosscheck) before committing.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "file_test_support.h"
#include "scenario/vector_generate.h"
#include "scenario/vector_run.h"

namespace fs = std::filesystem;
using oi::scenario::GeneratedVectorFile;
using oi::scenario::Verdict;

using oi::test::kVectorsDir;
using oi::test::read_file;

namespace {

std::vector<GeneratedVectorFile> all_generated() {
  auto files = oi::scenario::generate_legacy_protocol_vectors();
  for (auto& file : oi::scenario::generate_omemo2_protocol_vectors())
    files.push_back(std::move(file));
  return files;
}

bool write_mode() {
  const char* value = std::getenv("OMEMO_INTEROP_WRITE_VECTORS");
  return value != nullptr && std::string(value) == "1";
}

}  // namespace

TEST_CASE("committed protocol vector files equal the generators' output", "[vec][generate]") {
  const auto files = all_generated();
  REQUIRE(files.size() == 15);
  for (const GeneratedVectorFile& file : files) {
    INFO(file.relative_path);
    const fs::path path = kVectorsDir / file.relative_path;
    if (write_mode()) {
      fs::create_directories(path.parent_path());
      std::ofstream(path, std::ios::binary) << file.content;
      WARN("wrote " << path.string());
      continue;
    }
    REQUIRE(fs::exists(path));
    CHECK(read_file(path) == file.content);
  }
}

TEST_CASE("protocol vector generation is reproducible", "[vec][generate]") {
  const auto first = all_generated();
  const auto second = all_generated();
  REQUIRE(first.size() == second.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    INFO(first[i].relative_path);
    CHECK(first[i].relative_path == second[i].relative_path);
    CHECK(first[i].content == second[i].content);
  }
}

TEST_CASE("every generated protocol vector passes its checker", "[vec][generate]") {
  const fs::path dir = fs::temp_directory_path() / "oi-vec-generated";
  for (const GeneratedVectorFile& file : all_generated()) {
    const fs::path path = dir / file.relative_path;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << file.content;
    const auto run = oi::scenario::run_vector_file(path, dir);
    INFO(file.relative_path);
    for (const auto& error : run.load_errors) FAIL_CHECK(error);
    CHECK(run.outcomes.size() >= 5);
    std::size_t invalid = 0;
    for (const auto& outcome : run.outcomes) {
      // Acceptable records (behaviour recorded, not judged) give info; all others must pass.
      const Verdict wanted = outcome.expected == "acceptable" ? Verdict::info : Verdict::pass;
      if (outcome.verdict != wanted) {
        FAIL_CHECK(outcome.id << " (line " << outcome.line << "): " << outcome.message);
      }
      if (outcome.expected == "invalid") ++invalid;
    }
    // Every file but the KDF steps carries negative records.
    if (file.relative_path.find("kdf") == std::string::npos &&
        file.relative_path.find("x3dh.vec") == std::string::npos) {
      CHECK(invalid > 0);
    }
  }
}
