// `omemo-interop lint [FILE|-]`: every finding for one pasted stanza or element, with the
// requirement ID, severity, line:column and the catalogue's one-line explanation.
// Exit: 0 no MUST broken, 1 a MUST is broken, 2 the input cannot be read.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <map>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/paths.h"
#include "codec/lint.h"
#include "scenario/requirement_catalogue.h"

namespace oi::cli {

namespace {

// Pseudo-IDs the codec uses for input that is not OMEMO at all.
std::string pseudo_id_explanation(std::string_view id) {
  if (id == "XML") return "the input is not well-formed XML";
  if (id == "LINT") return "the input is not an element lint knows";
  return {};
}

int lint(const std::string& source) {
  std::string text;
  std::string name = source;
  if (source == "-") {
    name = "<stdin>";
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(source, std::ios::binary);
    if (!in) {
      fmt::print(stderr, "omemo-interop: {}: cannot read file\n", source);
      return kExitSetupError;
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  codec::LintResult result = codec::lint_xml(text);
  scenario::RequirementCatalogue catalogue = scenario::load_requirement_catalogue(catalogue_file());
  for (const std::string& error : catalogue.load_errors) fmt::print(stderr, "{}\n", error);

  std::map<codec::Severity, std::size_t> counts;
  for (const codec::Finding& finding : result.findings) ++counts[finding.severity];
  fmt::print("{}: {} {}: {} findings ({} must, {} should, {} note)\n", name,
             result.profile ? codec::profile_name(*result.profile) : "no OMEMO profile",
             result.element.empty() ? "(nothing recognised)" : result.element,
             result.findings.size(), counts[codec::Severity::must], counts[codec::Severity::should],
             counts[codec::Severity::note]);
  for (const codec::Finding& finding : result.findings) {
    std::string where =
        finding.location.line > 0
            ? fmt::format("{}:{}:{}", name, finding.location.line, finding.location.column)
            : name;
    fmt::print("{}: {} {}: {}\n", where, codec::severity_name(finding.severity),
               finding.requirement, finding.message);
    if (const scenario::Requirement* requirement = catalogue.find(finding.requirement)) {
      // An ambiguity's first sentence is evidence, not a rule: its topic explains it better.
      if (requirement->level == "AMBIGUITY") {
        fmt::print("    {} (ambiguity: {})\n", requirement->id, requirement->section);
      } else {
        fmt::print("    {} ({}): {}\n", requirement->id, requirement->level,
                   requirement->summary());
      }
    } else if (std::string explanation = pseudo_id_explanation(finding.requirement);
               !explanation.empty()) {
      fmt::print("    {}\n", explanation);
    }
  }
  return counts[codec::Severity::must] > 0 ? kExitUnexpected : kExitExpected;
}

}  // namespace

void add_lint_command(CLI::App& app, CommandContext& context) {
  auto source = std::make_shared<std::string>("-");
  CLI::App* command = app.add_subcommand(
      "lint",
      "Findings for one stanza or element (a <message>, an <iq>, or a bare device list, bundle, "
      "<encrypted> or <envelope>); exits 1 when a MUST is broken");
  command->add_option("file", *source, "File to read, or - for standard input")
      ->capture_default_str();
  command->callback([source, &context] { context.exit_code = lint(*source); });
}

}  // namespace oi::cli
