// Byte containers shared by every layer, and hex conversion.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace oi {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
template <std::size_t N>
using ByteArray = std::array<std::uint8_t, N>;

using Key32 = ByteArray<32>;
using Signature64 = ByteArray<64>;

// Lowercase hex of `data`.
std::string to_hex(ByteView data);

// Parses lowercase or uppercase hex of even length; nullopt on any other character or odd length.
std::optional<Bytes> from_hex(std::string_view hex);

inline ByteView as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace oi
