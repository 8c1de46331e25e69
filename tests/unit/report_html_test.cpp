#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "report/html_case_page.h"
#include "report/html_report.h"
#include "report/text_escape.h"
#include "report_fixture.h"

using namespace oi::report;

namespace {

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Markup the fixture's adapter output would create if anything were pasted unescaped.
void check_inert(const std::string& html, std::size_t own_scripts) {
  std::string text = lower(html);
  CHECK(count(text, "<script") == own_scripts);
  CHECK(count(text, "</script") == own_scripts);
  CHECK(count(text, "<img") == 0);
  CHECK(count(text, "\"onload=") == 0);
  CHECK(count(text, "onerror=\"") == 0);
  CHECK(count(text, "href=\"javascript") == 0);
  CHECK(valid_utf8(html) == html);
  CHECK(html.find('\x1b') == std::string::npos);
}

}  // namespace

TEST_CASE("html escaping replaces markup characters and invalid UTF-8", "[report][html]") {
  CHECK(html_escape("<a href=\"x\">'&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(valid_utf8("ok \xc3\xa9 \xe2\x9c\x93") == "ok \xc3\xa9 \xe2\x9c\x93");
  CHECK(valid_utf8("\xff") == "\xEF\xBF\xBD");
  CHECK(valid_utf8("\xc0\xaf") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  CHECK(valid_utf8("\xed\xa0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  CHECK(valid_utf8("a\x1b[0m\tb\n") == "a\xEF\xBF\xBD[0m\tb\n");
  CHECK(valid_utf8("\xe2\x9c") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
}

TEST_CASE("file slugs are safe, readable and distinct", "[report][html]") {
  std::string slug = file_slug("vectors/a b/<script>/1");
  CHECK(std::regex_match(slug, std::regex("[a-z0-9-]+")));
  CHECK(slug.starts_with("vectors-a-b-script-1-"));
  CHECK(file_slug("x/1") != file_slug("x-1"));
  CHECK(file_slug(std::string(300, 'a')).size() == 80 + 9);
}

TEST_CASE("the page shows hostile adapter output as text and runs none of it", "[report][html]") {
  Results results = fixture::three_implementations();
  std::string html = render_index_html(results);
  check_inert(html, 1);
  // The hostile text is there, escaped, where an implementer looks for it.
  CHECK(html.find("&lt;script&gt;window.__pwned=1&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&quot;onload=&quot;window.__pwned=3&quot;") != std::string::npos);
  CHECK(html.find("\xEF\xBF\xBD") != std::string::npos);  // the invalid bytes, replaced
  // A javascript: expectation link is shown as text, never as a link; https links are links.
  CHECK(html.find("href=\"https://example.org/alpha/issues/7\"") != std::string::npos);
  CHECK(html.find("javascript:window.__pwned=5") != std::string::npos);
  // The page's only script is the one the Content-Security-Policy hash allows.
  CHECK(html.find("script-src 'sha256-") != std::string::npos);
  CHECK(html.find("http-equiv=\"Content-Security-Policy\"") != std::string::npos);
}

TEST_CASE("the side pages escape stanzas, notes, stderr and decrypted bodies", "[report][html]") {
  Results results = fixture::three_implementations();
  auto dir = std::filesystem::temp_directory_path() / "oi_report_html_test";
  std::filesystem::remove_all(dir);
  HtmlReportFiles files = write_html_report(results, dir);
  CHECK(files.side_files == results.results.size());
  const CaseResult* hostile = nullptr;
  for (const CaseResult& result : results.results) {
    if (!result.adapter_log.empty()) hostile = &result;
  }
  REQUIRE(hostile != nullptr);
  std::string page = read(dir / case_page_path(*hostile));
  check_inert(page, 0);
  // The stanza id, XML-escaped in the stanza, is shown as the XML text: escaped twice.
  CHECK(page.find("id=&quot;1-&amp;lt;script&gt;window.__pwned=1") != std::string::npos);
  CHECK(page.find("step [3 send]") != std::string::npos);
  CHECK(page.find("(drop-all)") != std::string::npos);
  CHECK(page.find("class=\"xml\">&lt;message") != std::string::npos);
  std::string index = read(dir / "index.html");
  CHECK(index == render_index_html(results));
  CHECK(index.find("href=\"" + case_page_path(*hostile) + "\"") != std::string::npos);
}

TEST_CASE("the matrix has one cell per producer x consumer per profile", "[report][html]") {
  Results results = fixture::three_implementations();
  std::string html = render_index_html(results);
  // 3 available implementations (gamma is unavailable), 2 profiles.
  CHECK(count(html, "<td class=\"cell pair ") == 2 * 3 * 3);
  // beta consumes legacy with a failure: that cell is a failure with its glyph, others pass.
  std::regex failure_cell(
      R"(<td class="cell pair st-failure"[^>]*data-pair="legacy\|alpha\|beta")");
  CHECK(std::regex_search(html, failure_cell));
  std::regex known_cell(
      R"(<td class="cell pair st-known"[^>]*data-pair="omemo2\|alpha\|reference")");
  CHECK(std::regex_search(html, known_cell));
  std::regex error_cell(
      R"(<td class="cell pair st-error"[^>]*data-pair="omemo2\|beta\|reference")");
  CHECK(std::regex_search(html, error_cell));
  // The unavailable implementation is listed with its reason.
  CHECK(html.find("missing package python3-gamma") != std::string::npos);
  // A requirement with no check says so.
  CHECK(std::regex_search(html, std::regex(R"(id="req-R-OM2-099".*no check)")));
  // Every case is in the list, with the reproduce command of its pair.
  CHECK(count(html, "<details class=\"case") == results.results.size());
  CHECK(html.find("./omemo-interop run --seed 5eed --scenario session/first-message --profile "
                  "legacy --pair alpha:beta") != std::string::npos);
}
