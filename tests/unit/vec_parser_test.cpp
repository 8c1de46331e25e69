// The omemo-vec/1 parser: the accepted syntax, and every error with its line (and column).
#include <catch2/catch.hpp>
#include <string>

#include "codec/vec_file.h"

using oi::codec::parse_vec;
using oi::codec::VecParseResult;
using oi::codec::VecResult;

namespace {

const std::string kHeader =
    "#! format: omemo-vec/1\n"
    "#! title: test\n"
    "#! check: hkdf-sha256\n"
    "#! fields: IKM:hex L:int Name:str Op:enum(a|b) Tags:list\n";

// Lines of kHeader, so tests can name absolute line numbers.
constexpr int kHeaderLines = 4;

VecParseResult parse(const std::string& body) {
  return parse_vec(kHeader + body, "t.vec");
}

// The single error of `result`, asserted to be at `line`, and its message.
std::string single_error_at(const VecParseResult& result, int line) {
  INFO([&] {
    std::string all;
    for (const auto& e : result.errors) all += e.to_string() + "\n";
    return all;
  }());
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].line == line);
  CHECK(result.errors[0].file == "t.vec");
  return result.errors[0].message;
}

}  // namespace

TEST_CASE("vec parser reads header, groups and records", "[vec]") {
  auto result = parse(
      "# a comment\n"
      "\n"
      "[G1]\n"
      "\n"
      "Id = 1\n"
      "Result = valid\n"
      "IKM = 00ff\n"
      "L = 42\n"
      "Name = \"a\\n\\\"b\\\\\\x41\"\n"
      "Op = b\n"
      "Tags = X,Y\n"
      "Flags = Ktv, Normal\n"
      "Upstream = \"RFC 5869 A.1\"\n"
      "\n"
      "Id = 2\n"
      "Result = acceptable\n"
      "IKM =\n"
      "Tags =\n");
  REQUIRE(result.ok());
  const auto& file = result.file;
  CHECK(file.header.format == "omemo-vec/1");
  CHECK(file.header.check == "hkdf-sha256");
  REQUIRE(file.records.size() == 2);
  const auto& first = file.records[0];
  CHECK(first.group == "G1");
  CHECK(first.line == kHeaderLines + 5);
  CHECK(first.id == 1);
  CHECK(first.result == VecResult::valid);
  CHECK(first.find("IKM")->bytes == oi::Bytes{0x00, 0xff});
  CHECK(first.find("L")->integer == 42);
  CHECK(first.find("Name")->text == "a\n\"b\\A");
  CHECK(first.find("Op")->text == "b");
  CHECK(first.find("Tags")->items == std::vector<std::string>{"X", "Y"});
  CHECK(first.flags == std::vector<std::string>{"Ktv", "Normal"});
  CHECK(first.upstream == "RFC 5869 A.1");
  const auto& second = file.records[1];
  CHECK(second.result == VecResult::acceptable);
  CHECK(second.find("IKM")->bytes.empty());
  CHECK(second.find("Tags")->items.empty());
}

TEST_CASE("vec parser: group-level fields are inherited and can be overridden", "[vec]") {
  auto result = parse(
      "[G]\n"
      "L = 7\n"
      "IKM = \"text\"\n"
      "\n"
      "Id = 1\n"
      "Result = valid\n"
      "\n"
      "Id = 2\n"
      "Result = invalid\n"
      "L = 8\n");
  REQUIRE(result.ok());
  REQUIRE(result.file.records.size() == 2);
  REQUIRE(result.file.groups.size() == 1);
  CHECK(result.file.groups[0].fields.at("L").integer == 7);
  const auto& first = result.file.records[0];
  CHECK(first.find("L")->integer == 7);
  CHECK(first.find("L")->inherited);
  CHECK(first.find("IKM")->bytes == oi::Bytes{'t', 'e', 'x', 't'});
  const auto& second = result.file.records[1];
  CHECK(second.find("L")->integer == 8);
  CHECK_FALSE(second.find("L")->inherited);
}

