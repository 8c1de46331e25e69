// The OpenSSL 3 callbacks of a libsignal crypto provider: HMAC-SHA-256, SHA-512 and AES-CBC
// (PKCS#5) / AES-CTR with 128-, 192- and 256-bit keys. Shared by the engine (on
// libsignal-protocol-c) and by the programs that link libomemo-c instead (the benchmark peer and
// the cross-check), whose signal_crypto_provider struct is byte-identical.
//
// Header-only on purpose: the including file first includes the signal_protocol.h of the one
// library it links (<signal_protocol.h> or <omemo/signal_protocol.h>), and this code compiles
// against that one. The two libraries export the same symbols and must never meet in a process.
#pragma once

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace oi::engine::legacy::openssl_provider {

// The HMAC algorithm, fetched once per process (a fetch per message costs ~16% of a steady-state
// legacy message); EVP_MAC objects are reference-counted and safe to share between threads.
inline EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

inline int hmac_sha256_init(void** hmac_context, const uint8_t* key, size_t key_len, void*) {
  if (hmac_algorithm() == nullptr) return SG_ERR_UNKNOWN;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(hmac_algorithm());
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

inline int hmac_sha256_update(void* hmac_context, const uint8_t* data, size_t data_len, void*) {
  return EVP_MAC_update(static_cast<EVP_MAC_CTX*>(hmac_context), data, data_len) == 1
             ? 0
             : SG_ERR_UNKNOWN;
}

inline int hmac_sha256_final(void* hmac_context, signal_buffer** output, void*) {
  uint8_t mac[EVP_MAX_MD_SIZE];
  size_t mac_len = 0;
  if (EVP_MAC_final(static_cast<EVP_MAC_CTX*>(hmac_context), mac, &mac_len, sizeof mac) != 1) {
    return SG_ERR_UNKNOWN;
  }
  *output = signal_buffer_create(mac, mac_len);
  return *output != nullptr ? 0 : SG_ERR_NOMEM;
}

inline void hmac_sha256_cleanup(void* hmac_context, void*) {
  EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(hmac_context));
}

inline int sha512_init(void** digest_context, void*) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return SG_ERR_NOMEM;
  if (EVP_DigestInit_ex(ctx, EVP_sha512(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    return SG_ERR_UNKNOWN;
  }
  *digest_context = ctx;
  return 0;
}

inline int sha512_update(void* digest_context, const uint8_t* data, size_t data_len, void*) {
  return EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(digest_context), data, data_len) == 1
             ? 0
             : SG_ERR_UNKNOWN;
}

// libsignal reuses the context after final, so it is re-initialised here.
inline int sha512_final(void* digest_context, signal_buffer** output, void*) {
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

inline void sha512_cleanup(void* digest_context, void*) {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(digest_context));
}

inline const EVP_CIPHER* aes_cipher(int cipher, size_t key_len) {
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

inline int aes_crypt(bool encrypt, signal_buffer** output, int cipher, const uint8_t* key,
                     size_t key_len, const uint8_t* iv, size_t iv_len, const uint8_t* input,
                     size_t input_len) {
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

inline int aes_encrypt(signal_buffer** output, int cipher, const uint8_t* key, size_t key_len,
                       const uint8_t* iv, size_t iv_len, const uint8_t* plaintext,
                       size_t plaintext_len, void*) {
  return aes_crypt(true, output, cipher, key, key_len, iv, iv_len, plaintext, plaintext_len);
}

inline int aes_decrypt(signal_buffer** output, int cipher, const uint8_t* key, size_t key_len,
                       const uint8_t* iv, size_t iv_len, const uint8_t* ciphertext,
                       size_t ciphertext_len, void*) {
  return aes_crypt(false, output, cipher, key, key_len, iv, iv_len, ciphertext, ciphertext_len);
}

// Sets every callback but random_func and user_data, which the caller chooses.
inline void set_openssl_callbacks(signal_crypto_provider& provider) {
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
}

}  // namespace oi::engine::legacy::openssl_provider
