// One device's libomemo-c context: the signal_context with its crypto provider (OpenSSL 3 for
// the primitives, the device's seeded stream for randomness), its log, and the store context
// over the device's in-memory stores. Not movable: the library keeps pointers into it.
#pragma once

extern "C" {
#include <omemo/signal_protocol.h>
}

#include <string>
#include <vector>

#include "crypto/random_source.h"
#include "key_stores.h"

namespace oi::libomemo_c {

class LibraryContext {
 public:
  explicit LibraryContext(crypto::RandomSource random);
  ~LibraryContext();
  LibraryContext(const LibraryContext&) = delete;
  LibraryContext& operator=(const LibraryContext&) = delete;

  signal_context* context() const { return context_; }
  signal_protocol_store_context* stores() const { return store_context_; }
  KeyStores& key_stores() { return key_stores_; }
  crypto::RandomSource& random() { return random_; }

  // What the library logged since the last clear (its only account of why a call failed).
  const std::vector<std::string>& log() const { return log_; }
  void clear_log() { log_.clear(); }
  std::string log_text() const;

 private:
  static void log_line(int level, const char* message, size_t length, void* user_data);
  static int random_bytes(uint8_t* data, size_t length, void* user_data);

  crypto::RandomSource random_;
  KeyStores key_stores_;
  std::vector<std::string> log_;
  signal_context* context_ = nullptr;
  signal_protocol_store_context* store_context_ = nullptr;
};

}  // namespace oi::libomemo_c
