#include "engine/legacy/signal_context.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <stdexcept>

#include "engine/legacy/openssl_provider.h"

namespace oi::engine::legacy {

namespace {

// ---- the crypto provider callbacks (libsignal's signal_crypto_provider contract) ----

int random_bytes(uint8_t* data, size_t len, void* user_data) {
  return static_cast<SignalContext*>(user_data)->draw_random(data, len) ? 0 : SG_ERR_UNKNOWN;
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
  openssl_provider::set_openssl_callbacks(provider);
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
