// A libsignal-protocol-c global context whose crypto provider is OpenSSL 3 and whose randomness
// is drawn from a RandomSource, so that a seeded run produces the same bytes every time.
//
// Contract: the RandomSource passed in must outlive the context. One context serves one device
// on one thread at a time (no locking functions are installed).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "crypto/bytes.h"
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

  // Scripted randomness (vectors, fixed-key cross-checks): while a script is armed, libsignal's
  // random_func is served from `bytes` in order instead of the RandomSource, and a draw the
  // script cannot serve fails (libsignal then returns an error and logs "random script
  // exhausted"). libsignal draws private keys as 32 bytes and clamps them, so a script of
  // clamped private keys makes it use exactly those keys. The script is not part of any
  // exported state.
  void arm_random_script(ByteView bytes);
  void disarm_random_script() { script_.reset(); }
  // Bytes of the armed script not drawn yet; 0 when none is armed.
  std::size_t random_script_remaining() const;

  // Internal for the C callback: fills `out` from the script or the RandomSource.
  bool draw_random(std::uint8_t* out, std::size_t length);

 private:
  struct Script {
    Bytes bytes;
    std::size_t position = 0;
  };

  signal_context* context_ = nullptr;
  crypto::RandomSource* random_;
  std::string log_;
  std::optional<Script> script_;
};

}  // namespace oi::engine::legacy
