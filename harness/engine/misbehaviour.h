// The misbehaviour switchboard: named ways in which the reference engine, acting as a scripted
// peer, deviates from the protocol on purpose (in the spirit of BoringSSL's ProtocolBugs).
// Scenarios switch knobs on by name; the report quotes the requirement and the expected
// receiver reaction.
//
// Each entry: enumerator, name used in scenario files, profiles it applies to, the requirement
// or ambiguity it exercises, and what a correct receiver does.
#pragma once

#include <bitset>
#include <optional>
#include <string_view>
#include <vector>

namespace oi::engine {

// clang-format off
#define OI_MISBEHAVIOURS(X)                                                                      \
  /* ---- ratchet and key exchange ---- */                                                      \
  X(wrong_ratchet_mac, "wrong-ratchet-mac", "both", "R-OM2-015, R-LEG-034",                      \
    "reject as bad data; session state unchanged")                                              \
  X(truncated_ratchet_mac, "truncated-ratchet-mac", "both", "R-OM2-015",                         \
    "reject (MAC of the wrong length); state unchanged")                                        \
  X(counter_skip, "counter-skip", "both", "R-OM2-010, R-LEG-042",                                \
    "decrypt; the skipped messages stay decryptable later")                                     \
  X(counter_far_ahead, "counter-far-ahead", "both", "R-OM2-011, R-LEG-042",                      \
    "reject with skip-limit; the session stays usable")                                         \
  X(replay_message, "replay-message", "both", "R-OM2-050, R-LEG-043",                            \
    "no second chat message and no error shown (duplicate)")                                    \
  X(reuse_consumed_prekey, "reuse-consumed-prekey", "both", "R-OM2-005, R-LEG-031",              \
    "reject the key exchange: the prekey was consumed")                                         \
  X(key_exchange_without_prekey, "key-exchange-without-prekey", "both", "R-OM2-005, A-27",       \
    "OMEMO 2: reject; legacy: record what the receiver does")                                   \
  X(bad_signed_prekey_signature, "bad-signed-prekey-signature", "both", "R-OM2-002, R-LEG-013",  \
    "refuse to build a session from the published bundle")                                      \
  X(spk_signature_over_prefixed_key, "spk-signature-over-prefixed-key", "omemo2", "R-OM2-004",   \
    "refuse the bundle: OMEMO 2 signs the raw 32-byte key")                                     \
  X(legacy_key_without_type_byte, "legacy-key-without-type-byte", "legacy", "R-LEG-001",         \
    "refuse the bundle: legacy keys are 0x05 followed by 32 bytes")                             \
  X(stop_kex_early, "stop-kex-early", "omemo2", "R-OM2-016, R-LEG-033",                          \
    "sender drops the key exchange before the peer answered; receiver without session fails")   \
  X(new_ek_same_session, "new-ek-same-session", "omemo2", "R-OM2-017",                           \
    "a key exchange with a different ek replaces the session")                                  \
  X(suppress_heartbeat, "suppress-heartbeat", "omemo2", "R-OM2-053, A-13",                       \
    "the peer's chain keeps growing; a correct sender keeps encrypting")                        \
  /* ---- payload ---- */                                                                       \
  X(wrong_payload_mac, "wrong-payload-mac", "both", "R-OM2-019, R-LEG-035",                      \
    "reject the payload (HMAC or GCM tag); show no text")                                       \
  X(iv_16_bytes, "iv-16-bytes", "legacy", "R-LEG-019, A-01",                                     \
    "accept: decrypt with the 16-byte IV it received")                                          \
  X(tag_in_payload, "tag-in-payload", "legacy", "R-LEG-037, A-02",                               \
    "MAY accept (16-byte key, tag at the end of <payload>); recorded, not failed")              \
  X(pre_0_7_key_material, "pre-0.7-key-material", "omemo2", "A-20",                             \
    "reject 64-byte key material (32-byte HMAC) from pre-0.7 drafts")                           \
  /* ---- XML ---- */                                                                           \
  X(prekey_attribute_one, "prekey-attribute-one", "legacy", "R-LEG-022, A-03",                   \
    "treat prekey='1' as true")                                                                 \
  X(prekey_attribute_omitted, "prekey-attribute-omitted", "legacy", "R-LEG-022, A-03",           \
    "MAY retry as a PreKeySignalMessage when SignalMessage parsing fails")                      \
  X(kex_attribute_one, "kex-attribute-one", "omemo2", "R-OM2-036, A-04", "treat kex='1' as true") \
  X(kex_mislabelled, "kex-mislabelled", "omemo2", "R-OM2-036",                                   \
    "kex flag contradicts the content: reject as bad data")                                     \
  X(base64_whitespace, "base64-whitespace", "both", "A-22",                                      \
    "accept base64 wrapped with spaces and newlines")                                           \
  X(shuffled_children, "shuffled-children", "both", "A-23",                                      \
    "accept any child order (e.g. <iv> before the <key> elements)")                             \
  X(plaintext_body_beside, "plaintext-body-beside", "both", "R-OM2-062, R-LEG-024",              \
    "ignore the unencrypted <body> next to the OMEMO element")                                  \
  X(device_id_zero, "device-id-zero", "both", "R-LEG-002, R-OM2-020, A-09",                      \
    "reject or ignore device id 0")                                                             \
  X(device_id_too_large, "device-id-too-large", "both", "R-LEG-002, R-OM2-020",                  \
    "reject or ignore device ids >= 2^31")                                                      \
  X(pep_item_id_not_current, "pep-item-id-not-current", "both", "R-LEG-009, A-05",               \
    "accept a device list published under any item id")                                        \
  X(empty_device_list, "empty-device-list", "both", "A-28, R-OM2-069",                           \
    "accept an empty device list (and re-announce when it is the own account's)")               \
  /* ---- SCE envelope (OMEMO 2) ---- */                                                        \
  X(sce_wrong_from, "sce-wrong-from", "omemo2", "R-OM2-064",                                     \
    "alert or reject: <from> differs from the stanza's sender")                                 \
  X(sce_wrong_to, "sce-wrong-to", "omemo2", "R-OM2-063",                                         \
    "alert or reject: <to> differs from the stanza's recipient")                                \
  X(sce_time_off, "sce-time-off", "omemo2", "R-OM2-065, A-17",                                   \
    "alert or reject: <time> two days away from the sending time")                              \
  X(sce_rpad_missing, "sce-rpad-missing", "omemo2", "R-OM2-033",                                 \
    "accept the content (the sender broke a MUST; the receiver records it)")                    \
  X(sce_rpad_huge, "sce-rpad-huge", "omemo2", "R-OM2-066, A-18",                                 \
    "accept: a 10 000-character <rpad> MUST NOT be rejected")                                   \
  X(sce_not_envelope, "sce-not-envelope", "omemo2", "R-OM2-060",                                 \
    "reject a decrypted payload that is not an <envelope> in urn:xmpp:sce:1")
// clang-format on

enum class Misbehaviour {
#define OI_MISBEHAVIOUR_ENUM(id, name, profiles, requirements, reaction) id,
  OI_MISBEHAVIOURS(OI_MISBEHAVIOUR_ENUM)
#undef OI_MISBEHAVIOUR_ENUM
      count_
};

struct MisbehaviourInfo {
  Misbehaviour knob;
  std::string_view name;
  std::string_view profiles;      // "legacy", "omemo2" or "both"
  std::string_view requirements;  // catalogue IDs, comma-separated
  std::string_view expected_reaction;
};

// Every knob, in declaration order.
const std::vector<MisbehaviourInfo>& all_misbehaviours();
const MisbehaviourInfo& misbehaviour_info(Misbehaviour knob);
std::optional<Misbehaviour> misbehaviour_from_name(std::string_view name);

// The knobs switched on for one device.
class Switchboard {
 public:
  void enable(Misbehaviour knob) { on_.set(static_cast<std::size_t>(knob)); }
  void disable(Misbehaviour knob) { on_.reset(static_cast<std::size_t>(knob)); }
  bool is_enabled(Misbehaviour knob) const { return on_.test(static_cast<std::size_t>(knob)); }
  bool is_empty() const { return on_.none(); }

 private:
  std::bitset<static_cast<std::size_t>(Misbehaviour::count_)> on_;
};

}  // namespace oi::engine
