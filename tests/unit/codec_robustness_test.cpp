// Bad input never crashes a codec parser: every regular file of the repository, deterministic
// random byte strings and random mutations of the fixture stanzas go through base64 (both
// modes), every protobuf message parser and lint_xml. Run under the asan preset, this is the
// "Bad input" clause of issue 2.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "codec/base64.h"
#include "codec/envelope.h"
#include "codec/lint.h"
#include "codec/omemo2_messages.h"
#include "codec/signal_messages.h"
#include "file_test_support.h"

namespace fs = std::filesystem;
using namespace oi::codec;

using oi::test::read_file;

namespace {

// Runs every parser; returns the number of findings so the calls cannot be optimised away.
std::size_t feed(std::string_view text) {
  oi::ByteView bytes = oi::as_bytes(text);
  std::size_t n = 0;
  n += decode_base64_strict(text).error.size();
  n += decode_base64_lenient(text).error.size();
  n += parse_signal_message(bytes).findings.size();
  n += parse_pre_key_signal_message(bytes).findings.size();
  n += parse_omemo_message(bytes).findings.size();
  n += parse_omemo_authenticated_message(bytes).findings.size();
  n += parse_omemo_key_exchange(bytes).findings.size();
  n += lint_xml(text).findings.size();
  n += parse_envelope(text).findings.size();
  return n;
}

std::vector<fs::path> repository_files() {
  std::vector<fs::path> files;
  fs::path root(OMEMO_INTEROP_SOURCE_DIR);
  for (auto it =
           fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied);
       it != fs::recursive_directory_iterator(); ++it) {
    std::string name = it->path().filename().string();
    if (it->is_directory() && it.depth() == 0 && (name == "build" || name == ".git")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->file_size() < 4 * 1024 * 1024) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("every repository file goes through every codec parser", "[codec][robustness]") {
  auto files = repository_files();
  CHECK(files.size() > 10);
  for (const fs::path& path : files) {
    INFO(path.string());
    std::string text = read_file(path);
    CHECK_NOTHROW(feed(text));
  }
}

TEST_CASE("random byte strings go through every codec parser", "[codec][robustness]") {
  std::mt19937_64 rng(0x0e3e0'1f7ULL);
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \n<>/='\"";
  for (int i = 0; i < 3000; ++i) {
    std::size_t length = rng() % 200;
    std::string text(length, '\0');
    bool printable = i % 2 == 0;
    for (char& c : text)
      c = printable ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() & 0xff);
    CHECK_NOTHROW(feed(text));
  }
  // Protobuf-shaped input: valid tags with random values, so that the readers go deep.
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    std::size_t fields = rng() % 8;
    for (std::size_t f = 0; f < fields; ++f) {
      text.push_back(static_cast<char>(((rng() % 6) << 3) | (rng() % 6)));
      std::size_t len = rng() % 40;
      if (rng() % 2) text.push_back(static_cast<char>(len));
      for (std::size_t b = 0; b < len; ++b) text.push_back(static_cast<char>(rng() & 0xff));
    }
    if (rng() % 3 == 0) text.insert(text.begin(), '\x33');
    CHECK_NOTHROW(feed(text));
  }
}

TEST_CASE("mutated fixture stanzas go through lint", "[codec][robustness]") {
  std::mt19937_64 rng(42);
  fs::path dir = fs::path(OMEMO_INTEROP_SOURCE_DIR) / "tests" / "data" / "stanzas";
  std::vector<std::string> fixtures;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file()) fixtures.push_back(read_file(entry.path()));
  std::sort(fixtures.begin(), fixtures.end());
  REQUIRE_FALSE(fixtures.empty());
  const std::string interesting = "<>/='\"0 1-xAZ+&;\n";
  for (int i = 0; i < 3000; ++i) {
    std::string text = fixtures[static_cast<std::size_t>(i) % fixtures.size()];
    std::size_t mutations = 1 + rng() % 6;
    for (std::size_t m = 0; m < mutations && !text.empty(); ++m) {
      std::size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0:
          text[at] = interesting[rng() % interesting.size()];
          break;
        case 1:
          text.erase(at, 1 + rng() % 20);
          break;
        case 2:
          text.insert(at, 1, static_cast<char>(rng() & 0xff));
          break;
        default:
          text.insert(at, text.substr(rng() % text.size(), rng() % 40));
          break;
      }
    }
    CHECK_NOTHROW(lint_xml(text));
  }
}
