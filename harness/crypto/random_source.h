// The single source of randomness for every layer above crypto.
//
// Contract: a source built with `seeded(seed)` yields the same byte stream for the same seed,
// on every machine and build. A source built with `os()` draws from the operating system.
// Components that need their own reproducible stream (one per device, one per job) take one
// from `derive(label)`: the derived stream depends only on the parent's seed and the label, not
// on how many bytes the parent has produced, so adding a draw in one component never shifts
// another component's bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "crypto/bytes.h"

namespace oi::crypto {

class RandomSource {
 public:
  // Deterministic stream: ChaCha20 keyed by SHA-256(seed).
  static RandomSource seeded(ByteView seed);
  static RandomSource seeded(std::uint64_t seed);
  // Operating-system randomness (libsodium randombytes).
  static RandomSource os();

  // An independent stream for `label`; deterministic if and only if this source is.
  RandomSource derive(std::string_view label) const;

  void fill(std::span<std::uint8_t> out);
  Bytes bytes(std::size_t count);
  template <std::size_t N>
  ByteArray<N> array() {
    ByteArray<N> out;
    fill(out);
    return out;
  }
  // Uniform in [0, bound) without modulo bias; bound must be > 0.
  std::uint32_t uniform(std::uint32_t bound);

  bool is_deterministic() const { return deterministic_; }

  // The stream position as bytes (41 bytes: mode, key, position), so that an exported device
  // continues the same stream after import. import_state returns nullopt for other input.
  Bytes export_state() const;
  static std::optional<RandomSource> import_state(ByteView state);

 private:
  RandomSource(bool deterministic, const Key32& key);

  bool deterministic_;
  Key32 key_{};                 // ChaCha20 key (deterministic mode only)
  std::uint64_t position_ = 0;  // bytes of keystream consumed
  // The last keystream block computed for a partial-block draw (not part of the state: it is
  // recomputed from key_ and position_ whenever needed).
  ByteArray<64> block_{};
  std::optional<std::uint64_t> cached_block_;
};

}  // namespace oi::crypto
