// The process exit codes: the stable contract CI relies on (DESIGN.md "Command line").
#pragma once

namespace oi::cli {

enum ExitCode : int {
  kExitExpected = 0,    // every result as expected
  kExitUnexpected = 1,  // at least one unexpected result (lint: a MUST is broken)
  kExitSetupError = 2,  // usage, set-up or harness error
};

}  // namespace oi::cli
