#include "scenario/requirement_catalogue.h"

#include <fmt/format.h>

#include <fstream>
#include <regex>

namespace oi::scenario {

std::string Requirement::summary() const {
  // First sentence: up to ". " (a period followed by a space), but not inside an abbreviation
  // like "e.g. ": require the period to follow a letter, digit, ')' or '`'.
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '.' && text[i + 1] == ' ') {
      std::string_view before(text.data(), i);
      if (before.ends_with("e.g") || before.ends_with("i.e") || before.ends_with("etc")) continue;
      return text.substr(0, i + 1);
    }
  }
  return text;
}

const Requirement* RequirementCatalogue::find(std::string_view id) const {
  for (const Requirement& requirement : requirements) {
    if (requirement.id == id) return &requirement;
  }
  return nullptr;
}

bool is_requirement_id(std::string_view text) {
  static const std::regex kIdPattern(R"(R-(LEG|OM2|SRV)-\d{3}|A-\d{2})");
  return std::regex_match(text.begin(), text.end(), kIdPattern);
}

namespace {
std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return fields;
}
}  // namespace

RequirementCatalogue load_requirement_catalogue(const std::filesystem::path& tsv_file) {
  RequirementCatalogue catalogue;
  std::ifstream in(tsv_file);
  if (!in) {
    catalogue.load_errors.push_back(fmt::format("{}: cannot open file", tsv_file.string()));
    return catalogue;
  }
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line.starts_with('#')) continue;
    std::vector<std::string> fields = split_tabs(line);
    auto error = [&](std::string message) {
      catalogue.load_errors.push_back(
          fmt::format("{}:{}: {}", tsv_file.string(), line_number, message));
    };
    if (fields.size() != 5) {
      error(fmt::format("expected 5 tab-separated fields, found {}", fields.size()));
      continue;
    }
    if (!is_requirement_id(fields[0])) {
      error(fmt::format("'{}' is not a requirement id", fields[0]));
      continue;
    }
    if (catalogue.find(fields[0]) != nullptr) {
      error(fmt::format("duplicate requirement id {}", fields[0]));
      continue;
    }
    catalogue.requirements.push_back({std::move(fields[0]), std::move(fields[1]),
                                      std::move(fields[2]), std::move(fields[3]),
                                      std::move(fields[4])});
  }
  return catalogue;
}

}  // namespace oi::scenario
