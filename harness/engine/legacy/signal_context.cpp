#include "engine/legacy/signal_context.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <stdexcept>

namespace oi::engine::legacy {

namespace {

// ---- the crypto provider callbacks (libsignal's signal_crypto_provider contract) ----

int random_bytes(uint8_t* data, size_t len, void* user_data) {
  return static_cast<SignalContext*>(user_data)->draw_random(data, len) ? 0 : SG_ERR_UNKNOWN;
}

int hmac_sha256_init(void** hmac_context, const uint8_t* key, size_t key_len, void*) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) return SG_ERR_UNKNOWN;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);
  if (ctx == nullptr) return SG_ERR_NOMEM;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx, key, key_len, params) != 1) {
    EVP_MAC_CTX_free(ctx);
    return SG_ERR_UNKNOWN;
  }
  *hmac_context = ctx;
  return 0;
}

int hmac_sha256_update(void* hmac_context, const uint8_t* data, size_t data_len, void*) {
  return EVP_MAC_update(static_cast<EVP_MAC_CTX*>(hmac_context), data, data_len) == 1
             ? 0
             : SG_ERR_UNKNOWN;
}

int hmac_sha256_final(void* hmac_context, signal_buffer** output, void*) {
  uint8_t mac[EVP_MAX_MD_SIZE];
  size_t mac_len = 0;
  if (EVP_MAC_final(static_cast<EVP_MAC_CTX*>(hmac_context), mac, &mac_len, sizeof mac) != 1) {
    return SG_ERR_UNKNOWN;
  }
  *output = signal_buffer_create(mac, mac_len);
  return *output != nullptr ? 0 : SG_ERR_NOMEM;
}

void hmac_sha256_cleanup(void* hmac_context, void*) {
  EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(hmac_context));
}

int sha512_init(void** digest_context, void*) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return SG_ERR_NOMEM;
  if (EVP_DigestInit_ex(ctx, EVP_sha512(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    return SG_ERR_UNKNOWN;
  }
  *digest_context = ctx;
  return 0;
}

int sha512_update(void* digest_context, const uint8_t* data, size_t data_len, void*) {
  return EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(digest_context), data, data_len) == 1
             ? 0
             : SG_ERR_UNKNOWN;
}

// libsignal reuses the context after final, so it is re-initialised here.
int sha512_final(void* digest_context, signal_buffer** output, void*) {
  auto* ctx = static_cast<EVP_MD_CTX*>(digest_context);
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_DigestFinal_ex(ctx, digest, &digest_len) != 1 ||
      EVP_DigestInit_ex(ctx, EVP_sha512(), nullptr) != 1) {
    return SG_ERR_UNKNOWN;
  }
  *output = signal_buffer_create(digest, digest_len);
  return *output != nullptr ? 0 : SG_ERR_NOMEM;
}

void sha512_cleanup(void* digest_context, void*) {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(digest_context));
}

const EVP_CIPHER* aes_cipher(int cipher, size_t key_len) {
  if (cipher == SG_CIPHER_AES_CBC_PKCS5) {
    if (key_len == 16) return EVP_aes_128_cbc();
    if (key_len == 24) return EVP_aes_192_cbc();
    if (key_len == 32) return EVP_aes_256_cbc();
  } else if (cipher == SG_CIPHER_AES_CTR_NOPADDING) {
    if (key_len == 16) return EVP_aes_128_ctr();
    if (key_len == 24) return EVP_aes_192_ctr();
    if (key_len == 32) return EVP_aes_256_ctr();
  }
  return nullptr;
}

