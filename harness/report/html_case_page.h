// The side page of a case (cases/<slug>.html next to index.html): its verdict, the evidence
// (checks, decrypted view, adapter stderr) and the stanza transcript, one block per step, each
// stanza with its sequence number, virtual time, direction, endpoint and disposition, and the
// stanza pretty-printed. Evidence is large, so index.html inlines it only for cases that
// diverge and links every case to its side page.
#pragma once

#include <filesystem>
#include <string>

#include "report/results.h"

namespace oi::report {

// The HTML fragment for `transcript` (CaseResult::transcript). Lines that are not transcript
// entries are shown verbatim; stanzas that do not parse as XML (tampered, rejected) are shown
// as written. Everything is escaped.
std::string transcript_html(const std::string& transcript);

// The checks, decrypted view and adapter stderr of a case as HTML (empty when it has none).
std::string evidence_html(const CaseResult& result);

// True when the case has anything for a side page: checks, decrypted view, stderr, transcript.
bool has_case_page(const CaseResult& result);

// The side file of a case, relative to the report directory ("cases/<file_slug(id)>.html").
std::string case_page_path(const CaseResult& result);

// Writes the self-contained side page of `result` (header, link back to index.html, evidence,
// transcript) to dir / case_page_path(result); returns its size in bytes.
std::size_t write_case_page(const CaseResult& result, const std::filesystem::path& dir);

}  // namespace oi::report
