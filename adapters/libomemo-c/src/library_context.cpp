#include "library_context.h"

#include <cstdio>
#include <span>

#include "signal_objects.h"

extern "C" {
#include "engine/legacy/openssl_provider.h"
}

namespace oi::libomemo_c {

LibraryContext::LibraryContext(crypto::RandomSource random) : random_(std::move(random)) {
  check(signal_context_create(&context_, this), "signal_context_create");
  signal_crypto_provider provider{};
  engine::legacy::openssl_provider::set_openssl_callbacks(provider);
  provider.random_func = random_bytes;
  provider.user_data = this;
  check(signal_context_set_crypto_provider(context_, &provider), "set_crypto_provider");
  check(signal_context_set_log_function(context_, log_line), "set_log_function");
  check(signal_protocol_store_context_create(&store_context_, context_), "store_context_create");
  register_stores(store_context_, key_stores_);
}

LibraryContext::~LibraryContext() {
  signal_protocol_store_context_destroy(store_context_);
  signal_context_destroy(context_);
}

std::string LibraryContext::log_text() const {
  std::string text;
  for (const std::string& line : log_) text += (text.empty() ? "" : "; ") + line;
  return text;
}

void LibraryContext::log_line(int level, const char* message, size_t length, void* user_data) {
  static_cast<LibraryContext*>(user_data)->log_.emplace_back(message, length);
  // The harness keeps stderr in the case transcript: the library's own account of each call.
  std::fprintf(stderr, "libomemo-c [%d]: %.*s\n", level, static_cast<int>(length), message);
}

int LibraryContext::random_bytes(uint8_t* data, size_t length, void* user_data) {
  static_cast<LibraryContext*>(user_data)->random_.fill(std::span<std::uint8_t>(data, length));
  return 0;
}

}  // namespace oi::libomemo_c
