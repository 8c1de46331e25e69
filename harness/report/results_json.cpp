#include "report/results_json.h"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>

namespace oi::report {

using nlohmann::json;

json results_to_json(const Results& results) {
  json document;
  document["schema"] = kResultsSchema;
  document["run"] = {{"started", results.run.started},
                     {"seed", results.run.seed},
                     {"harness_version", results.run.harness_version},
                     {"commit", results.run.commit},
                     {"command", results.run.command},
                     {"shard", results.run.shard}};
  document["implementations"] = json::array();
  for (const ImplementationInfo& impl : results.implementations) {
    document["implementations"].push_back({{"name", impl.name},
                                           {"version", impl.version},
                                           {"kind", impl.kind},
                                           {"profiles", impl.profiles},
                                           {"available", impl.available},
                                           {"detail", impl.detail}});
  }
  document["requirements"] = json::array();
  for (const RequirementInfo& requirement : results.requirements) {
    document["requirements"].push_back({{"id", requirement.id},
                                        {"level", requirement.level},
                                        {"section", requirement.section},
                                        {"text", requirement.text}});
  }
  document["results"] = json::array();
  for (const CaseResult& result : results.results) {
    json checks = json::array();
    for (const CheckResult& check : result.checks) {
      checks.push_back({{"requirement", check.requirement},
                        {"level", check.level},
                        {"held", check.held},
                        {"message", check.message}});
    }
    document["results"].push_back({{"id", result.id},
                                   {"scenario", result.scenario},
                                   {"area", result.area},
                                   {"description", result.description},
                                   {"profile", result.profile},
                                   {"roles", result.roles},
                                   {"requirements", result.requirements},
                                   {"verdict", scenario::verdict_name(result.verdict)},
                                   {"expected", result.expected},
                                   {"expectation_reason", result.expectation_reason},
                                   {"expectation_link", result.expectation_link},
                                   {"unexpected", result.unexpected},
                                   {"message", result.message},
                                   {"duration_ms", result.duration_ms},
                                   {"checks", std::move(checks)},
                                   {"decrypted", result.decrypted},
                                   {"adapter_log", result.adapter_log},
                                   {"transcript", result.transcript}});
  }
  Summary summary = results.summary();
  document["summary"] = {{"total", summary.total},
                         {"by_verdict", summary.by_verdict},
                         {"unexpected", summary.unexpected}};
  return document;
}

namespace {

// Reads document[key] as T, naming the field on failure.
template <class T>
T field(const json& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key)) {
    throw std::runtime_error(fmt::format("{}: missing field '{}'", where, key));
  }
  try {
    return object.at(key).get<T>();
  } catch (const json::exception& e) {
    throw std::runtime_error(fmt::format("{}: field '{}': {}", where, key, e.what()));
  }
}

// Reads object[key] as T when present (fields added after the first v1 files), else `fallback`.
template <class T>
T optional_field(const json& object, const char* key, const std::string& where, T fallback) {
  if (!object.is_object() || !object.contains(key)) return fallback;
  return field<T>(object, key, where);
}

// Files written before `checks` and `decrypted` existed carried them in the transcript:
// "== decrypted view\n<lines>== checks\n<held|FAILED> <level> <message>\n...== transcript\n...".
// Splits such a transcript into the fields; leaves any other transcript alone.
void split_sectioned_transcript(CaseResult& result) {
  const std::string decrypted_head = "== decrypted view\n", checks_head = "== checks\n",
                    transcript_head = "== transcript\n";
  if (!result.transcript.starts_with(decrypted_head)) return;
  std::size_t checks_at = result.transcript.find("\n" + checks_head);
  std::size_t transcript_at = result.transcript.find("\n" + transcript_head);
  if (checks_at == std::string::npos || transcript_at == std::string::npos ||
      transcript_at < checks_at) {
    return;
  }
  auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start < text.size();) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      out.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return out;
  };
  std::size_t decrypted_start = decrypted_head.size();
  result.decrypted = lines(result.transcript.substr(
      decrypted_start, checks_at + 1 > decrypted_start ? checks_at + 1 - decrypted_start : 0));
  std::size_t checks_start = checks_at + 1 + checks_head.size();
  for (const std::string& line :
       lines(result.transcript.substr(checks_start, transcript_at + 1 - checks_start))) {
    // "held   must msg" or "FAILED must msg"
    bool held = line.starts_with("held ");
    std::size_t level_start = line.find_first_not_of(' ', held ? 5 : 7);
    std::size_t level_end = line.find(' ', level_start == std::string::npos ? 0 : level_start);
    if (level_start == std::string::npos || level_end == std::string::npos) continue;
    result.checks.push_back(
        {"", line.substr(level_start, level_end - level_start), held, line.substr(level_end + 1)});
  }
  result.transcript = result.transcript.substr(transcript_at + 1 + transcript_head.size());
}

}  // namespace

