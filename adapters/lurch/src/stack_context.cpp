#include "stack_context.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>

#include "stack_headers.h"

namespace lurch_adapter {
namespace {

// Library callbacks get the axc context as user data; this finds the device behind it.
std::map<const void*, StackContext*>& registry() {
  static std::map<const void*, StackContext*> contexts;
  return contexts;
}

StackContext* find_context(const void* user_data) {
  auto found = registry().find(user_data);
  return found == registry().end() ? nullptr : found->second;
}

// libsignal's crypto provider random_func (signal_protocol.h), user data = the axc context.
int seeded_signal_random(uint8_t* data, size_t len, void* user_data) {
  StackContext* context = find_context(user_data);
  if (!context) return SG_ERR_UNKNOWN;
  try {
    context->random().fill(data, len);
    return SG_SUCCESS;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "seeded random: %s\n", e.what());
    return SG_ERR_UNKNOWN;
  }
}

// libomemo's random_bytes_func: a malloc'd buffer, user data = the StackContext.
int seeded_omemo_random(uint8_t** buf_pp, size_t buf_len, void* user_data) {
  auto* context = static_cast<StackContext*>(user_data);
  auto* buffer = static_cast<uint8_t*>(std::malloc(buf_len));
  if (!buffer) return OMEMO_ERR_NOMEM;
  try {
    context->random().fill(buffer, buf_len);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "seeded random: %s\n", e.what());
    std::free(buffer);
    return OMEMO_ERR_CRYPTO;
  }
  *buf_pp = buffer;
  return 0;
}

void log_line(int level, const char* message, size_t len, void* user_data) {
  std::string line(message, strnlen(message, len));
  if (StackContext* context = find_context(user_data)) {
    context->log(level, line);
  } else {
    std::fprintf(stderr, "[axc %d] %s\n", level, line.c_str());
  }
}

}  // namespace

StackContext::StackContext(std::string label, std::string axc_db_path, std::string omemo_db_path,
                           const std::vector<std::uint8_t>& seed)
    : label_(std::move(label)),
      axc_db_path_(std::move(axc_db_path)),
      omemo_db_path_(std::move(omemo_db_path)),
      random_(std::make_unique<SeededRandom>(seed)) {
  if (axc_context_create(&axc_) != 0) throw std::runtime_error("axc_context_create failed");
  registry()[axc_] = this;
  // axc_context_set_db_fn takes a non-const pointer and copies it (g_strndup).
  std::vector<char> path(axc_db_path_.begin(), axc_db_path_.end());
  path.push_back('\0');
  axc_context_set_db_fn(axc_, path.data(), axc_db_path_.size());
  axc_context_set_log_func(axc_, log_line);
  axc_context_set_log_level(axc_, AXC_LOG_WARNING);
  int result = axc_init(axc_);
  if (result != 0) {
    registry().erase(axc_);
    axc_ = nullptr;  // axc_init frees the context itself on failure
    throw std::runtime_error("axc_init failed: " + std::to_string(result));
  }
  signal_context* signal = axc_context_get_axolotl_ctx(axc_);
  signal_context_set_log_function(signal, log_line);
  // axc's own provider (axc_init), with only the source of randomness replaced.
  signal_crypto_provider provider = {
      .random_func = seeded_signal_random,
      .hmac_sha256_init_func = hmac_sha256_init,
      .hmac_sha256_update_func = hmac_sha256_update,
      .hmac_sha256_final_func = hmac_sha256_final,
      .hmac_sha256_cleanup_func = hmac_sha256_cleanup,
      .sha512_digest_init_func = sha512_digest_init,
      .sha512_digest_update_func = sha512_digest_update,
      .sha512_digest_final_func = sha512_digest_final,
      .sha512_digest_cleanup_func = sha512_digest_cleanup,
      .encrypt_func = aes_encrypt,
      .decrypt_func = aes_decrypt,
      .user_data = axc_,
  };
  signal_context_set_crypto_provider(signal, &provider);
  // lurch's provider is libomemo's default one; again only the randomness is the seed's.
  omemo_crypto_.random_bytes_func = seeded_omemo_random;
  omemo_crypto_.aes_gcm_encrypt_func = omemo_default_crypto_aes_gcm_encrypt;
  omemo_crypto_.aes_gcm_decrypt_func = omemo_default_crypto_aes_gcm_decrypt;
  omemo_crypto_.user_data_p = this;
}

StackContext::~StackContext() {
  if (axc_) {
    registry().erase(axc_);
    axc_context_destroy_all(axc_);
  }
  ::unlink(axc_db_path_.c_str());
  ::unlink(omemo_db_path_.c_str());
}

void StackContext::log(int level, const std::string& line) {
  if (level > AXC_LOG_WARNING) return;  // axc and libsignal hand every level to the log function
  std::fprintf(stderr, "[%s axc/libsignal %d] %s\n", label_.c_str(), level, line.c_str());
  if (level <= AXC_LOG_ERROR) last_log_error_ = line;
}

}  // namespace lurch_adapter