TEST_CASE("vec parser: hex continuation lines", "[vec]") {
  auto result = parse(
      "[G]\n"
      "\n"
      "Id = 1\n"
      "Result = valid\n"
      "IKM = 0001\n"
      "    0203\n"
      "\t04\n"
      "L = 1\n");
  REQUIRE(result.ok());
  CHECK(result.file.records.at(0).find("IKM")->bytes == oi::Bytes{0, 1, 2, 3, 4});

  SECTION("digits split oddly across lines still join") {
    auto odd_split = parse("[G]\n\nId = 1\nResult = valid\nIKM = 000\n  1\n");
    REQUIRE(odd_split.ok());
    CHECK(odd_split.file.records.at(0).find("IKM")->bytes == oi::Bytes{0x00, 0x01});
  }
  SECTION("a bad digit on a continuation line is reported on that line and column") {
    auto bad = parse("[G]\n\nId = 1\nResult = valid\nIKM = 00\n  0g\n");
    single_error_at(bad, kHeaderLines + 6);
    CHECK(bad.errors[0].column == 4);
    CHECK(bad.file.records.empty());
  }
  SECTION("continuation of a non-hex field") {
    auto bad = parse("[G]\n\nId = 1\nResult = valid\nL = 1\n  2\n");
    CHECK_THAT(single_error_at(bad, kHeaderLines + 6), Catch::Contains("not a hex field"));
  }
}

TEST_CASE("vec parser errors carry the line and skip only the bad record", "[vec]") {
  const std::string good_record = "\nId = 99\nResult = valid\n";

  struct Case {
    const char* name;
    std::string body;  // after "[G]\n\nId = 1\n" (record starts at header + 3)
    int line;          // absolute line of the expected error
    const char* text;
    int column;  // 0: not checked
  };
  const int first = kHeaderLines + 3;  // line of "Id = 1"
  const Case cases[] = {
      {"unknown field", "Result = valid\nNope = 00\n", first + 2, "unknown field 'Nope'", 1},
      {"duplicate field", "Result = valid\nL = 1\nL = 2\n", first + 3, "duplicate field 'L'", 1},
      {"odd-length hex", "Result = valid\nIKM = abc\n", first + 2, "odd-length hex", 7},
      {"non-hex character", "Result = valid\nIKM = 0z\n", first + 2, "non-hex character 'z'", 8},
      {"uppercase hex", "Result = valid\nIKM = 0A\n", first + 2, "uppercase hex", 8},
      {"bad int", "Result = valid\nL = 4x\n", first + 2, "bad int value '4x'", 5},
      {"int with leading zero", "Result = valid\nL = 007\n", first + 2, "bad int value", 5},
      {"unterminated string", "Result = valid\nName = \"abc\n", first + 2, "unterminated string",
       8},
      {"bad escape", "Result = valid\nName = \"a\\qb\"\n", first + 2, "bad escape '\\q'", 10},
      {"bad \\x escape", "Result = valid\nName = \"\\x4\"\n", first + 2, "\\x needs two hex digits",
       9},
      {"str without quotes", "Result = valid\nName = abc\n", first + 2, "needs a \"quoted\" value",
       8},
      {"text after closing quote", "Result = valid\nName = \"a\" b\n", first + 2,
       "after the closing quote", 0},
      {"bad Result", "Result = maybe\n", first + 1, "bad Result value 'maybe'", 10},
      {"enum outside its set", "Result = valid\nOp = c\n", first + 2,
       "bad Op value 'c' (expected a|b)", 6},
      {"bad list item", "Result = valid\nTags = a,,b\n", first + 2, "bad list item", 0},
      {"missing Result", "L = 1\n", first, "record without Result", 0},
      {"no equals sign", "Result = valid\njunk\n", first + 2, "expected 'Name = value'", 1},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      auto result = parse("[G]\n\nId = 1\n" + c.body + good_record);
      CHECK_THAT(single_error_at(result, c.line), Catch::Contains(c.text));
      if (c.column != 0) CHECK(result.errors[0].column == c.column);
      REQUIRE(result.file.records.size() == 1);  // the bad record is skipped, the next loads
      CHECK(result.file.records[0].id == 99);
    }
  }
}

