// Base64 (RFC 4648 §4, padded) for the protocol's binary fields and the stanzas' key material.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oi::libomemo_c {

using Bytes = std::vector<std::uint8_t>;

std::string to_base64(const Bytes& data);
// nullopt for anything but padded base64; whitespace is skipped (XML text may be wrapped).
std::optional<Bytes> from_base64(std::string_view text);

}  // namespace oi::libomemo_c
