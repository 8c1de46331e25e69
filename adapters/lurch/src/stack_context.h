// One device's handle on the lurch stack: an axc context on the device's own SQLite database,
// libomemo's device-list cache database beside it, and the hooks that make both draw randomness
// from the device's seeded stream (seeded_random.h). Log lines of axc and libsignal go to stderr;
// the last error line is kept, because some library error codes are only told apart by it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "seeded_random.h"
#include "stack_headers.h"

namespace lurch_adapter {

class StackContext {
 public:
  // Creates the context on `axc_db_path` (the file must not exist yet) and `omemo_db_path`.
  StackContext(std::string label, std::string axc_db_path, std::string omemo_db_path,
               const std::vector<std::uint8_t>& seed);
  ~StackContext();  // destroys the context and deletes both database files
  StackContext(const StackContext&) = delete;
  StackContext& operator=(const StackContext&) = delete;

  axc_context* axc() const { return axc_; }
  const omemo_crypto_provider* omemo_crypto() const { return &omemo_crypto_; }
  const std::string& omemo_db() const { return omemo_db_path_; }
  SeededRandom& random() { return *random_; }

  // The last error line axc or libsignal logged; clear it before a call to read it after.
  const std::string& last_log_error() const { return last_log_error_; }
  void clear_log_error() { last_log_error_.clear(); }
  void log(int level, const std::string& line);

 private:
  std::string label_;
  std::string axc_db_path_;
  std::string omemo_db_path_;
  std::unique_ptr<SeededRandom> random_;
  axc_context* axc_ = nullptr;
  omemo_crypto_provider omemo_crypto_{};
  std::string last_log_error_;
};

}  // namespace lurch_adapter
