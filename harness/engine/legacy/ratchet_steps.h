// libsignal-protocol-c's own key-derivation steps, run with fixed keys so that protocol vectors
// can pin each step of the legacy profile (spec §2.1, §2.2): the chain step (KDF_CK and the
// "WhisperMessageKeys" expansion), the root step ("WhisperRatchet") and the X3DH session
// initialisation ("WhisperText") for both roles. These call the library the legacy engine runs
// on, not a re-implementation.
//
// Contract: keys are libsignal's forms (private keys 32 bytes, public keys 33 bytes 0x05 ‖ u).
// A key of the wrong length or type gives std::invalid_argument; a libsignal failure gives
// std::runtime_error. Nothing draws randomness from the OS: the only draw (Alice's first sending
// ratchet key) is the key passed in.
#pragma once

#include <optional>

#include "crypto/bytes.h"

namespace oi::engine::legacy {

struct LegacyChainStep {
  Key32 cipher_key{};  // AES-256-CBC key
  Key32 mac_key{};     // HMAC-SHA-256 key, MAC truncated to 8 bytes
  ByteArray<16> iv{};
  Key32 next_chain_key{};
};
// ratchet_chain_key_get_message_keys / ratchet_chain_key_create_next on `chain_key`.
LegacyChainStep legacy_chain_step(const Key32& chain_key);

struct LegacyRootStep {
  Key32 root_key{};
  Key32 chain_key{};
};
// ratchet_root_key_create_chain: KDF_RK(root_key, DH(our_private, their_public33)).
LegacyRootStep legacy_root_step(const Key32& root_key, ByteView their_public33,
                                const Key32& our_private);

// The X3DH inputs of one session (private keys of both sides; the responder's one-time prekey
// is optional: libsignal allows an SPK-only exchange, spec A-27).
struct LegacyX3dhKeys {
  Key32 alice_identity_private{};
  Key32 alice_base_private{};     // EK_A
  Key32 alice_ratchet_private{};  // Alice's first sending ratchet key
  Key32 bob_identity_private{};
  Key32 bob_signed_pre_key_private{};
  std::optional<Key32> bob_one_time_pre_key_private;
};

// Bob's session after ratcheting_session_bob_initialize: RK0 and his sending chain CK0 (whose
// ratchet key is his signed prekey).
struct LegacyBobSession {
  Key32 root_key{};
  Key32 sending_chain_key{};
};
LegacyBobSession legacy_x3dh_bob(const LegacyX3dhKeys& keys);

// Alice's session after ratcheting_session_alice_initialize: her receiving chain for Bob's
// signed prekey (CK0), and the root key and sending chain after her first DH ratchet step.
struct LegacyAliceSession {
  Key32 receiving_chain_key{};
  Key32 root_key{};
  Key32 sending_chain_key{};
};
LegacyAliceSession legacy_x3dh_alice(const LegacyX3dhKeys& keys);

// 0x05 ‖ X25519(private, 9) as libsignal computes it (no clamping at multiplication time).
Bytes legacy_public_key(const Key32& private_key);

// libsignal's curve_calculate_signature (curvesig, spec A-11) with its 64 random bytes given.
Signature64 legacy_sign(const Key32& identity_private, ByteView message,
                        const ByteArray<64>& random);
// libsignal's curve_verify_signature: true when `signature` verifies under the 33-byte
// `identity_public` (sign bit taken from signature[63]); false for keys it cannot decode.
bool legacy_verify(ByteView identity_public, ByteView message, ByteView signature);

}  // namespace oi::engine::legacy
