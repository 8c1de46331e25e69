#include "report/markdown_report.h"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>

#include "report/pair_matrix.h"
#include "report/text_escape.h"

namespace oi::report {

std::string markdown_cell(std::string_view text) {
  std::string clean = valid_utf8(text);
  std::string out;
  for (char c : clean) {
    switch (c) {
      case '\n':
      case '\r':
        out += ' ';
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '|':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '\\':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_markdown_summary(const Results& results) {
  Summary summary = results.summary();
  std::string md = "# Are We OMEMO Yet?\n\n";
  md += fmt::format("{} cases, **{} unexpected**", summary.total, summary.unexpected);
  for (const auto& [verdict, count] : summary.by_verdict)
    md += fmt::format(", {} {}", count, verdict);
  md += fmt::format(".  \nharness {} at `{}`, seed `{}`, {}\n\n",
                    markdown_cell(results.run.harness_version), markdown_cell(results.run.commit),
                    markdown_cell(results.run.seed), markdown_cell(results.run.started));
  md += "| implementation | version | available |\n|---|---|---|\n";
  for (const ImplementationInfo& implementation : results.implementations) {
    md += fmt::format("| {} | {} | {} |\n", markdown_cell(implementation.name),
                      markdown_cell(implementation.version),
                      implementation.available ? std::string("yes")
                                               : "no: " + markdown_cell(implementation.detail));
  }
  md += "\nCells: passing/total; ";
  for (CellState state : {CellState::success, CellState::known, CellState::failure,
                          CellState::error, CellState::none}) {
    md += fmt::format("{} {}; ", state_glyph(state), state_meaning(state));
  }
  md += "rows produce, columns consume.\n";
  for (const ProfileMatrix& matrix : profile_matrices(results)) {
    md += fmt::format("\n## {}\n\n| producer \u2193 consumer \u2192 |",
                      matrix.profile.empty() ? "profile-neutral (vectors)" : matrix.profile);
    for (const std::string& name : matrix.implementations) md += " " + markdown_cell(name) + " |";
    md += "\n|---|";
    for (std::size_t i = 0; i < matrix.implementations.size(); ++i) md += ":-:|";
    md += "\n";
    for (std::size_t row = 0; row < matrix.implementations.size(); ++row) {
      md += "| **" + markdown_cell(matrix.implementations[row]) + "** |";
      for (std::size_t column = 0; column < matrix.implementations.size(); ++column) {
        const CellCounts& counts = matrix.at(row, column).counts;
        md += counts.total == 0 ? std::string(" \u00B7 |")
                                : fmt::format(" {} {}/{} |", state_glyph(counts.state()),
                                              counts.passed, counts.total);
      }
      md += "\n";
    }
  }
  md += "\n## Unexpected results\n\n";
  if (summary.unexpected == 0) {
    md += "None: every result is as expected.\n";
  } else {
    md += "| verdict | case | requirements | message |\n|---|---|---|---|\n";
    for (const CaseResult& result : results.results) {
      if (!result.unexpected) continue;
      std::string requirements;
      for (const std::string& id : result.requirements) {
        requirements += (requirements.empty() ? "" : " ") + markdown_cell(id);
      }
      md += fmt::format("| {} {} | {} | {} | {} |\n", verdict_glyph(result.verdict),
                        scenario::verdict_name(result.verdict), markdown_cell(result.id),
                        requirements, markdown_cell(result.message));
    }
  }
  return md;
}

std::filesystem::path write_markdown_summary(const Results& results,
                                             const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::filesystem::path path = dir / "matrix.md";
  std::ofstream out(path, std::ios::binary);
  out << render_markdown_summary(results);
  if (!out) throw std::runtime_error(fmt::format("{}: write failed", path.string()));
  return path;
}

}  // namespace oi::report
