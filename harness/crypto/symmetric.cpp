// AES-GCM and AES-CBC/PKCS#7 over OpenSSL 3 EVP.
#include "crypto/symmetric.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

namespace oi::crypto {
namespace {

// OpenSSL's GCM accepts IVs of 1..128 bytes (GCM_IV_MAX_SIZE); the harness never needs more.
constexpr std::size_t kMaxGcmIvLength = 128;
constexpr std::size_t kMinGcmTagLength = 4;
constexpr std::size_t kMaxGcmTagLength = 16;
constexpr std::size_t kAesBlock = 16;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

CipherCtx new_ctx() {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) throw std::runtime_error("OpenSSL failure: EVP_CIPHER_CTX_new");
  return ctx;
}

[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string("OpenSSL failure: ") + what);
}

int to_int(std::size_t size) {
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::invalid_argument("input too large");
  return static_cast<int>(size);
}

const EVP_CIPHER* gcm_cipher(std::size_t key_length) {
  switch (key_length) {
    case 16:
      return EVP_aes_128_gcm();
    case 24:
      return EVP_aes_192_gcm();
    case 32:
      return EVP_aes_256_gcm();
    default:
      throw std::invalid_argument("AES-GCM: key must be 16, 24 or 32 bytes");
  }
}

const EVP_CIPHER* cbc_cipher(std::size_t key_length) {
  switch (key_length) {
    case 16:
      return EVP_aes_128_cbc();
    case 24:
      return EVP_aes_192_cbc();
    case 32:
      return EVP_aes_256_cbc();
    default:
      throw std::invalid_argument("AES-CBC: key must be 16, 24 or 32 bytes");
  }
}

void check_gcm_iv(ByteView iv) {
  if (iv.empty() || iv.size() > kMaxGcmIvLength) {
    throw std::invalid_argument("AES-GCM: IV must be 1..128 bytes");
  }
}

// Sets up `ctx` for GCM with key, IV of any supported length, and the AAD.
void gcm_init(EVP_CIPHER_CTX* ctx, bool encrypt, ByteView key, ByteView iv, ByteView aad) {
  const EVP_CIPHER* cipher = gcm_cipher(key.size());
  check_gcm_iv(iv);
  const int enc = encrypt ? 1 : 0;
  if (EVP_CipherInit_ex(ctx, cipher, nullptr, nullptr, nullptr, enc) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, to_int(iv.size()), nullptr) != 1 ||
      EVP_CipherInit_ex(ctx, nullptr, nullptr, key.data(), iv.data(), enc) != 1) {
    fail("AES-GCM init");
  }
  int ignored = 0;
  if (!aad.empty() &&
      EVP_CipherUpdate(ctx, nullptr, &ignored, aad.data(), to_int(aad.size())) != 1) {
    fail("AES-GCM AAD");
  }
}

}  // namespace

GcmSealed aes_gcm_encrypt(ByteView key, ByteView iv, ByteView plaintext, ByteView aad,
                          std::size_t tag_length) {
  if (tag_length < kMinGcmTagLength || tag_length > kMaxGcmTagLength) {
    throw std::invalid_argument("AES-GCM: tag length must be in 4..16");
  }
  CipherCtx ctx = new_ctx();
  gcm_init(ctx.get(), true, key, iv, aad);

  GcmSealed sealed;
  sealed.ciphertext.resize(plaintext.size());
  int written = 0;
  if (!plaintext.empty() && EVP_EncryptUpdate(ctx.get(), sealed.ciphertext.data(), &written,
                                              plaintext.data(), to_int(plaintext.size())) != 1) {
    fail("AES-GCM encrypt");
  }
  int final_written = 0;
  ByteArray<kAesBlock> scratch;  // GCM writes nothing at Final; the buffer only has to exist
  if (EVP_EncryptFinal_ex(ctx.get(), scratch.data(), &final_written) != 1 ||
      static_cast<std::size_t>(written) + static_cast<std::size_t>(final_written) !=
          plaintext.size()) {
    fail("AES-GCM final");
  }
  sealed.tag.resize(tag_length);
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, to_int(tag_length), sealed.tag.data()) !=
      1) {
    fail("AES-GCM get tag");
  }
  return sealed;
}

// A tag of an unusable length is the sender's data, not a programming error: nullopt, no throw.
std::optional<Bytes> aes_gcm_decrypt(ByteView key, ByteView iv, ByteView ciphertext, ByteView aad,
                                     ByteView tag) {
  if (tag.size() < kMinGcmTagLength || tag.size() > kMaxGcmTagLength) return std::nullopt;
  CipherCtx ctx = new_ctx();
  gcm_init(ctx.get(), false, key, iv, aad);

  Bytes plaintext(ciphertext.size());
  int written = 0;
  if (!ciphertext.empty() && EVP_DecryptUpdate(ctx.get(), plaintext.data(), &written,
                                               ciphertext.data(), to_int(ciphertext.size())) != 1) {
    fail("AES-GCM decrypt");
  }
  // OpenSSL wants a mutable pointer for SET_TAG although it only reads it.
  Bytes tag_copy(tag.begin(), tag.end());
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, to_int(tag_copy.size()),
                          tag_copy.data()) != 1) {
    fail("AES-GCM set tag");
  }
  int final_written = 0;
  ByteArray<kAesBlock> scratch;
  if (EVP_DecryptFinal_ex(ctx.get(), scratch.data(), &final_written) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return std::nullopt;
  }
  return plaintext;
}

Bytes aes_cbc_pkcs7_encrypt(ByteView key, ByteView iv, ByteView plaintext) {
  const EVP_CIPHER* cipher = cbc_cipher(key.size());
  if (iv.size() != kAesBlock) throw std::invalid_argument("AES-CBC: IV must be 16 bytes");
  CipherCtx ctx = new_ctx();
  if (EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, key.data(), iv.data()) != 1) {
    fail("AES-CBC init");
  }
  Bytes out(plaintext.size() + kAesBlock);
  int written = 0;
  if (!plaintext.empty() && EVP_EncryptUpdate(ctx.get(), out.data(), &written, plaintext.data(),
                                              to_int(plaintext.size())) != 1) {
    fail("AES-CBC encrypt");
  }
  int final_written = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + written, &final_written) != 1) {
    fail("AES-CBC final");
  }
  out.resize(static_cast<std::size_t>(written) + static_cast<std::size_t>(final_written));
  return out;
}

std::optional<Bytes> aes_cbc_pkcs7_decrypt(ByteView key, ByteView iv, ByteView ciphertext) {
  const EVP_CIPHER* cipher = cbc_cipher(key.size());
  if (iv.size() != kAesBlock) throw std::invalid_argument("AES-CBC: IV must be 16 bytes");
  if (ciphertext.empty() || ciphertext.size() % kAesBlock != 0) return std::nullopt;
  CipherCtx ctx = new_ctx();
  if (EVP_DecryptInit_ex(ctx.get(), cipher, nullptr, key.data(), iv.data()) != 1) {
    fail("AES-CBC init");
  }
  Bytes out(ciphertext.size() + kAesBlock);
  int written = 0;
  if (EVP_DecryptUpdate(ctx.get(), out.data(), &written, ciphertext.data(),
                        to_int(ciphertext.size())) != 1) {
    fail("AES-CBC decrypt");
  }
  int final_written = 0;
  // Final checks the PKCS#7 padding (every pad byte equals the pad length, 1..16).
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + written, &final_written) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(written) + static_cast<std::size_t>(final_written));
  return out;
}

}  // namespace oi::crypto
