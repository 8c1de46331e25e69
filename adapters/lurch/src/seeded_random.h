// The device's random stream (PROTOCOL.md §9): ChaCha20 keyed by SHA-256 of the seed, zero nonce,
// drawn in request order. It replaces only the *source* of randomness of the stack, through the
// hooks the libraries offer for it (libsignal's crypto provider random_func, libomemo's
// omemo_crypto_provider random_bytes_func, glib's g_random seed before libomemo's random prekey
// choice); every cipher, MAC and key derivation stays the libraries' own.
#pragma once

#include <gcrypt.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lurch_adapter {

class SeededRandom {
 public:
  explicit SeededRandom(const std::vector<std::uint8_t>& seed);
  ~SeededRandom();
  SeededRandom(const SeededRandom&) = delete;
  SeededRandom& operator=(const SeededRandom&) = delete;

  void fill(std::uint8_t* out, std::size_t length);
  std::uint32_t next_u32();

 private:
  gcry_cipher_hd_t stream_ = nullptr;
};

}  // namespace lurch_adapter
