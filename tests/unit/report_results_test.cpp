#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <pugixml.hpp>
#include <sstream>

#include "report/console.h"
#include "report/junit.h"
#include "report/results_json.h"

using namespace oi::report;
using oi::scenario::Verdict;

namespace {
Results sample_results() {
  Results results;
  results.run = {"2026-11-28T12:00:00Z", "00ff", "0.1.0", "unknown", "omemo-interop run", ""};
  results.implementations.push_back(
      {"reference", "0.1.0", "engine", {"legacy", "omemo2"}, true, "own engine"});
  results.requirements.push_back({"R-OM2-020", "MUST", "§5.1", "Device id is in range."});
  CaseResult pass;
  pass.id = "vectors/a/G/1";
  pass.scenario = "vectors/a.vec";
  pass.roles = {{"A", "reference"}};
  pass.verdict = Verdict::pass;
  pass.message = "ok";
  results.results.push_back(pass);
  CaseResult fail = pass;
  fail.id = "vectors/a/G/2";
  fail.verdict = Verdict::fail;
  fail.unexpected = true;
  fail.message = "expected <b>\"x\"</b> & got y";
  fail.transcript = "<script>alert(1)</script>";
  results.results.push_back(fail);
  CaseResult known = pass;
  known.id = "vectors/b/G/1";
  known.scenario = "vectors/b.vec";
  known.verdict = Verdict::xfail;
  known.expected = "xfail";
  results.results.push_back(known);
  return results;
}
}  // namespace

TEST_CASE("results.json round-trips and carries the summary", "[report]") {
  Results results = sample_results();
  nlohmann::json document = results_to_json(results);
  CHECK(document["schema"] == "omemo-interop/results/v1");
  CHECK(document["summary"]["total"] == 3);
  CHECK(document["summary"]["unexpected"] == 1);
  CHECK(document["summary"]["by_verdict"]["fail"] == 1);
  Results back = results_from_json(nlohmann::json::parse(document.dump()), "mem");
  REQUIRE(back.results.size() == 3);
  CHECK(back.results[1].verdict == Verdict::fail);
  CHECK(back.results[1].message == results.results[1].message);
  CHECK(back.implementations[0].profiles == std::vector<std::string>{"legacy", "omemo2"});
  CHECK(results_to_json(back) == document);
}

TEST_CASE("a results.json with a bad field names the field", "[report]") {
  nlohmann::json document = results_to_json(sample_results());
  document["results"][1]["verdict"] = "passed";
  CHECK_THROWS_WITH(results_from_json(document, "r.json"),
                    Catch::Contains("r.json: results[1]: unknown verdict 'passed'"));
  document = results_to_json(sample_results());
  document["results"][0].erase("id");
  CHECK_THROWS_WITH(results_from_json(document, "r.json"),
                    Catch::Contains("results[0]: missing field 'id'"));
  CHECK_THROWS_WITH(results_from_json(nlohmann::json::object(), "r.json"),
                    Catch::Contains("not an omemo-interop/results/v1 document"));
}

TEST_CASE("unexpected means a failure nobody predicted, or a prediction that missed", "[report]") {
  CHECK_FALSE(is_unexpected(Verdict::pass, ""));
  CHECK(is_unexpected(Verdict::fail, ""));
  CHECK(is_unexpected(Verdict::crash, ""));
  CHECK_FALSE(is_unexpected(Verdict::xfail, "xfail"));
  CHECK(is_unexpected(Verdict::pass, "xfail"));
}

TEST_CASE("JUnit XML counts failures per suite and escapes text", "[report]") {
  auto dir = std::filesystem::temp_directory_path() / "oi_junit_test";
  std::filesystem::path path = write_junit_xml(sample_results(), dir);
  pugi::xml_document document;
  REQUIRE(document.load_file(path.c_str()));
  pugi::xml_node suite_a = document.select_node("//testsuite[@name='vectors/a.vec']").node();
  CHECK(suite_a.attribute("tests").as_int() == 2);
  CHECK(suite_a.attribute("failures").as_int() == 1);
  pugi::xml_node failure = suite_a.select_node("testcase/failure").node();
  CHECK(std::string(failure.attribute("message").value()) ==
        "verdict fail: expected <b>\"x\"</b> & got y");
  CHECK(std::string(failure.child_value()) == "<script>alert(1)</script>");
  pugi::xml_node suite_b = document.select_node("//testsuite[@name='vectors/b.vec']").node();
  CHECK(suite_b.attribute("skipped").as_int() == 1);
}

