// The legacy (eu.siacs.conversations.axolotl) Device: libsignal-protocol-c sessions
// (SessionCore), the AES-128-GCM payload (payload.h) and the codec's stanza model.
#pragma once

#include <map>

#include "engine/device.h"
#include "engine/legacy/session_core.h"

namespace oi::engine::legacy {

class LegacyDevice final : public Device {
 public:
  LegacyDevice(const DeviceOptions& options, crypto::RandomSource random);
  // Device::create_from_keys for legacy: keys in libsignal's forms (33-byte public keys,
  // curvesig signature over the 33-byte signed prekey); prekey ids must be distinct.
  static Result<std::unique_ptr<Device>> from_keys(const DeviceOptions& options,
                                                   const DeviceKeys& keys,
                                                   crypto::RandomSource random);

  codec::Profile profile() const override { return codec::Profile::legacy; }
  const std::string& jid() const override { return jid_; }
  std::uint32_t device_id() const override { return device_id_; }
  std::string fingerprint() const override;
  Bytes identity_key() const override { return core_.identity_public(); }

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
  LegacyDevice(const DeviceOptions& options, const ImportedKeys& keys, std::size_t pre_key_count,
               crypto::RandomSource random);

  Result<Bytes> decrypt_key(const DeviceAddress& sender, const codec::KeyElement& key);
  void apply_ratchet_misbehaviours(EncryptedKey& key) const;

  std::string jid_;
  std::uint32_t device_id_;
  std::size_t pre_key_count_;
  crypto::RandomSource random_;  // payload keys, IVs, prekey choice
  SessionCore core_;
  std::map<DeviceAddress, std::uint32_t> last_pre_key_used_;  // for reuse-consumed-prekey
  std::optional<EncryptedOutput> last_output_;                // for replay-message
};

}  // namespace oi::engine::legacy
