#include "report/html_case_page.h"

#include <fmt/format.h>

#include <fstream>
#include <pugixml.hpp>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "report/pair_matrix.h"
#include "report/text_escape.h"

namespace oi::report {

namespace {

struct Entry {
  std::string seq, time, step, direction, endpoint, disposition, note, xml;
};

// "#seq time [step] c2s|s2c endpoint disposition[ (note)] xml" (net::Transcript::to_text).
std::optional<Entry> parse_entry(const std::string& line) {
  static const std::regex kHead(R"(^#(\d+) (\S+) \[([^\]]*)\] (c2s|s2c) (\S*) ([a-z]+) )");
  std::smatch match;
  if (!std::regex_search(line, match, kHead)) return std::nullopt;
  Entry entry{match[1], match[2], match[3], match[4], match[5], match[6], "", ""};
  std::string rest = line.substr(static_cast<std::size_t>(match.length(0)));
  if (rest.starts_with("(")) {
    // The note runs to the last ") <" before the stanza; a note with no stanza after it keeps
    // the whole rest.
    std::size_t close = rest.rfind(") <");
    if (close == std::string::npos) {
      entry.note = rest;
      return entry;
    }
    entry.note = rest.substr(1, close - 1);
    rest = rest.substr(close + 2);
  }
  entry.xml = rest;
  return entry;
}

std::string pretty_xml(const std::string& xml) {
  pugi::xml_document document;
  if (!document.load_string(xml.c_str(), pugi::parse_default | pugi::parse_ws_pcdata_single)) {
    return xml;
  }
  std::ostringstream out;
  document.save(out, "  ", pugi::format_indent | pugi::format_no_declaration);
  std::string text = out.str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

std::string transcript_html(const std::string& transcript) {
  std::string html = "<div class=\"transcript\">\n";
  std::string step;
  bool open_step = false;
  std::istringstream lines(transcript);
  for (std::string line; std::getline(lines, line);) {
    std::optional<Entry> entry = parse_entry(line);
    if (!entry) {
      html += fmt::format("<pre class=\"raw\">{}</pre>\n", html_escape(line));
      continue;
    }
    if (!open_step || entry->step != step) {
      if (open_step) html += "</section>\n";
      step = entry->step;
      open_step = true;
      html += fmt::format("<section class=\"step\"><h3 class=\"step-marker\">step [{}]</h3>\n",
                          html_escape(step));
    }
    bool outbound = entry->direction == "c2s";
    html += fmt::format(
        "<div class=\"stanza {} disp-{}\"><div class=\"meta\"><span class=\"seq\">#{}</span> "
        "<span class=\"time\">{}</span> <span class=\"dir\">{}</span> "
        "<span class=\"endpoint\">{}</span> <span class=\"disp\">{}</span>{}</div>"
        "<pre class=\"xml\">{}</pre></div>\n",
        outbound ? "c2s" : "s2c", html_escape(entry->disposition), html_escape(entry->seq),
        html_escape(entry->time),
        outbound ? "c2s \u2192 server (sent by)" : "s2c \u2190 server (to)",
        html_escape(entry->endpoint), html_escape(entry->disposition),
        entry->note.empty()
            ? ""
            : fmt::format(" <span class=\"note\">({})</span>", html_escape(entry->note)),
        html_escape(pretty_xml(entry->xml)));
  }
  if (open_step) html += "</section>\n";
  return html + "</div>\n";
}

std::string evidence_html(const CaseResult& result) {
  std::string html;
  if (!result.checks.empty()) {
    html += "<h4>Checks</h4><ul class=\"checks\">";
    for (const CheckResult& check : result.checks) {
      html += fmt::format("<li class=\"{}\">{} {} {}</li>", check.held ? "held" : "failed",
                          check.held ? "\u2713 held" : "\u2717 FAILED", html_escape(check.level),
                          html_escape(check.message));
    }
    html += "</ul>";
  }
  if (!result.decrypted.empty()) {
    std::string lines;
    for (const std::string& line : result.decrypted) lines += html_escape(line) + "\n";
    html += fmt::format("<h4>Decrypted view</h4><pre class=\"decrypted\">{}</pre>", lines);
  }
  if (!result.adapter_log.empty()) {
    html += fmt::format("<h4>Adapter stderr</h4><pre class=\"stderr\">{}</pre>",
                        html_escape(result.adapter_log));
  }
  return html;
}

bool has_case_page(const CaseResult& result) {
  return !result.checks.empty() || !result.decrypted.empty() || !result.adapter_log.empty() ||
         !result.transcript.empty();
}

std::string case_page_path(const CaseResult& result) {
  return "cases/" + file_slug(result.id) + ".html";
}

std::size_t write_case_page(const CaseResult& result, const std::filesystem::path& dir) {
  std::filesystem::path path = dir / case_page_path(result);
  std::filesystem::create_directories(path.parent_path());
  std::string html = fmt::format(
      R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{0} — transcript</title>
<style>
body{{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#111}}
pre{{margin:0;white-space:pre-wrap;word-break:break-all;font:12px/1.35 ui-monospace,monospace}}
.step{{border-left:3px solid #888;margin:1em 0;padding-left:.8em}}
.step-marker{{font-size:13px;margin:.2em 0;color:#333}}
.stanza{{margin:.4em 0;padding:.3em .5em;border-radius:3px}}
.c2s{{background:#eef4ff;margin-right:8em}} .s2c{{background:#f3f3f3;margin-left:8em}}
.meta{{font-size:12px;color:#444}} .dir{{font-weight:bold}}
.disp-dropped,.disp-rejected,.disp-tampered{{outline:2px dashed #c00}}
.held{{color:#060}} .failed{{color:#b00;font-weight:bold}} h4{{margin:.8em 0 .2em}}
</style></head><body>
<p><a href="../index.html#{1}">&larr; back to the report</a></p>
<h1>{0}</h1>
<p>verdict <b>{2} {3}</b> — {4}</p>
{7}{5}
<h2>Stanza transcript</h2>
{6}</body></html>
)",
      html_escape(result.id), "case-" + file_slug(result.id), verdict_glyph(result.verdict),
      scenario::verdict_name(result.verdict), html_escape(result.message), evidence_html(result),
      result.transcript.empty() ? std::string("<p>(none)</p>") : transcript_html(result.transcript),
      result.expected.empty()
          ? std::string()
          : fmt::format("<p>expected <b>{}</b>: {} {}</p>\n", html_escape(result.expected),
                        html_escape(result.expectation_reason),
                        html_escape(result.expectation_link)));
  std::ofstream out(path, std::ios::binary);
  out << html;
  if (!out) throw std::runtime_error(fmt::format("{}: write failed", path.string()));
  return html.size();
}

}  // namespace oi::report
