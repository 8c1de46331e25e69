#include "report/junit.h"

#include <fmt/format.h>

#include <map>
#include <pugixml.hpp>
#include <stdexcept>

#include "report/text_escape.h"

namespace oi::report {

using scenario::Verdict;

namespace {

bool is_error_verdict(Verdict verdict) {
  return verdict == Verdict::timeout || verdict == Verdict::crash || verdict == Verdict::error ||
         verdict == Verdict::unsupported;
}

// The evidence a CI log shows under a failure: decrypted view, checks, adapter stderr, transcript.
std::string evidence_text(const CaseResult& result) {
  std::string text;
  if (!result.decrypted.empty()) {
    text += "== decrypted view\n";
    for (const std::string& line : result.decrypted) text += line + "\n";
  }
  if (!result.checks.empty()) {
    text += "== checks\n";
    for (const CheckResult& check : result.checks) {
      text += (check.held ? "held   " : "FAILED ") + check.level + " " + check.message + "\n";
    }
  }
  if (!result.adapter_log.empty()) text += "== adapter stderr\n" + result.adapter_log + "\n";
  if (!result.transcript.empty()) {
    text += (text.empty() ? "" : "== transcript\n") + result.transcript;
  }
  return text;
}

}  // namespace

std::filesystem::path write_junit_xml(const Results& results, const std::filesystem::path& dir) {
  std::map<std::string, const RequirementInfo*> catalogue;
  for (const RequirementInfo& requirement : results.requirements) {
    catalogue[requirement.id] = &requirement;
  }
  std::map<std::string, std::vector<const CaseResult*>> by_suite;
  for (const CaseResult& result : results.results) by_suite[result.scenario].push_back(&result);

  pugi::xml_document document;
  pugi::xml_node suites = document.append_child("testsuites");
  suites.append_attribute("name") = "omemo-interop";
  for (const auto& [suite_name, cases] : by_suite) {
    pugi::xml_node suite = suites.append_child("testsuite");
    suite.append_attribute("name") = suite_name.c_str();
    std::size_t failures = 0, errors = 0, skipped = 0;
    double seconds = 0;
    for (const CaseResult* result : cases) {
      pugi::xml_node testcase = suite.append_child("testcase");
      testcase.append_attribute("classname") = suite_name.c_str();
      testcase.append_attribute("name") = result->id.c_str();
      testcase.append_attribute("time") = result->duration_ms / 1000.0;
      seconds += result->duration_ms / 1000.0;
      if (!result->requirements.empty() || !result->profile.empty()) {
        pugi::xml_node properties = testcase.append_child("properties");
        auto add_property = [&](const std::string& name, const std::string& value) {
          pugi::xml_node property = properties.append_child("property");
          property.append_attribute("name") = name.c_str();
          property.append_attribute("value") = value.c_str();
        };
        if (!result->profile.empty()) add_property("profile", result->profile);
        // Each requirement with its keyword, XEP section and the catalogue's text.
        for (const std::string& id : result->requirements) {
          auto found = catalogue.find(id);
          add_property("requirement",
                       found == catalogue.end()
                           ? id
                           : fmt::format("{} [{}] {}: {}", id, found->second->level,
                                         found->second->section, found->second->text));
        }
      }
      std::string verdict(scenario::verdict_name(result->verdict));
      std::string text = fmt::format("verdict {}: {}", verdict, result->message);
      if (result->unexpected) {
        bool is_error = is_error_verdict(result->verdict);
        pugi::xml_node node = testcase.append_child(is_error ? "error" : "failure");
        node.append_attribute("type") = verdict.c_str();
        node.append_attribute("message") = valid_utf8(text).c_str();
        std::string evidence = evidence_text(*result);
        if (!evidence.empty()) {
          node.append_child(pugi::node_pcdata).set_value(valid_utf8(evidence).c_str());
        }
        ++(is_error ? errors : failures);
      } else if (result->verdict == Verdict::xfail || result->verdict == Verdict::not_applicable) {
        testcase.append_child("skipped").append_attribute("message") = valid_utf8(text).c_str();
        ++skipped;
      }
    }
    suite.append_attribute("tests") = cases.size();
    suite.append_attribute("failures") = failures;
    suite.append_attribute("errors") = errors;
    suite.append_attribute("skipped") = skipped;
    suite.append_attribute("time") = seconds;
  }
  std::filesystem::create_directories(dir);
  std::filesystem::path path = dir / "junit.xml";
  if (!document.save_file(path.c_str(), "  ")) {
    throw std::runtime_error(fmt::format("{}: write failed", path.string()));
  }
  return path;
}

}  // namespace oi::report
