#include "request_params.h"

#include <fmt/format.h>

#include <limits>

#include "adapter/protocol_messages.h"

namespace oi::adapters::reference {

namespace {

const nlohmann::json& field(const nlohmann::json& params, const char* key) {
  if (!params.is_object()) throw_bad_request("params: not an object");
  auto found = params.find(key);
  if (found == params.end() || found->is_null()) {
    throw_bad_request(fmt::format("params.{}: missing", key));
  }
  return *found;
}

}  // namespace

void throw_bad_request(std::string detail) {
  throw RequestError{adapter::kInvalidParams, adapter::kBadRequest, std::move(detail)};
}

std::string string_param(const nlohmann::json& params, const char* key) {
  const nlohmann::json& value = field(params, key);
  if (!value.is_string()) {
    throw_bad_request(fmt::format("params.{}: expected a string, got {}", key, value.type_name()));
  }
  return value.get<std::string>();
}

bool bool_param(const nlohmann::json& params, const char* key) {
  const nlohmann::json& value = field(params, key);
  if (!value.is_boolean()) {
    throw_bad_request(fmt::format("params.{}: expected a boolean, got {}", key, value.type_name()));
  }
  return value.get<bool>();
}

std::uint32_t uint32_param(const nlohmann::json& params, const char* key) {
  const nlohmann::json& value = field(params, key);
  bool in_range = value.is_number_unsigned()
                      ? value.get<std::uint64_t>() <= std::numeric_limits<std::uint32_t>::max()
                      : value.is_number_integer() && value.get<std::int64_t>() >= 0 &&
                            value.get<std::int64_t>() <= std::numeric_limits<std::uint32_t>::max();
  if (!in_range) {
    throw_bad_request(
        fmt::format("params.{}: expected an integer in 0..2^32-1, got {}", key, value.dump()));
  }
  return static_cast<std::uint32_t>(value.get<std::uint64_t>());
}

Bytes base64_param(const nlohmann::json& params, const char* key, std::size_t size) {
  std::string field_name = fmt::format("params.{}", key);
  Bytes bytes;
  try {
    bytes = adapter::from_base64(string_param(params, key), field_name);
  } catch (const adapter::ProtocolDataError& error) {
    throw_bad_request(error.what());
  }
  if (size != 0 && bytes.size() != size) {
    throw_bad_request(fmt::format("{}: {} bytes, expected {}", field_name, bytes.size(), size));
  }
  return bytes;
}

}  // namespace oi::adapters::reference
