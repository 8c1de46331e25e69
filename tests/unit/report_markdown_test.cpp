#include <catch2/catch.hpp>

#include "report/markdown_report.h"
#include "report_fixture.h"

using namespace oi::report;

TEST_CASE("matrix.md has a matrix per profile and lists the unexpected results",
          "[report][markdown]") {
  Results results = fixture::three_implementations();
  std::string md = render_markdown_summary(results);
  CHECK(md.find("## legacy") != std::string::npos);
  CHECK(md.find("## omemo2") != std::string::npos);
  // Row alpha of legacy: alpha -> reference and alpha -> alpha pass, alpha -> beta fails.
  CHECK(md.find("| **alpha** | \u2713 1/1 | \u2713 1/1 | \u2717 0/1 |") != std::string::npos);
  CHECK(md.find("| **alpha** | \u2248 0/1 | \u2248 0/1 | \u2248 0/1 |") != std::string::npos);
  // Unexpected: the three legacy failures toward beta and the crash, with requirement IDs.
  CHECK(md.find("| \u2717 fail | session/first-message/legacy/reference-beta | R-OM2-020 |") !=
        std::string::npos);
  CHECK(md.find("\u26A0 crash") != std::string::npos);
  CHECK(md.find("<script") == std::string::npos);
  CHECK(md.find("&lt;script&gt;") != std::string::npos);
}

TEST_CASE("markdown cells cannot break the table or add markup", "[report][markdown]") {
  CHECK(markdown_cell("a|b\nc `d` <e>") == "a\\|b c \\`d\\` &lt;e&gt;");
}
