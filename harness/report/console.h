// The console report: one line per scenario (or vector file) with its verdict counts, a summary
// table per implementation pair and profile, each unexpected result with its requirement IDs
// and message, the closing totals line, and where the HTML report is.
#pragma once

#include <ostream>
#include <string>

#include "report/results.h"

namespace oi::report {

struct ConsoleOptions {
  bool colour = false;      // ANSI colours (terminal.h decides: a TTY and no NO_COLOR)
  std::string html_report;  // path of index.html, printed last when not empty
};

void print_console_report(const Results& results, std::ostream& out,
                          const ConsoleOptions& options = {});

}  // namespace oi::report