int aes_crypt(bool encrypt, signal_buffer** output, int cipher, const uint8_t* key, size_t key_len,
              const uint8_t* iv, size_t iv_len, const uint8_t* input, size_t input_len) {
  const EVP_CIPHER* evp_cipher = aes_cipher(cipher, key_len);
  if (evp_cipher == nullptr || iv_len != 16) return SG_ERR_INVAL;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return SG_ERR_NOMEM;
  int result = SG_ERR_UNKNOWN;
  signal_buffer* buffer = signal_buffer_alloc(input_len + 16);
  int out_len = 0, final_len = 0;
  if (buffer != nullptr &&
      EVP_CipherInit_ex(ctx, evp_cipher, nullptr, key, iv, encrypt ? 1 : 0) == 1 &&
      EVP_CIPHER_CTX_set_padding(ctx, cipher == SG_CIPHER_AES_CBC_PKCS5 ? 1 : 0) == 1 &&
      EVP_CipherUpdate(ctx, signal_buffer_data(buffer), &out_len, input,
                       static_cast<int>(input_len)) == 1 &&
      EVP_CipherFinal_ex(ctx, signal_buffer_data(buffer) + out_len, &final_len) == 1) {
    // signal_buffer has no shrink; copy the exact length out.
    *output =
        signal_buffer_create(signal_buffer_data(buffer), static_cast<size_t>(out_len + final_len));
    result = *output != nullptr ? 0 : SG_ERR_NOMEM;
  }
  signal_buffer_free(buffer);
  EVP_CIPHER_CTX_free(ctx);
  return result;
}

int aes_encrypt(signal_buffer** output, int cipher, const uint8_t* key, size_t key_len,
                const uint8_t* iv, size_t iv_len, const uint8_t* plaintext, size_t plaintext_len,
                void*) {
  return aes_crypt(true, output, cipher, key, key_len, iv, iv_len, plaintext, plaintext_len);
}

int aes_decrypt(signal_buffer** output, int cipher, const uint8_t* key, size_t key_len,
                const uint8_t* iv, size_t iv_len, const uint8_t* ciphertext, size_t ciphertext_len,
                void*) {
  return aes_crypt(false, output, cipher, key, key_len, iv, iv_len, ciphertext, ciphertext_len);
}

void log_message(int, const char* message, size_t len, void* user_data) {
  auto& log = *static_cast<std::string*>(user_data);
  if (!log.empty()) log += "; ";
  log.append(message, len);
}

}  // namespace

SignalContext::SignalContext(crypto::RandomSource& random) : random_(&random) {
  if (signal_context_create(&context_, &log_) != 0) {
    throw std::runtime_error("signal_context_create failed");
  }
  signal_crypto_provider provider{};
  provider.random_func = random_bytes;
  provider.hmac_sha256_init_func = hmac_sha256_init;
  provider.hmac_sha256_update_func = hmac_sha256_update;
  provider.hmac_sha256_final_func = hmac_sha256_final;
  provider.hmac_sha256_cleanup_func = hmac_sha256_cleanup;
  provider.sha512_digest_init_func = sha512_init;
  provider.sha512_digest_update_func = sha512_update;
  provider.sha512_digest_final_func = sha512_final;
  provider.sha512_digest_cleanup_func = sha512_cleanup;
  provider.encrypt_func = aes_encrypt;
  provider.decrypt_func = aes_decrypt;
  provider.user_data = this;
  if (signal_context_set_crypto_provider(context_, &provider) != 0) {
    signal_context_destroy(context_);
    throw std::runtime_error("signal_context_set_crypto_provider failed");
  }
  signal_context_set_log_function(context_, log_message);
}

SignalContext::~SignalContext() {
  signal_context_destroy(context_);
}

void SignalContext::arm_random_script(ByteView bytes) {
  script_ = Script{Bytes(bytes.begin(), bytes.end()), 0};
}

std::size_t SignalContext::random_script_remaining() const {
  return script_ ? script_->bytes.size() - script_->position : 0;
}

bool SignalContext::draw_random(std::uint8_t* out, std::size_t length) {
  if (!script_) {
    random_->fill({out, length});
    return true;
  }
  if (script_->bytes.size() - script_->position < length) {
    if (!log_.empty()) log_ += "; ";
    log_ += "random script exhausted (" + std::to_string(length) + " bytes requested, " +
            std::to_string(script_->bytes.size() - script_->position) + " left)";
    return false;
  }
  std::copy_n(script_->bytes.begin() + static_cast<std::ptrdiff_t>(script_->position), length, out);
  script_->position += length;
  return true;
}

}  // namespace oi::engine::legacy
