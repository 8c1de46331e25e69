// The three KDFs of the OMEMO 2 Double Ratchet (R-OM2-012, R-OM2-013). Exposed separately so that
// protocol vectors can pin each step.
#pragma once

#include "crypto/bytes.h"

namespace oi::engine::omemo2 {

struct RootStep {
  Key32 root_key;
  Key32 chain_key;
};
// KDF_RK: HKDF-SHA-256(salt = root_key, ikm = dh_output, info "OMEMO Root Chain", 64) split 32/32.
RootStep kdf_root(const Key32& root_key, const Key32& dh_output);

struct ChainStep {
  Key32 message_key;     // HMAC-SHA-256(ck, 0x01)
  Key32 next_chain_key;  // HMAC-SHA-256(ck, 0x02)
};
// KDF_CK.
ChainStep kdf_chain(const Key32& chain_key);

struct MessageKeys {
  Key32 encryption_key;
  Key32 authentication_key;
  ByteArray<16> iv;
};
// HKDF-SHA-256(ikm = mk, salt = 0^32, info "OMEMO Message Key Material", 80) split 32/32/16.
MessageKeys expand_message_key(const Key32& message_key);

}  // namespace oi::engine::omemo2
