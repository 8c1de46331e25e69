#include "json_rpc_channel.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace oi::adapters::reference {

namespace {

using nlohmann::json;

// The first 200 bytes of a line, for messages.
std::string abridged(std::string_view line) {
  constexpr std::size_t kShown = 200;
  return line.size() <= kShown ? std::string(line) : std::string(line.substr(0, kShown)) + "...";
}

bool is_request(const json& message) {
  return message.contains("method");
}

}  // namespace

JsonRpcChannel::JsonRpcChannel(int input_fd, int output_fd)
    : input_fd_(input_fd), output_fd_(output_fd) {}

std::string JsonRpcChannel::read_line() {
  std::size_t scanned = 0;
  for (;;) {
    std::size_t newline = buffer_.find('\n', scanned);
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      ++line_count_;
      if (line.size() > kMaxLineBytes) {
        throw ChannelViolation(
            fmt::format("line {}: {} bytes, longer than 1 MiB", line_count_, line.size()));
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    scanned = buffer_.size();
    if (buffer_.size() > kMaxLineBytes + 1) {
      throw ChannelViolation(
          fmt::format("line {}: longer than 1 MiB without a line feed", line_count_ + 1));
    }
    char chunk[65536];
    ssize_t got = ::read(input_fd_, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      throw ChannelViolation(fmt::format("reading the input: {}", std::strerror(errno)));
    }
    if (got == 0) {
      // An unterminated last line is dropped with the end of input: the harness went away.
      throw ChannelClosed();
    }
    buffer_.append(chunk, static_cast<std::size_t>(got));
  }
}

json JsonRpcChannel::read_message() {
  std::string line = read_line();
  json message = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) {
    throw ChannelViolation(
        fmt::format("line {}: not JSON (or not UTF-8): {}", line_count_, abridged(line)));
  }
  if (message.is_array()) throw ChannelViolation(fmt::format("line {}: a batch", line_count_));
  if (!message.is_object()) {
    throw ChannelViolation(
        fmt::format("line {}: not a JSON object: {}", line_count_, abridged(line)));
  }
  auto version = message.find("jsonrpc");
  if (version == message.end() || *version != "2.0") {
    throw ChannelViolation(
        fmt::format("line {}: not JSON-RPC 2.0 (\"jsonrpc\": \"2.0\" missing): {}", line_count_,
                    abridged(line)));
  }
  auto id = message.find("id");
  if (id == message.end() || !(id->is_number_integer() || id->is_string())) {
    throw ChannelViolation(fmt::format("line {}: {} without a valid id: {}", line_count_,
                                       is_request(message) ? "a notification" : "a response",
                                       abridged(line)));
  }
  return message;
}

json JsonRpcChannel::next_request() {
  json message = read_message();
  if (!is_request(message)) {
    throw ChannelViolation(
        fmt::format("line {}: a response (id {}) while none of ours is outstanding", line_count_,
                    message["id"].dump()));
  }
  if (!message["method"].is_string()) {
    throw ChannelViolation(fmt::format("line {}: method is not a string", line_count_));
  }
  return message;
}

void JsonRpcChannel::write_message(const json& message) {
  // dump() escapes control characters, so the line holds no raw LF; invalid UTF-8 throws.
  std::string line = message.dump();
  line.push_back('\n');
  std::size_t written = 0;
  while (written < line.size()) {
    ssize_t put = ::write(output_fd_, line.data() + written, line.size() - written);
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) throw ChannelClosed();  // the harness closed our output: it went away
    written += static_cast<std::size_t>(put);
  }
}

void JsonRpcChannel::send_result(const json& id, json result) {
  write_message(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void JsonRpcChannel::send_error(const json& id, json error) {
  write_message(json{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}});
}

json JsonRpcChannel::call(std::string_view method, json params) {
  const std::string id = fmt::format("a{}", next_call_++);
  write_message(
      json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
  json message = read_message();
  if (is_request(message)) {
    throw ChannelViolation(fmt::format("line {}: a request ({}) while our request {} waits",
                                       line_count_, message["method"].dump(), id));
  }
  if (message["id"] != id) {
    throw ChannelViolation(fmt::format("line {}: a response to {} while our request {} waits",
                                       line_count_, message["id"].dump(), id));
  }
  auto error = message.find("error");
  auto result = message.find("result");
  if ((error == message.end()) == (result == message.end())) {
    throw ChannelViolation(
        fmt::format("line {}: response {} needs exactly one of result and error", line_count_, id));
  }
  if (error != message.end()) {
    throw HarnessRefused(fmt::format("the harness refused {} {}: {}", method, id, error->dump()));
  }
  return *result;
}

}  // namespace oi::adapters::reference
