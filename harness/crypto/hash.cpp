// SHA-2, HMAC-SHA-256 and HKDF-SHA-256 over OpenSSL 3 (EVP_Digest, EVP_MAC).
#include "crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

namespace oi::crypto {
namespace {

[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string("OpenSSL failure: ") + what);
}

// OpenSSL treats a null pointer as "no input" in some calls and rejects it in others (a null
// HMAC key means "keep the previous key"); an empty span may carry a null data pointer.
const std::uint8_t* non_null(ByteView data) {
  static constexpr std::uint8_t kEmpty = 0;
  return data.data() != nullptr ? data.data() : &kEmpty;
}

template <std::size_t N>
ByteArray<N> digest(const EVP_MD* md, ByteView data) {
  ByteArray<N> out;
  unsigned int length = 0;
  if (EVP_Digest(non_null(data), data.size(), out.data(), &length, md, nullptr) != 1 ||
      length != N) {
    fail("EVP_Digest");
  }
  return out;
}

struct MacDeleter {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

}  // namespace

ByteArray<64> sha512(ByteView data) {
  return digest<64>(EVP_sha512(), data);
}

ByteArray<32> sha256(ByteView data) {
  return digest<32>(EVP_sha256(), data);
}

ByteArray<32> hmac_sha256(ByteView key, ByteView data) {
  static const std::unique_ptr<EVP_MAC, MacDeleter> hmac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!hmac) fail("EVP_MAC_fetch(HMAC)");
  std::unique_ptr<EVP_MAC_CTX, MacDeleter> ctx(EVP_MAC_CTX_new(hmac.get()));
  if (!ctx) fail("EVP_MAC_CTX_new");

  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end()};
  ByteArray<32> out;
  std::size_t length = 0;
  if (EVP_MAC_init(ctx.get(), non_null(key), key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), non_null(data), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out.data(), &length, out.size()) != 1 || length != out.size()) {
    fail("HMAC-SHA-256");
  }
  return out;
}

Bytes hmac_sha256_truncated(ByteView key, ByteView data, std::size_t length) {
  if (length < 1 || length > 32) {
    throw std::invalid_argument("hmac_sha256_truncated: length must be in 1..32");
  }
  const ByteArray<32> full = hmac_sha256(key, data);
  return Bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(length));
}

bool hmac_sha256_verify(ByteView key, ByteView data, ByteView mac) {
  if (mac.empty() || mac.size() > 32) return false;
  const ByteArray<32> full = hmac_sha256(key, data);
  return CRYPTO_memcmp(full.data(), mac.data(), mac.size()) == 0;
}

// RFC 5869 by hand over HMAC, which keeps the empty-salt rule visible.
std::optional<Bytes> hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, std::size_t length) {
  constexpr std::size_t kHashLength = 32;
  if (length > 255 * kHashLength) return std::nullopt;

  static constexpr ByteArray<kHashLength> kZeroSalt{};
  const ByteArray<kHashLength> prk = hmac_sha256(salt.empty() ? ByteView(kZeroSalt) : salt, ikm);

  Bytes okm;
  okm.reserve(length);
  Bytes block_input;  // T(i-1) || info || i
  ByteArray<kHashLength> previous{};
  for (std::uint8_t counter = 1; okm.size() < length; ++counter) {
    block_input.clear();
    if (counter > 1) block_input.insert(block_input.end(), previous.begin(), previous.end());
    block_input.insert(block_input.end(), info.begin(), info.end());
    block_input.push_back(counter);
    previous = hmac_sha256(prk, block_input);
    const std::size_t take = std::min(kHashLength, length - okm.size());
    okm.insert(okm.end(), previous.begin(), previous.begin() + static_cast<std::ptrdiff_t>(take));
  }
  return okm;
}

}  // namespace oi::crypto
