// One OMEMO device of the reference engine, with one API for both profiles.
//
// A Device owns its keys, sessions and trust decisions, and speaks in codec types: it publishes a
// codec::Bundle, builds sessions from fetched bundles, turns a body into a codec::Encrypted
// element (plus its XML, where XML-level misbehaviours apply) and back. It knows nothing of
// servers or scenarios: the caller fetches bundles and device lists and routes stanzas.
//
// Contracts:
// - All randomness comes from the RandomSource given at creation: the same seed and the same
//   calls give the same bytes.
// - decrypt() is atomic: on failure nothing changes (sessions, prekeys, trust). Compare
//   export_state() before and after to check.
// - encrypt() never encrypts for the sending device itself (R-LEG-020, R-OM2-034) and skips
//   untrusted devices when content is sent (trust gates content, not empty messages).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "codec/bundle.h"
#include "codec/device_list.h"
#include "codec/encrypted.h"
#include "codec/envelope.h"
#include "codec/profile.h"
#include "crypto/random_source.h"
#include "engine/decrypt_error.h"
#include "engine/misbehaviour.h"
#include "engine/trust.h"

namespace oi::engine {

struct DeviceOptions {
  codec::Profile profile = codec::Profile::legacy;
  std::string jid;                  // own bare JID
  std::uint32_t device_id = 0;      // 0: draw one in 1..2^31-1
  std::size_t pre_key_count = 100;  // raised to the spec minimum (20 legacy, 25 OMEMO 2)
  TrustPolicy trust_policy = TrustPolicy::btbv;
  // OMEMO 2 only: how the identity key is held ("ed25519_seed", "curve25519_xeddsa",
  // "curve25519_true_sign"; see engine/omemo2/identity.h).
  std::string identity_kind = "ed25519_seed";
};

// Fixed key material a device is built from instead of generating its own (the adapter
// protocol's `import_keys`, adapters/PROTOCOL.md §11). Public keys are as published: legacy 33
// bytes (0x05 ‖ u), OMEMO 2 32 bytes (Ed25519 identity, X25519 prekeys).
struct DeviceKeys {
  struct KeyPair {
    std::uint32_t id = 0;
    Bytes private_key;  // 32 bytes
    Bytes public_key;
  };
  struct SignedPreKey {
    std::uint32_t id = 0;
    Bytes private_key;  // 32 bytes
    Bytes public_key;
    Bytes signature;  // 64 bytes: legacy curvesig over the 33-byte key, OMEMO 2 Ed25519 over 32
  };
  // Legacy: the Curve25519 scalar as libsignal serialises it. OMEMO 2: the seed
  // (ed25519_seed) or the Curve25519 scalar (the other kinds of DeviceOptions::identity_kind).
  Bytes identity_private;
  Bytes identity_public;
  std::uint32_t registration_id = 0;  // legacy
  std::optional<SignedPreKey> signed_pre_key;
  std::vector<KeyPair> pre_keys;
};

// The stanza around an element: what SCE affixes are built from and checked against.
struct StanzaContext {
  std::string from;  // bare JID of the sender
  std::string to;    // bare JID of the recipient (the room for group chat)
  std::string time;  // XEP-0082 DateTime of sending (the <delay/> stamp when delayed)
};

struct EncryptedOutput {
  codec::Encrypted element;
  std::string xml;  // the element as sent: canonical unless an XML-level misbehaviour is on
  std::vector<DeviceAddress> skipped_untrusted;  // recipients left out by the trust policy
};

struct ReceivedMessage {
  std::optional<std::string> body;  // nullopt: key transport / empty message
  // OMEMO 2: the decrypted SCE envelope (body taken from its jabber:client <body>).
  std::optional<codec::Envelope> envelope;
  std::vector<codec::Finding> envelope_findings;  // SCE checks, static and against the stanza
  bool sender_trusted = true;
  bool was_key_exchange = false;  // a prekey was consumed: republish the bundle
  bool heartbeat_due = false;     // OMEMO 2: first message of a chain with n >= 53 (R-OM2-053)
};

class Device {
 public:
  // Throws std::invalid_argument for an empty JID or an unknown identity kind.
  static std::unique_ptr<Device> create(const DeviceOptions& options, crypto::RandomSource random);
  // A device holding exactly `keys`: nothing is generated, the bundle publishes these keys, and
  // a refresh after a key exchange tops the one-time prekeys up to keys.pre_keys.size()
  // (options.pre_key_count is ignored). `random` serves the later draws (device id when
  // options.device_id is 0, ratchet keys, payload keys and IVs). Fails with bad_data for a key
  // of the wrong length, a public key that is not the private key's, or a repeated or invalid
  // prekey id; with bad_signature when the signed prekey signature does not verify. Nothing is
  // re-derived or re-signed. Throws std::invalid_argument for what create() refuses and for
  // keys without a signed prekey (the reference device always publishes one).
  static Result<std::unique_ptr<Device>> create_from_keys(const DeviceOptions& options,
                                                          const DeviceKeys& keys,
                                                          crypto::RandomSource random);
  virtual ~Device() = default;

  virtual codec::Profile profile() const = 0;
  virtual const std::string& jid() const = 0;
  virtual std::uint32_t device_id() const = 0;
  // Curve25519 form of the identity key, 8 groups of 8 lowercase hex digits (spec §2.5).
  virtual std::string fingerprint() const = 0;
  // The identity key as published in the bundle (33 bytes legacy, 32 bytes OMEMO 2).
  virtual Bytes identity_key() const = 0;

  virtual codec::Bundle bundle() const = 0;
  // After a key exchange consumed prekeys: generates replacements; returns how many.
  virtual std::size_t refresh_bundle() = 0;
  // New signed prekey; the previous one stays usable for incoming key exchanges (R-OM2-007).
  virtual void rotate_signed_pre_key() = 0;

  // Verifies the signed prekey signature, picks a random one-time prekey and builds the session.
  virtual Result<std::monostate> build_session(const DeviceAddress& remote,
                                               const codec::Bundle& bundle) = 0;
  virtual bool has_session(const DeviceAddress& remote) const = 0;

  // body nullopt: a key-transport (legacy) or empty (OMEMO 2) message.
  virtual Result<EncryptedOutput> encrypt(const std::optional<std::string>& body,
                                          const std::vector<DeviceAddress>& recipients,
                                          const StanzaContext& stanza) = 0;
  virtual Result<ReceivedMessage> decrypt(const codec::Encrypted& element,
                                          const StanzaContext& stanza) = 0;

  // The identity key a remote device presented (bundle or key exchange), as published.
  virtual std::optional<Bytes> remote_identity(const DeviceAddress& /*remote*/) const {
    return std::nullopt;
  }

  TrustStore& trust() { return trust_; }
  Switchboard& misbehaviours() { return misbehaviours_; }
  const Switchboard& misbehaviours() const { return misbehaviours_; }

  virtual Bytes export_state() const = 0;
  // False (and nothing changed) for bytes this profile's export did not produce.
  virtual bool import_state(ByteView state) = 0;

 protected:
  explicit Device(TrustPolicy policy) : trust_(policy) {}
  TrustStore trust_;
  Switchboard misbehaviours_;
};

// `received` with `own_device_id` added when missing; every other id is kept (R-LEG-008,
// R-OM2-026).
codec::DeviceList merge_own_device_id(const codec::DeviceList& received,
                                      std::uint32_t own_device_id);

// 32 bytes as 8 groups of 8 lowercase hex digits separated by spaces.
std::string format_fingerprint(ByteView curve25519_public_key);

}  // namespace oi::engine
