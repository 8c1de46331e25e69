// The console report: one line per scenario (or vector file) with its verdict counts, then each
// unexpected result with its message, then the closing totals line.
#pragma once

#include <ostream>

#include "report/results.h"

namespace oi::report {

void print_console_report(const Results& results, std::ostream& out);

}  // namespace oi::report
