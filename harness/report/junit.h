// JUnit XML for CI systems: one <testsuite> per scenario (or vector file), one <testcase> per
// result. Unexpected failure verdicts become <failure> (fail, non-strict, xpass) or <error>
// (timeout, crash, error, unsupported); expected ones and not-applicable become <skipped>.
#pragma once

#include <filesystem>

#include "report/results.h"

namespace oi::report {

std::filesystem::path write_junit_xml(const Results& results, const std::filesystem::path& dir);

}  // namespace oi::report