Results results_from_json(const json& document, const std::string& source_name) {
  if (!document.is_object() || document.value("schema", "") != kResultsSchema) {
    throw std::runtime_error(
        fmt::format("{}: not an {} document (field 'schema')", source_name, kResultsSchema));
  }
  Results results;
  const json& run = document.at("run");
  std::string where = source_name + ": run";
  results.run = {
      field<std::string>(run, "started", where),         field<std::string>(run, "seed", where),
      field<std::string>(run, "harness_version", where), field<std::string>(run, "commit", where),
      field<std::string>(run, "command", where),         field<std::string>(run, "shard", where)};
  for (std::size_t i = 0;
       const json& impl : field<json>(document, "implementations", source_name)) {
    where = fmt::format("{}: implementations[{}]", source_name, i++);
    results.implementations.push_back(
        {field<std::string>(impl, "name", where), field<std::string>(impl, "version", where),
         field<std::string>(impl, "kind", where),
         field<std::vector<std::string>>(impl, "profiles", where),
         field<bool>(impl, "available", where), field<std::string>(impl, "detail", where)});
  }
  for (std::size_t i = 0; const json& req : field<json>(document, "requirements", source_name)) {
    where = fmt::format("{}: requirements[{}]", source_name, i++);
    results.requirements.push_back(
        {field<std::string>(req, "id", where), field<std::string>(req, "level", where),
         field<std::string>(req, "section", where), field<std::string>(req, "text", where)});
  }
  for (std::size_t i = 0; const json& item : field<json>(document, "results", source_name)) {
    where = fmt::format("{}: results[{}]", source_name, i++);
    CaseResult result;
    result.id = field<std::string>(item, "id", where);
    result.scenario = field<std::string>(item, "scenario", where);
    result.area = optional_field<std::string>(item, "area", where, area_of(result.scenario));
    result.description = optional_field<std::string>(item, "description", where, "");
    result.profile = field<std::string>(item, "profile", where);
    result.roles = field<std::map<std::string, std::string>>(item, "roles", where);
    result.requirements = field<std::vector<std::string>>(item, "requirements", where);
    std::string verdict = field<std::string>(item, "verdict", where);
    std::optional<scenario::Verdict> parsed = scenario::verdict_from_name(verdict);
    if (!parsed) {
      throw std::runtime_error(fmt::format("{}: unknown verdict '{}'", where, verdict));
    }
    result.verdict = *parsed;
    result.expected = field<std::string>(item, "expected", where);
    result.expectation_reason = optional_field<std::string>(item, "expectation_reason", where, "");
    result.expectation_link = optional_field<std::string>(item, "expectation_link", where, "");
    result.unexpected = field<bool>(item, "unexpected", where);
    result.message = field<std::string>(item, "message", where);
    result.duration_ms = field<double>(item, "duration_ms", where);
    for (std::size_t c = 0; const json& check : optional_field<json>(item, "checks", where, {})) {
      std::string check_where = fmt::format("{}: checks[{}]", where, c++);
      result.checks.push_back({field<std::string>(check, "requirement", check_where),
                               field<std::string>(check, "level", check_where),
                               field<bool>(check, "held", check_where),
                               field<std::string>(check, "message", check_where)});
    }
    result.decrypted = optional_field<std::vector<std::string>>(item, "decrypted", where, {});
    result.adapter_log = optional_field<std::string>(item, "adapter_log", where, "");
    result.transcript = field<std::string>(item, "transcript", where);
    if (!item.contains("checks") && !item.contains("decrypted")) {
      split_sectioned_transcript(result);
    }
    results.results.push_back(std::move(result));
  }
  return results;
}

std::filesystem::path write_results_json(const Results& results, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::filesystem::path path = dir / "results.json";
  std::ofstream out(path);
  // dump with error_handler::replace: adapter output may carry invalid UTF-8.
  out << results_to_json(results).dump(2, ' ', false, json::error_handler_t::replace) << '\n';
  if (!out) throw std::runtime_error(fmt::format("{}: write failed", path.string()));
  return path;
}

}  // namespace oi::report
