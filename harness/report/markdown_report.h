// reports/out/matrix.md: a Markdown summary for pull-request comments and READMEs: the run, a
// producer x consumer matrix per profile (glyph plus passing/total, readable without colour),
// and every unexpected result with its requirement IDs.
#pragma once

#include <filesystem>
#include <string>

#include "report/results.h"

namespace oi::report {

std::string render_markdown_summary(const Results& results);

// Writes DIR/matrix.md; returns its path.
std::filesystem::path write_markdown_summary(const Results& results,
                                             const std::filesystem::path& dir);

// Text made inert in a Markdown table cell: valid UTF-8, no line breaks, and the characters
// Markdown or HTML would interpret (| < > & ` * _ [ ] \) escaped.
std::string markdown_cell(std::string_view text);

}  // namespace oi::report
