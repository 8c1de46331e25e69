// The OMEMO 2 (urn:xmpp:omemo:2) Device: the identity (identity.h), the own prekeys
// (prekey_store.h), one Session per peer device (session.h), the payload (payload.h) over the SCE
// envelope (sce.h), and the codec's stanza model.
//
// Beyond the Device contract:
// - Randomness: identity, signed prekey and prekeys, then every later draw (EK, ratchet keys,
//   payload keys, rpad, prekey choice) come from one stream derived as "device"; it is part of
//   the exported state.
// - encrypt() checks every recipient before drawing anything: a missing session fails with
//   no_session and nothing changes. Recipients are grouped into one <keys jid> per bare JID, in
//   the order given.
// - decrypt() rejects a sender device id of 0 or >= 2^31 (R-OM2-020) and a <key> whose content
//   contradicts its kex flag (R-OM2-036) as bad_data, before any lookup. The key material must be
//   48 bytes with a <payload> or 32 zero bytes without one (R-OM2-037); anything else is bad_data
//   (64 bytes from a pre-0.7 sender included, A-20). SCE affix mismatches are alerts in
//   ReceivedMessage::envelope_findings, not failures (sce.h).
// - Trust: a device's identity is observed when a session is built either way; an untrusted
//   sender's message decrypts with sender_trusted false (R-OM2-056).
// - suppress-heartbeat is a receiver-side flag: with it on, decrypt() never reports
//   heartbeat_due, so a caller that sends heartbeats when told to stays silent and the peer's
//   chain keeps growing (R-OM2-053, A-13).
// - The other sender knobs keep scratch data that is not device state and is not exported: the
//   last element sent (replay-message), and per peer the last bundle fetched and the prekey ids
//   used with it (reuse-consumed-prekey, new-ek-same-session).
#pragma once

#include <map>
#include <optional>
#include <set>

#include "engine/device.h"
#include "engine/omemo2/identity.h"
#include "engine/omemo2/prekey_store.h"
#include "engine/omemo2/session.h"

namespace oi::engine::omemo2 {

class Omemo2Device final : public Device {
 public:
  // Throws std::invalid_argument for an empty JID or an unknown options.identity_kind. A device
  // id given in the options is used as it is, even outside 1..2^31-1.
  Omemo2Device(const DeviceOptions& options, crypto::RandomSource random);
  // Device::create_from_keys for OMEMO 2: options.identity_kind says how keys.identity_private
  // is held; prekey ids must be in 1..2^31-1 and distinct.
  static Result<std::unique_ptr<Device>> from_keys(const DeviceOptions& options,
                                                   const DeviceKeys& keys,
                                                   crypto::RandomSource random);

  codec::Profile profile() const override { return codec::Profile::omemo2; }
  const std::string& jid() const override { return jid_; }
  std::uint32_t device_id() const override { return device_id_; }
  std::string fingerprint() const override;
  Bytes identity_key() const override;

  codec::Bundle bundle() const override;
  std::size_t refresh_bundle() override;
  void rotate_signed_pre_key() override;

  Result<std::monostate> build_session(const DeviceAddress& remote,
                                       const codec::Bundle& bundle) override;
  bool has_session(const DeviceAddress& remote) const override;

  Result<EncryptedOutput> encrypt(const std::optional<std::string>& body,
                                  const std::vector<DeviceAddress>& recipients,
                                  const StanzaContext& stanza) override;
  Result<ReceivedMessage> decrypt(const codec::Encrypted& element,
                                  const StanzaContext& stanza) override;

  std::optional<Bytes> remote_identity(const DeviceAddress& remote) const override;
  Bytes export_state() const override;
  bool import_state(ByteView state) override;

 private:
  Omemo2Device(const DeviceOptions& options, IdentityKey identity, PrekeyStore prekeys,
               std::size_t pre_key_count, crypto::RandomSource random);

  // What the last build_session() for a peer used (sender-side knobs only).
  struct PeerBundle {
    codec::Bundle bundle;
    std::set<std::uint32_t> used_prekey_ids;
    std::uint32_t last_prekey_id = 0;
  };
  // The outcome of one <key> addressed to us, not yet committed.
  struct KeyOutcome {
    Session session;
    Bytes key_material;
    bool consumed_prekey = false;
    std::uint32_t consumed_prekey_id = 0;
    bool heartbeat_due = false;
  };

  // A session from `bundle`'s keys with the prekey `prekey_id` (the no-prekey variant when the
  // key-exchange-without-prekey knob is on).
  Result<Session> initiate_session(const codec::Bundle& bundle, std::uint32_t prekey_id);
  // The prekey id build_session() uses for `remote`: random, or the last one with the
  // reuse-consumed-prekey knob.
  std::optional<std::uint32_t> choose_prekey(const DeviceAddress& remote,
                                             const codec::Bundle& bundle);
  // new-ek-same-session: a fresh session with a prekey of the stored bundle not used before.
  void restart_session(const DeviceAddress& remote);
  OutgoingKey encrypt_key(const DeviceAddress& remote, ByteView key_material);
  Result<KeyOutcome> decrypt_key(const DeviceAddress& sender, const codec::KeyElement& key,
                                 crypto::RandomSource& random) const;

  std::string jid_;
  std::uint32_t device_id_;
  std::size_t pre_key_count_;
  crypto::RandomSource random_;
  IdentityKey identity_;
  PrekeyStore prekeys_;
  std::map<DeviceAddress, Session> sessions_;
  std::map<DeviceAddress, PeerBundle> peer_bundles_;  // sender-side knobs only
  std::optional<EncryptedOutput> last_output_;        // replay-message
};

}  // namespace oi::engine::omemo2
