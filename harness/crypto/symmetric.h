// Symmetric ciphers (OpenSSL 3): AES-GCM for the legacy payload, AES-256-CBC for OMEMO 2 and the
// Signal message bodies.
#pragma once

#include <optional>

#include "crypto/bytes.h"

namespace oi::crypto {

struct GcmSealed {
  Bytes ciphertext;  // same length as the plaintext
  Bytes tag;
};

// AES-GCM with a 16-, 24- or 32-byte key (OMEMO legacy uses 16) and an IV of any non-zero
// length: 12 bytes is the direct J0 form; other lengths (legacy senders used 16) go through
// GHASH as the GCM spec says. tag_length is in 4..16. Throws std::invalid_argument on a key or
// IV of an unsupported length.
GcmSealed aes_gcm_encrypt(ByteView key, ByteView iv, ByteView plaintext, ByteView aad,
                          std::size_t tag_length = 16);
// nullopt when the tag does not verify; no plaintext is released then.
std::optional<Bytes> aes_gcm_decrypt(ByteView key, ByteView iv, ByteView ciphertext, ByteView aad,
                                     ByteView tag);

// AES-CBC with PKCS#7 padding; key of 16, 24 or 32 bytes (OMEMO uses 32), 16-byte IV.
// Throws std::invalid_argument on other key or IV lengths.
Bytes aes_cbc_pkcs7_encrypt(ByteView key, ByteView iv, ByteView plaintext);
// nullopt on bad padding or a ciphertext that is not a non-zero multiple of 16 bytes.
std::optional<Bytes> aes_cbc_pkcs7_decrypt(ByteView key, ByteView iv, ByteView ciphertext);

}  // namespace oi::crypto
