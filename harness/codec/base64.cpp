#include "codec/base64.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <cstdint>
#include <optional>

namespace oi::codec {
namespace {

bool is_ascii_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int alphabet_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

char alphabet_char(int value) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  return kAlphabet[value & 63];
}

std::string describe_char(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", byte);
}

Base64Decoded fail(Base64Decoded result, std::size_t position, std::string message) {
  result.bytes.reset();
  result.error_position = position;
  result.error = std::move(message);
  return result;
}

// The common case in one table-driven pass: canonical base64 (whole quads, '=' padding only where
// needed, zero unused bits, no whitespace). nullopt for anything else, which the diagnosing
// decoder below then handles. Every recipient decodes every <key> of a stanza, so this is hot.
// Not constant-time: base64 here carries public data (ciphertexts, public keys).
std::optional<Bytes> decode_canonical(std::string_view text) {
  static const auto kValues = [] {
    std::array<std::int8_t, 256> values{};
    values.fill(-1);
    for (int c = 0; c < 256; ++c)
      values[c] = static_cast<std::int8_t>(alphabet_value(static_cast<char>(c)));
    return values;
  }();
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = text.back() != '=' ? 0 : text[text.size() - 2] != '=' ? 1 : 2;
  Bytes out(text.size() / 4 * 3 - padding);
  std::size_t at = 0;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int a = kValues[static_cast<unsigned char>(text[i])];
    int b = kValues[static_cast<unsigned char>(text[i + 1])];
    int c = last && padding == 2 ? 0 : kValues[static_cast<unsigned char>(text[i + 2])];
    int d = last && padding >= 1 ? 0 : kValues[static_cast<unsigned char>(text[i + 3])];
    if ((a | b | c | d) < 0) return std::nullopt;
    if (last && padding == 2 && (b & 0x0f) != 0) return std::nullopt;  // non-zero unused bits
    if (last && padding == 1 && (c & 0x03) != 0) return std::nullopt;
    std::uint32_t quad = static_cast<std::uint32_t>(a << 18 | b << 12 | c << 6 | d);
    out[at++] = static_cast<std::uint8_t>(quad >> 16);
    if (at < out.size()) out[at++] = static_cast<std::uint8_t>(quad >> 8);
    if (at < out.size()) out[at++] = static_cast<std::uint8_t>(quad);
  }
  return out;
}

Base64Decoded decode(std::string_view text, bool lenient) {
  Base64Decoded result;
  if (std::optional<Bytes> canonical = decode_canonical(text)) {
    result.bytes = std::move(*canonical);
    return result;
  }
  std::string data;  // alphabet characters only
  std::vector<std::size_t> data_position;
  data.reserve(text.size());
  data_position.reserve(text.size());
  std::size_t padding = 0;
  std::size_t first_padding_position = 0;

  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (is_ascii_whitespace(c)) {
      if (!lenient)
        return fail(result, i, fmt::format("whitespace {} at position {}", describe_char(c), i));
      if (result.whitespace_count++ == 0) result.first_whitespace_position = i;
      continue;
    }
    if (c == '=') {
      if (padding++ == 0) first_padding_position = i;
      continue;
    }
    if (alphabet_value(c) < 0) {
      std::string what =
          (c == '-' || c == '_') ? "URL-safe alphabet character" : "invalid character";
      return fail(result, i, fmt::format("{} {} at position {}", what, describe_char(c), i));
    }
    if (padding > 0)
      return fail(result, i,
                  fmt::format("data after padding at position {} (padding starts at {})", i,
                              first_padding_position));
    data.push_back(c);
    data_position.push_back(i);
  }

  std::size_t remainder = data.size() % 4;
  if (remainder == 1)
    return fail(result, data_position.back(),
                fmt::format("{} base64 characters leave a dangling character at position {}",
                            data.size(), data_position.back()));
  std::size_t needed_padding = remainder == 0 ? 0 : 4 - remainder;
  if (padding > needed_padding)
    return fail(result, first_padding_position,
                fmt::format("{} padding characters at position {} where {} are needed", padding,
                            first_padding_position, needed_padding));
  if (padding < needed_padding) {
    if (!lenient)
      return fail(result, text.size(),
                  fmt::format("missing padding: {} characters need {} '=' at the end, found {}",
                              data.size(), needed_padding, padding));
    result.missing_padding = true;
  }

  if (remainder != 0) {
    int unused_mask = remainder == 2 ? 0x0f : 0x03;
    int last = alphabet_value(data.back());
    if ((last & unused_mask) != 0) {
      if (!lenient)
        return fail(result, data_position.back(),
                    fmt::format("non-zero unused bits in {} at position {}",
                                describe_char(data.back()), data_position.back()));
      result.nonzero_unused_bits = true;
      data.back() = alphabet_char(last & ~unused_mask);
    }
  }

  Bytes out(data.size() / 4 * 3 + 3);
  std::size_t length = 0;
  if (sodium_base642bin(out.data(), out.size(), data.data(), data.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0)
    return fail(result, 0, "libsodium rejected the text after validation");  // unreachable
  out.resize(length);
  result.bytes = std::move(out);
  return result;
}

}  // namespace

Base64Decoded decode_base64_strict(std::string_view text) {
  return decode(text, false);
}

Base64Decoded decode_base64_lenient(std::string_view text) {
  return decode(text, true);
}

std::string encode_base64(ByteView data) {
  std::string out(sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the encoded length counts the terminating NUL
  return out;
}

}  // namespace oi::codec
