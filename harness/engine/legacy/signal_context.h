// A libsignal-protocol-c global context whose crypto provider is OpenSSL 3 and whose randomness
// is drawn from a RandomSource, so that a seeded run produces the same bytes every time.
//
// Contract: the RandomSource passed in must outlive the context. One context serves one device
// on one thread at a time (no locking functions are installed).
#pragma once

#include <string>

#include "crypto/random_source.h"

extern "C" {
#include <signal_protocol.h>
}

namespace oi::engine::legacy {

class SignalContext {
 public:
  explicit SignalContext(crypto::RandomSource& random);
  ~SignalContext();
  SignalContext(const SignalContext&) = delete;
  SignalContext& operator=(const SignalContext&) = delete;

  signal_context* get() const { return context_; }
  crypto::RandomSource& random() const { return *random_; }

  // What libsignal logged since clear_log(), lines joined by "; ". It tells apart errors that
  // share one code, e.g. SG_ERR_INVALID_MESSAGE for a bad MAC and for a counter too far ahead.
  const std::string& log() const { return log_; }
  void clear_log() { log_.clear(); }

 private:
  signal_context* context_ = nullptr;
  crypto::RandomSource* random_;
  std::string log_;
};

}  // namespace oi::engine::legacy
