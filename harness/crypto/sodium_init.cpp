#include "crypto/sodium_init.h"

#include <sodium.h>

#include <stdexcept>

namespace oi::crypto::detail {

void require_sodium() {
  static const bool initialised = sodium_init() >= 0;
  if (!initialised) throw std::runtime_error("libsodium initialisation failed");
}

}  // namespace oi::crypto::detail
