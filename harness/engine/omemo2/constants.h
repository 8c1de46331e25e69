// OMEMO 2 (urn:xmpp:omemo:2) protocol constants, as spec/requirements.md §2.3 pins them down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace oi::engine::omemo2 {

inline constexpr std::string_view kX3dhInfo = "OMEMO X3DH";                        // R-OM2-001
inline constexpr std::string_view kRootChainInfo = "OMEMO Root Chain";             // R-OM2-012
inline constexpr std::string_view kMessageKeyInfo = "OMEMO Message Key Material";  // R-OM2-013
inline constexpr std::string_view kPayloadInfo = "OMEMO Payload";                  // R-OM2-018

inline constexpr std::size_t kMacLength = 16;               // ratchet and payload MACs (R-OM2-014)
inline constexpr std::size_t kKeyMaterialLength = 48;       // payload key 32 || payload HMAC 16
inline constexpr std::size_t kEmptyKeyMaterialLength = 32;  // empty message: 32 zero bytes
inline constexpr std::size_t kAssociatedDataLength = 64;    // Ed25519(IK_A) || Ed25519(IK_B)

// Per-message skip limit (R-OM2-011) and skipped keys kept per session, FIFO (R-OM2-010).
inline constexpr std::uint32_t kMaxSkip = 1000;
inline constexpr std::size_t kMaxStoredSkippedKeys = 1000;
// Receiving ratchet keys remembered after their chain ended, so that a late message on an old
// chain whose key is gone is classified as a replay rather than as a bad MAC.
inline constexpr std::size_t kMaxRememberedRatchetKeys = 40;

// Heartbeat rule (R-OM2-053): the first message of a chain with n >= this value.
inline constexpr std::uint32_t kHeartbeatThreshold = 53;

}  // namespace oi::engine::omemo2