TEST_CASE("the console report lists unexpected results and totals", "[report]") {
  std::ostringstream out;
  print_console_report(sample_results(), out);
  std::string text = out.str();
  CHECK(text.find("vectors/a/G/2 [fail]") != std::string::npos);
  CHECK(text.find("3 cases: 2 as expected, 1 unexpected") != std::string::npos);
}

TEST_CASE("results.json carries checks, decrypted view, stderr, description and expectation",
          "[report]") {
  Results results = sample_results();
  CaseResult& cell = results.results[1];
  cell.area = "session";
  cell.description = "A first message.";
  cell.expectation_reason = "known gap";
  cell.expectation_link = "https://example.org/1";
  cell.checks = {{"R-OM2-020", "must", false, "s.xml:3: no"}, {"", "info", true, "s.xml:4"}};
  cell.decrypted = {"b1 received message body=\"x\""};
  cell.adapter_log = "[alpha]\nwarning\n";
  nlohmann::json document = results_to_json(results);
  Results back = results_from_json(nlohmann::json::parse(document.dump()), "mem");
  const CaseResult& read = back.results[1];
  CHECK(read.area == "session");
  CHECK(read.description == "A first message.");
  CHECK(read.expectation_reason == "known gap");
  CHECK(read.expectation_link == "https://example.org/1");
  REQUIRE(read.checks.size() == 2);
  CHECK(read.checks[0].requirement == "R-OM2-020");
  CHECK_FALSE(read.checks[0].held);
  CHECK(read.checks[1].held);
  CHECK(read.decrypted == cell.decrypted);
  CHECK(read.adapter_log == cell.adapter_log);
  CHECK(results_to_json(back) == document);
}

TEST_CASE("a results.json from before the evidence fields still reads", "[report]") {
  nlohmann::json document = results_to_json(sample_results());
  for (nlohmann::json& item : document["results"]) {
    for (const char* key : {"area", "description", "expectation_reason", "expectation_link",
                            "checks", "decrypted", "adapter_log"}) {
      item.erase(key);
    }
  }
  Results back = results_from_json(document, "old.json");
  REQUIRE(back.results.size() == 3);
  CHECK(back.results[0].area == "vectors");
  CHECK(back.results[0].checks.empty());
  document["results"][0]["checks"] = {{{"level", "must"}}};
  CHECK_THROWS_WITH(results_from_json(document, "r.json"),
                    Catch::Contains("results[0]: checks[0]: missing field 'requirement'"));
}

TEST_CASE("an old sectioned transcript is split into decrypted view, checks and transcript",
          "[report]") {
  nlohmann::json document = results_to_json(sample_results());
  nlohmann::json& item = document["results"][0];
  for (const char* key : {"checks", "decrypted", "adapter_log"}) item.erase(key);
  item["transcript"] =
      "== decrypted view\nb1 received message body=\"x\"\n== checks\nheld   must s.xml:3: R-1: "
      "ok\nFAILED should s.xml:4: no\n== transcript\n#1 2026-01-01T00:00:00Z [1 send] c2s a/1 "
      "delivered <message/>\n";
  Results back = results_from_json(document, "old.json");
  const CaseResult& read = back.results[0];
  CHECK(read.decrypted == std::vector<std::string>{"b1 received message body=\"x\""});
  REQUIRE(read.checks.size() == 2);
  CHECK(read.checks[0].held);
  CHECK(read.checks[0].level == "must");
  CHECK(read.checks[0].message == "s.xml:3: R-1: ok");
  CHECK_FALSE(read.checks[1].held);
  CHECK(read.checks[1].level == "should");
  CHECK(read.transcript == "#1 2026-01-01T00:00:00Z [1 send] c2s a/1 delivered <message/>\n");
}
