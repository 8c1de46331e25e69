// The adapter's end of the JSON-RPC line protocol (adapters/PROTOCOL.md §2): one JSON object per
// LF-terminated line on a pair of file descriptors, at most 1 MiB a line.
//
// Requests go both ways. next_request() waits for the harness's next request; call() sends one
// of our own ("a1", "a2", ... for the life of the process) while a harness request is being
// handled and reads lines until its response arrives. The harness never interleaves anything
// else (§2.2), so any other line while we wait is a protocol violation.
//
// Failures are exceptions the caller must not turn into JSON-RPC answers:
// - ChannelClosed: the input reached end of file (the harness went away; exit 0, §12.4);
// - ChannelViolation: a line that breaks §2 (not JSON, not an object, not JSON-RPC 2.0, a batch,
//   a notification, too long, an unexpected message while waiting); exit with the message;
// - HarnessRefused: the harness answered one of our requests with a JSON-RPC error (we sent it
//   something it could not take); the harness request being handled fails with it.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace oi::adapters::reference {

struct ChannelClosed : std::runtime_error {
  ChannelClosed() : std::runtime_error("end of input") {}
};
struct ChannelViolation : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct HarnessRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class JsonRpcChannel {
 public:
  static constexpr std::size_t kMaxLineBytes = 1024 * 1024;  // without the LF

  JsonRpcChannel(int input_fd, int output_fd);

  // The next request of the harness: an object with `id`, `method` (string) and `params`.
  // Throws ChannelClosed at end of input, ChannelViolation for anything else.
  nlohmann::json next_request();

  void send_result(const nlohmann::json& id, nlohmann::json result);
  void send_error(const nlohmann::json& id, nlohmann::json error);

  // Sends our request `method` and returns the `result` of its response.
  nlohmann::json call(std::string_view method, nlohmann::json params);

 private:
  // The next line without its LF (and a CR before it); throws ChannelClosed at end of input.
  std::string read_line();
  // The next line as a validated JSON-RPC 2.0 object.
  nlohmann::json read_message();
  void write_message(const nlohmann::json& message);

  int input_fd_;
  int output_fd_;
  std::string buffer_;          // bytes read but not yet returned as lines
  std::size_t line_count_ = 0;  // lines read, for messages
  std::uint64_t next_call_ = 1;
};

}  // namespace oi::adapters::reference
