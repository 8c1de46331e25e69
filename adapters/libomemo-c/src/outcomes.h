// The results of PROTOCOL.md §5.3 as the client produces them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace oi::libomemo_c {

struct SendOutcome {
  bool ok = false;
  std::string error_class;
  std::string detail;
  std::vector<std::string> skipped_devices;
};

struct ReceiveOutcome {
  std::string kind = "ignored";  // message, empty, error, not_encrypted, pep_update, ignored
  std::optional<std::string> body;
  std::string error_class;
  std::string detail;
  bool sender_trusted = true;
};

inline SendOutcome send_failure(std::string error_class, std::string detail) {
  SendOutcome outcome;
  outcome.error_class = std::move(error_class);
  outcome.detail = std::move(detail);
  return outcome;
}

inline ReceiveOutcome receive_error(std::string error_class, std::string detail) {
  ReceiveOutcome outcome;
  outcome.kind = "error";
  outcome.error_class = std::move(error_class);
  outcome.detail = std::move(detail);
  return outcome;
}

}  // namespace oi::libomemo_c
