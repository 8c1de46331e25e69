// Strict reading of the fields of a harness request's `params` (adapters/PROTOCOL.md §5), and
// the error a request is answered with. A missing or ill-typed field is a RequestError with
// -32602 / bad_request naming the field ("params.device_id: expected an integer in 0..2^32-1").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "crypto/bytes.h"

namespace oi::adapters::reference {

// A JSON-RPC error answer: code, class (§7.1) and detail.
struct RequestError {
  int code;
  std::string error_class;
  std::string detail;
};

[[noreturn]] void throw_bad_request(std::string detail);

std::string string_param(const nlohmann::json& params, const char* key);
bool bool_param(const nlohmann::json& params, const char* key);
std::uint32_t uint32_param(const nlohmann::json& params, const char* key);
// Base64 (strict, with padding) of exactly `size` bytes when size is not 0.
Bytes base64_param(const nlohmann::json& params, const char* key, std::size_t size = 0);

}  // namespace oi::adapters::reference
