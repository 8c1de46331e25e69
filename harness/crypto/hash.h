// Hashes, MACs and key derivation (OpenSSL 3).
#pragma once

#include <cstddef>
#include <optional>

#include "crypto/bytes.h"

namespace oi::crypto {

ByteArray<64> sha512(ByteView data);
ByteArray<32> sha256(ByteView data);

ByteArray<32> hmac_sha256(ByteView key, ByteView data);
// The first `length` bytes of HMAC-SHA-256 (OMEMO uses 8 for legacy, 16 for OMEMO 2).
// length must be in 1..32.
Bytes hmac_sha256_truncated(ByteView key, ByteView data, std::size_t length);
// Constant-time comparison of a received MAC against the truncated HMAC of `data`.
bool hmac_sha256_verify(ByteView key, ByteView data, ByteView mac);

// RFC 5869 HKDF-SHA-256. An empty salt means HashLen zero bytes (RFC 5869 §2.2).
// nullopt when length > 255 * 32 (the RFC's limit).
std::optional<Bytes> hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, std::size_t length);

}  // namespace oi::crypto
