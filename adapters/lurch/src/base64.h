// Strict base64 (RFC 4648 §4, padded, no whitespace) for the binary fields of PROTOCOL.md §3.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lurch_adapter {

// nullopt for anything that is not canonical padded base64.
std::optional<std::vector<std::uint8_t>> decode_base64(const std::string& text);

}  // namespace lurch_adapter
