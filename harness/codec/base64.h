// Base64 (RFC 4648 §4, standard alphabet) in two strengths, both reporting what was wrong.
//
// The strict decoder is what a canonical sender produces: padding present, no whitespace, no
// stray bits. The lenient decoder is what deployed receivers accept (spec A-22: Conversations and
// Dino trim and skip whitespace; some senders drop padding): it skips ASCII whitespace anywhere,
// accepts missing padding and non-zero unused bits, and records each of these deviations so the
// XML layer can turn them into findings. Decoding itself is libsodium's.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/bytes.h"

namespace oi::codec {

struct Base64Decoded {
  std::optional<Bytes> bytes;      // nullopt when the text is not decodable in this mode
  std::string error;               // why not, naming the position ("invalid character '!' at 17")
  std::size_t error_position = 0;  // 0-based index into the input text

  // Deviations the lenient decoder accepted (the strict decoder turns each into an error).
  std::size_t whitespace_count = 0;
  std::size_t first_whitespace_position = 0;
  bool missing_padding = false;
  bool nonzero_unused_bits = false;

  // True when decoding succeeded and the text was in canonical form.
  bool is_canonical() const {
    return bytes && whitespace_count == 0 && !missing_padding && !nonzero_unused_bits;
  }
};

// Accepts only canonical base64: standard alphabet, '=' padding to a multiple of 4, unused bits
// zero, no whitespace. The empty string decodes to no bytes.
Base64Decoded decode_base64_strict(std::string_view text);

// Accepts ASCII whitespace (space, \t, \n, \v, \f, \r) anywhere, missing or partial padding and
// non-zero unused bits; rejects anything else (URL-safe alphabet, data after padding, a length
// that leaves a single dangling character).
Base64Decoded decode_base64_lenient(std::string_view text);

// Canonical encoding: standard alphabet, padded, no line breaks.
std::string encode_base64(ByteView data);

}  // namespace oi::codec
