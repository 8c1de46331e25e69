// libomemo-c's SG_ERR_* codes as the canonical error classes of PROTOCOL.md §7.1. Only codes
// whose meaning the library documents are mapped; everything else is `internal` with the code
// and the library's log lines (PROTOCOL.md §7.1: never guess).
#pragma once

#include <string>

namespace oi::libomemo_c {

struct ClassifiedError {
  std::string error_class;
  std::string detail;
};

// `log` is what the library logged during the failed call.
ClassifiedError classify_decrypt_error(int code, const std::string& log);
// A failure of session_builder_process_pre_key_bundle (a bundle the library refused).
ClassifiedError classify_bundle_error(int code, const std::string& log);

std::string library_error_name(int code);

}  // namespace oi::libomemo_c
