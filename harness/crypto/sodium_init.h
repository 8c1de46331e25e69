// Internal to the crypto layer: libsodium must be initialised before its first use.
#pragma once

namespace oi::crypto::detail {

// Calls sodium_init() once per process (thread-safe); throws std::runtime_error if it fails.
// Every function of this layer that calls libsodium calls this first.
void require_sodium();

}  // namespace oi::crypto::detail
