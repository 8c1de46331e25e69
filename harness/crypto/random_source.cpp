// RandomSource: ChaCha20 keystream (deterministic mode) or libsodium randombytes (OS mode).
//
// The deterministic stream is DJB ChaCha20 with an all-zero 8-byte nonce and a 64-bit block
// counter starting at 0, keyed by SHA-256(seed). For the first 2^32 blocks (256 GiB) this is
// byte-identical to the IETF variant (RFC 8439) with an all-zero 12-byte nonce.
#include "crypto/random_source.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "crypto/hash.h"
#include "crypto/sodium_init.h"

namespace oi::crypto {
namespace {

constexpr std::uint64_t kBlockSize = 64;
constexpr ByteArray<crypto_stream_chacha20_NONCEBYTES> kZeroNonce{};

// Writes keystream bytes [block * 64, block * 64 + out.size()) into `out`.
void keystream(const Key32& key, std::uint64_t block, std::span<std::uint8_t> out) {
  std::fill(out.begin(), out.end(), std::uint8_t{0});
  crypto_stream_chacha20_xor_ic(out.data(), out.data(), out.size(), kZeroNonce.data(), block,
                                key.data());
}

}  // namespace

RandomSource::RandomSource(bool deterministic, const Key32& key)
    : deterministic_(deterministic), key_(key) {}

RandomSource RandomSource::seeded(ByteView seed) {
  return RandomSource(true, sha256(seed));
}

RandomSource RandomSource::seeded(std::uint64_t seed) {
  ByteArray<8> encoded;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    encoded[i] = static_cast<std::uint8_t>(seed >> (8 * i));
  }
  return seeded(ByteView(encoded));
}

RandomSource RandomSource::os() {
  detail::require_sodium();
  return RandomSource(false, Key32{});
}

RandomSource RandomSource::derive(std::string_view label) const {
  if (!deterministic_) return os();
  std::string input = "derive:";
  input += label;
  return RandomSource(true, hmac_sha256(key_, as_bytes(input)));
}

void RandomSource::fill(std::span<std::uint8_t> out) {
  if (out.empty()) return;
  if (!deterministic_) {
    detail::require_sodium();
    randombytes_buf(out.data(), out.size());
    return;
  }
  std::size_t done = 0;
  while (done < out.size()) {
    const std::uint64_t block = position_ / kBlockSize;
    const std::size_t offset = static_cast<std::size_t>(position_ % kBlockSize);
    const std::size_t wanted = out.size() - done;
    if (offset == 0 && wanted >= kBlockSize) {  // whole blocks go straight to the output
      const std::size_t whole = wanted - wanted % kBlockSize;
      keystream(key_, block, out.subspan(done, whole));
      done += whole;
      position_ += whole;
      continue;
    }
    // Part of a block: small draws (uniform(), IVs) share one cached block instead of computing
    // a ChaCha20 block each. The cache is a pure function of (key, block): the stream is the same.
    if (cached_block_ != block) {
      keystream(key_, block, block_);
      cached_block_ = block;
    }
    const std::size_t take = std::min<std::size_t>(kBlockSize - offset, wanted);
    std::copy_n(block_.begin() + static_cast<std::ptrdiff_t>(offset), take,
                out.begin() + static_cast<std::ptrdiff_t>(done));
    done += take;
    position_ += take;
  }
}

Bytes RandomSource::bytes(std::size_t count) {
  Bytes out(count);
  fill(out);
  return out;
}

std::uint32_t RandomSource::uniform(std::uint32_t bound) {
  if (bound == 0) throw std::invalid_argument("RandomSource::uniform: bound must be > 0");
  // Accept only draws below the largest multiple of `bound` that fits in 2^32.
  const std::uint64_t range = std::uint64_t{1} << 32;
  const std::uint64_t limit = range - range % bound;
  for (;;) {
    const ByteArray<4> raw = array<4>();
    const std::uint64_t draw = std::uint64_t{raw[0]} | std::uint64_t{raw[1]} << 8 |
                               std::uint64_t{raw[2]} << 16 | std::uint64_t{raw[3]} << 24;
    if (draw < limit) return static_cast<std::uint32_t>(draw % bound);
  }
}

Bytes RandomSource::export_state() const {
  // Fixed layout written by index (GCC 12 -O2 warns falsely on push_back-then-insert).
  Bytes state(1 + key_.size() + 8);
  state[0] = deterministic_ ? 1 : 0;
  std::copy(key_.begin(), key_.end(), state.begin() + 1);
  for (std::size_t i = 0; i < 8; ++i) {
    state[1 + key_.size() + i] = static_cast<std::uint8_t>(position_ >> (8 * i));
  }
  return state;
}

std::optional<RandomSource> RandomSource::import_state(ByteView state) {
  if (state.size() != 1 + 32 + 8 || state[0] > 1) return std::nullopt;
  if (state[0] == 0) return os();
  Key32 key;
  std::copy_n(state.begin() + 1, key.size(), key.begin());
  RandomSource source(true, key);
  for (std::size_t i = 0; i < 8; ++i) {
    source.position_ |= std::uint64_t{state[33 + i]} << (8 * i);
  }
  return source;
}

}  // namespace oi::crypto
