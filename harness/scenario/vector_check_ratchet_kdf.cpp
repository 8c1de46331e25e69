// Checkers `chain-kdf` and `root-kdf`: one Double Ratchet KDF step per record, for both
// profiles. OMEMO 2 runs the engine's kdf.h; legacy runs libsignal-protocol-c's own steps
// (engine/legacy/ratchet_steps.h), the code the legacy engine uses.
#include "crypto/curve25519.h"
#include "crypto/hash.h"
#include "engine/legacy/ratchet_steps.h"
#include "engine/omemo2/kdf.h"
#include "scenario/vector_check_protocol.h"

namespace oi::scenario::vector_check {

// Fields: Profile, ChainKey -> MessageKey (HMAC(CK, 0x01)), EncKey, AuthKey, IV (the 80-byte
// HKDF expansion of MessageKey: "OMEMO Message Key Material" or "WhisperMessageKeys"),
// NextChainKey (HMAC(CK, 0x02)). libsignal does not expose MessageKey, so for legacy it is
// checked with the harness's HMAC and everything else with libsignal.
Observation check_chain_kdf(const Fields& f) {
  const Key32 chain_key = f.key32("ChainKey");
  if (profile_of(f) == Profile::omemo2) {
    const engine::omemo2::ChainStep step = engine::omemo2::kdf_chain(chain_key);
    const engine::omemo2::MessageKeys keys = engine::omemo2::expand_message_key(step.message_key);
    return first_difference({compare("MessageKey", f.hex("MessageKey"), step.message_key),
                             compare("EncKey", f.hex("EncKey"), keys.encryption_key),
                             compare("AuthKey", f.hex("AuthKey"), keys.authentication_key),
                             compare("IV", f.hex("IV"), keys.iv),
                             compare("NextChainKey", f.hex("NextChainKey"), step.next_chain_key)});
  }
  static constexpr std::uint8_t kMessageKeySeed = 0x01;
  const Key32 message_key = crypto::hmac_sha256(chain_key, ByteView(&kMessageKeySeed, 1));
  const engine::legacy::LegacyChainStep step = engine::legacy::legacy_chain_step(chain_key);
  return first_difference({compare("MessageKey", f.hex("MessageKey"), message_key),
                           compare("EncKey", f.hex("EncKey"), step.cipher_key),
                           compare("AuthKey", f.hex("AuthKey"), step.mac_key),
                           compare("IV", f.hex("IV"), step.iv),
                           compare("NextChainKey", f.hex("NextChainKey"), step.next_chain_key)});
}

// Fields: Profile, RootKey, OwnPriv (our ratchet private key), PeerPub (their ratchet public key:
// 32 bytes for OMEMO 2, 33 with 0x05 for legacy) -> DhOut, NewRootKey, ChainKey.
Observation check_root_kdf(const Fields& f) {
  const Key32 root_key = f.key32("RootKey");
  const Key32 own_private = f.key32("OwnPriv");
  const Bytes& peer_public = f.hex("PeerPub");
  const bool legacy = profile_of(f) == Profile::legacy;
  const ByteView peer_u =
      legacy && peer_public.size() == 33 ? ByteView(peer_public).subspan(1) : ByteView(peer_public);
  const crypto::X25519Output dh = crypto::x25519(own_private, peer_u);
  if (auto diff = compare("DhOut", f.hex("DhOut"), dh.shared_secret)) {
    return Observation::mismatched(*diff);
  }
  if (!legacy) {
    const engine::omemo2::RootStep step = engine::omemo2::kdf_root(root_key, dh.shared_secret);
    return first_difference({compare("NewRootKey", f.hex("NewRootKey"), step.root_key),
                             compare("ChainKey", f.hex("ChainKey"), step.chain_key)});
  }
  const engine::legacy::LegacyRootStep step =
      engine::legacy::legacy_root_step(root_key, peer_public, own_private);
  return first_difference({compare("NewRootKey", f.hex("NewRootKey"), step.root_key),
                           compare("ChainKey", f.hex("ChainKey"), step.chain_key)});
}

}  // namespace oi::scenario::vector_check
