#include "seeded_random.h"

#include <array>
#include <cstring>
#include <stdexcept>
#include <string>

namespace lurch_adapter {

SeededRandom::SeededRandom(const std::vector<std::uint8_t>& seed) {
  std::array<std::uint8_t, 32> key{};
  gcry_md_hash_buffer(GCRY_MD_SHA256, key.data(), seed.data(), seed.size());
  std::array<std::uint8_t, 12> nonce{};
  gcry_error_t error = gcry_cipher_open(&stream_, GCRY_CIPHER_CHACHA20, GCRY_CIPHER_MODE_STREAM, 0);
  if (!error) error = gcry_cipher_setkey(stream_, key.data(), key.size());
  if (!error) error = gcry_cipher_setiv(stream_, nonce.data(), nonce.size());
  if (error) {
    if (stream_) gcry_cipher_close(stream_);
    throw std::runtime_error(std::string("libgcrypt ChaCha20: ") + gcry_strerror(error));
  }
}

SeededRandom::~SeededRandom() {
  gcry_cipher_close(stream_);
}

void SeededRandom::fill(std::uint8_t* out, std::size_t length) {
  std::memset(out, 0, length);
  gcry_error_t error = gcry_cipher_encrypt(stream_, out, length, nullptr, 0);
  if (error) throw std::runtime_error(std::string("libgcrypt ChaCha20: ") + gcry_strerror(error));
}

std::uint32_t SeededRandom::next_u32() {
  std::array<std::uint8_t, 4> bytes{};
  fill(bytes.data(), bytes.size());
  return static_cast<std::uint32_t>(bytes[0]) | static_cast<std::uint32_t>(bytes[1]) << 8 |
         static_cast<std::uint32_t>(bytes[2]) << 16 | static_cast<std::uint32_t>(bytes[3]) << 24;
}

}  // namespace lurch_adapter
