// reports/out/index.html, the "Are We OMEMO Yet" page: one self-contained file (inline CSS and
// JS, no network; a Content-Security-Policy forbids any other script or connection) with the
// run metadata, a producer x consumer matrix per profile, the per-requirement, per-scenario and
// per-implementation views, filters and search, and every case with its evidence. Stanza
// transcripts go to side files (cases/*.html, html_transcript.h) so the page stays light.
//
// Everything that comes from the results (adapter output, stanzas, names, messages) is escaped
// with html_escape; links are only emitted for http(s) URLs.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "report/results.h"

namespace oi::report {

struct HtmlReportFiles {
  std::filesystem::path index;
  std::size_t index_bytes = 0;
  std::size_t side_files = 0;  // cases/*.html written
  std::size_t side_bytes = 0;
  std::size_t largest_side_bytes = 0;
};

// The page itself, with links to the side files of cases that have a transcript.
std::string render_index_html(const Results& results);

// Writes DIR/index.html and DIR/cases/*.html (removing the *.html files an earlier render left
// in DIR/cases, nothing else).
HtmlReportFiles write_html_report(const Results& results, const std::filesystem::path& dir);

}  // namespace oi::report
