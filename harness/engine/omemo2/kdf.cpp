#include "engine/omemo2/kdf.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/hash.h"
#include "engine/omemo2/constants.h"

namespace oi::engine::omemo2 {
namespace {

template <std::size_t N>
ByteArray<N> slice(const Bytes& data, std::size_t offset) {
  ByteArray<N> out;
  std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(offset), N, out.begin());
  return out;
}

Bytes hkdf(ByteView ikm, ByteView salt, std::string_view info, std::size_t length) {
  std::optional<Bytes> out = crypto::hkdf_sha256(ikm, salt, as_bytes(info), length);
  if (!out) throw std::logic_error("HKDF length out of range");
  return std::move(*out);
}

}  // namespace

RootStep kdf_root(const Key32& root_key, const Key32& dh_output) {
  const Bytes out = hkdf(dh_output, root_key, kRootChainInfo, 64);
  return RootStep{slice<32>(out, 0), slice<32>(out, 32)};
}

ChainStep kdf_chain(const Key32& chain_key) {
  static constexpr std::uint8_t kMessageKeyConstant[] = {0x01};
  static constexpr std::uint8_t kChainKeyConstant[] = {0x02};
  return ChainStep{crypto::hmac_sha256(chain_key, kMessageKeyConstant),
                   crypto::hmac_sha256(chain_key, kChainKeyConstant)};
}

MessageKeys expand_message_key(const Key32& message_key) {
  static constexpr Key32 kZeroSalt{};
  const Bytes out = hkdf(message_key, kZeroSalt, kMessageKeyInfo, 80);
  return MessageKeys{slice<32>(out, 0), slice<32>(out, 32), slice<16>(out, 64)};
}

}  // namespace oi::engine::omemo2
