#include "cli/report_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "cli/exit_codes.h"
#include "cli/paths.h"
#include "engine/client/reference_client.h"
#include "report/console.h"
#include "report/html_report.h"
#include "report/junit.h"
#include "report/markdown_report.h"
#include "report/results_json.h"
#include "report/terminal.h"
#include "report/vector_results.h"
#include "scenario/requirement_catalogue.h"
#include "scenario/vector_run.h"

namespace oi::cli {

namespace {

constexpr const char* kFormats[] = {"console", "json", "junit", "html", "markdown"};

bool has_format(const std::vector<std::string>& formats, const char* format) {
  return std::find(formats.begin(), formats.end(), format) != formats.end();
}

}  // namespace

report::ImplementationInfo reference_implementation_info() {
  engine::client::ReferenceImplementation reference;
  std::vector<std::string> profiles;
  for (codec::Profile profile : reference.profiles()) {
    profiles.emplace_back(codec::profile_name(profile));
  }
  return {reference.name(),
          reference.version(),
          "engine",
          profiles,
          true,
          "legacy on libsignal-protocol-c, omemo2 from the XEP; crypto on OpenSSL 3 and libsodium"};
}

bool formats_are_known(const std::vector<std::string>& formats) {
  for (const std::string& format : formats) {
    if (std::find(std::begin(kFormats), std::end(kFormats), format) == std::end(kFormats)) {
      fmt::print(stderr,
                 "omemo-interop: unknown format '{}' (available: console, json, junit, html, "
                 "markdown)\n",
                 format);
      return false;
    }
  }
  return true;
}

void add_requirement_catalogue(report::Results& results) {
  scenario::RequirementCatalogue catalogue = scenario::load_requirement_catalogue(catalogue_file());
  for (const std::string& error : catalogue.load_errors) fmt::print(stderr, "{}\n", error);
  for (const scenario::Requirement& requirement : catalogue.requirements) {
    results.requirements.push_back(
        {requirement.id, requirement.level, requirement.section, requirement.text});
  }
}

void append_vector_cases(report::Results& results, const std::vector<std::filesystem::path>& files,
                         const std::string& implementation) {
  for (const std::filesystem::path& file : files) {
    auto started = std::chrono::steady_clock::now();
    scenario::VectorFileRun run = scenario::run_vector_file(file, vectors_dir());
    double elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    std::vector<report::CaseResult> cases = report::vector_cases(run, implementation);
    for (report::CaseResult& result : cases) {
      result.duration_ms = elapsed_ms / static_cast<double>(cases.size());
      results.results.push_back(std::move(result));
    }
  }
}

int emit_reports(const report::Results& results, const std::vector<std::string>& formats,
                 const std::string& out_dir) {
  std::vector<std::string> written;
  report::ConsoleOptions console;
  console.colour = report::colour_enabled(stdout);
  if (!out_dir.empty()) {
    if (has_format(formats, "json")) {
      written.push_back(report::write_results_json(results, out_dir).string());
    }
    if (has_format(formats, "junit")) {
      written.push_back(report::write_junit_xml(results, out_dir).string());
    }
    if (has_format(formats, "markdown")) {
      written.push_back(report::write_markdown_summary(results, out_dir).string());
    }
    if (has_format(formats, "html")) {
      report::HtmlReportFiles html = report::write_html_report(results, out_dir);
      written.push_back(fmt::format("{} ({:.1f} MB; {} transcript side files, {:.1f} MB, in {})",
                                    html.index.string(),
                                    static_cast<double>(html.index_bytes) / 1e6, html.side_files,
                                    static_cast<double>(html.side_bytes) / 1e6,
                                    (html.index.parent_path() / "cases").string()));
      console.html_report = html.index.string();
    }
  }
  if (has_format(formats, "console")) report::print_console_report(results, std::cout, console);
  for (const std::string& line : written) fmt::print("wrote {}\n", line);
  return results.summary().unexpected == 0 ? kExitExpected : kExitUnexpected;
}

}  // namespace oi::cli