TEST_CASE("vec parser file-level errors", "[vec]") {
  SECTION("missing format header") {
    auto result = parse_vec("#! check: x\n[G]\n\nId = 1\nResult = valid\n", "t.vec");
    CHECK_THAT(single_error_at(result, 1), Catch::Contains("missing '#! format: omemo-vec/1'"));
    CHECK(result.file.records.size() == 1);
  }
  SECTION("wrong format") {
    auto result = parse_vec("#! format: omemo-vec/2\n", "t.vec");
    CHECK_THAT(single_error_at(result, 1), Catch::Contains("unsupported format"));
  }
  SECTION("unknown header key") {
    auto result = parse("#! colour: blue\n");
    CHECK_THAT(single_error_at(result, kHeaderLines + 1),
               Catch::Contains("unknown header key 'colour'"));
  }
  SECTION("duplicate single-valued header key") {
    auto result = parse("#! check: aes-gcm\n");
    CHECK_THAT(single_error_at(result, kHeaderLines + 1), Catch::Contains("duplicate header key"));
  }
  SECTION("header after the first group") {
    auto result = parse("[G]\n\n#! title: late\n");
    CHECK_THAT(single_error_at(result, kHeaderLines + 3), Catch::Contains("after the first group"));
  }
  SECTION("bad field declaration") {
    auto result = parse("#! fields: X:float\n");
    CHECK_THAT(single_error_at(result, kHeaderLines + 1), Catch::Contains("unknown field type"));
  }
  SECTION("reserved field declared with another type") {
    auto result = parse("#! fields: Id:hex\n");
    CHECK_THAT(single_error_at(result, kHeaderLines + 1), Catch::Contains("reserved field Id"));
  }
  SECTION("requirements header") {
    auto result = parse("#! requirements: R-OM2-012, A-11, R-LEG-012\n");
    REQUIRE(result.ok());
    CHECK(result.file.header.requirements ==
          std::vector<std::string>{"R-OM2-012", "A-11", "R-LEG-012"});
    auto bad = parse("#! requirements: R-OM2-12\n");
    CHECK_THAT(single_error_at(bad, kHeaderLines + 1), Catch::Contains("bad requirement ID"));
  }
  SECTION("record before any group") {
    auto result = parse("Id = 1\nResult = valid\n\n[G]\n\nId = 2\nResult = valid\n");
    CHECK_THAT(single_error_at(result, kHeaderLines + 1),
               Catch::Contains("record before any [group]"));
    REQUIRE(result.file.records.size() == 1);
    CHECK(result.file.records[0].id == 2);
  }
  SECTION("duplicate Id in a file, across groups") {
    auto result = parse("[A]\n\nId = 5\nResult = valid\n\n[B]\n\nId = 5\nResult = valid\n");
    CHECK_THAT(single_error_at(result, kHeaderLines + 8),
               Catch::Contains("duplicate Id 5 (first at line 7)"));
    CHECK(result.file.records.size() == 1);
  }
  SECTION("bad group-level field skips the group's records, not the next group's") {
    auto result = parse(
        "[A]\nIKM = 0\n\nId = 1\nResult = valid\n\nId = 2\nResult = valid\n\n"
        "[B]\n\nId = 3\nResult = valid\n");
    REQUIRE(result.errors.size() == 3);
    CHECK(result.errors[0].line == kHeaderLines + 2);
    CHECK_THAT(result.errors[0].message, Catch::Contains("odd-length hex"));
    CHECK(result.errors[1].line == kHeaderLines + 4);
    CHECK_THAT(result.errors[1].message, Catch::Contains("group 'A'"));
    CHECK(result.errors[2].line == kHeaderLines + 7);
    REQUIRE(result.file.records.size() == 1);
    CHECK(result.file.records[0].id == 3);
  }
  SECTION("Id at group level (no blank line after the [group] line)") {
    auto result = parse("[A]\nId = 1\nResult = valid\n");
    REQUIRE_FALSE(result.errors.empty());
    CHECK(result.errors[0].line == kHeaderLines + 2);
    CHECK_THAT(result.errors[0].message, Catch::Contains("at group level"));
  }
  SECTION("CR line endings") {
    auto result = parse("[G]\r\n\r\nId = 1\r\nResult = valid\r\n");
    CHECK_THAT(single_error_at(result, kHeaderLines + 1), Catch::Contains("CR line ending"));
    CHECK(result.file.records.size() == 1);
  }
  SECTION("error text format") {
    auto result = parse("[G]\n\nId = 1\nResult = valid\nIKM = 0\n");
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].to_string() == "t.vec:9:7: odd-length hex value for IKM (1 digits)");
  }
}
