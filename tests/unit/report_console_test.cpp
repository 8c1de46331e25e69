#include <catch2/catch.hpp>
#include <cstdio>
#include <sstream>

#include "report/console.h"
#include "report/progress.h"
#include "report/terminal.h"
#include "report_fixture.h"

using namespace oi::report;

TEST_CASE("the console summary has a row per pair and profile and no raw control bytes",
          "[report][console]") {
  std::ostringstream out;
  print_console_report(fixture::three_implementations(), out, {false, "/tmp/reports/index.html"});
  std::string text = out.str();
  CHECK(text.find("legacy   alpha -> beta") != std::string::npos);
  CHECK(text.find("omemo2   beta -> reference") != std::string::npos);
  CHECK(text.find("[fail] {R-OM2-020}") != std::string::npos);
  CHECK(text.find("HTML report: /tmp/reports/index.html") != std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);  // no colour asked, and adapter ESC replaced
}

TEST_CASE("colour is ANSI only when asked", "[report][console]") {
  CHECK(paint("x", "31", false) == "x");
  CHECK(paint("x", "31", true) == "\x1b[31mx\x1b[0m");
  std::ostringstream out;
  print_console_report(fixture::three_implementations(), out, {true, ""});
  CHECK(out.str().find("\x1b[1;31m") != std::string::npos);
}

TEST_CASE("the progress bar line and its silence off a terminal", "[report][console]") {
  CHECK(ProgressBar::render(0, 10, 0, "a", 80) == "[--------------------]     0/10   0%  a");
  CHECK(ProgressBar::render(5, 10, 2.0, "cell\nid", 80) ==
        "[##########----------]     5/10  50%  ~2s left  cell id");
  CHECK(ProgressBar::render(10, 10, 9.0, "x", 12).size() == 12);
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  {
    ProgressBar bar(file, std::chrono::milliseconds(0));
    bar.update(1, 2, "a");
    bar.update(2, 2, "b");
  }
  CHECK(std::ftell(file) == 0);
  CHECK_FALSE(colour_enabled(file));
  std::fclose(file);
}
