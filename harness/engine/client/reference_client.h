// The reference engine as a client: an engine::Device plus the client behaviour around it
// (publishing the device list and bundle, caching device lists, fetching bundles before
// sending, building message stanzas, republishing after a key exchange, completing sessions and
// answering heartbeats), behind the client interfaces of client_api.h.
//
// Client policy, as the catalogue recommends:
// - device lists come from PEP notifications and are fetched when a send needs an uncached one;
//   bundles are fetched only when a session is needed (R-LEG-015, R-OM2-047);
// - a received own-account device list without this device's id is re-announced with every
//   other id kept (R-LEG-007/008, R-OM2-026);
// - after a key exchange consumed a prekey the bundle is refreshed and republished (R-LEG-030,
//   R-OM2-040); OMEMO 2 then answers with an empty message (R-OM2-048);
// - OMEMO 2 heartbeats after the first message of a chain with n >= 53 (R-OM2-053) unless the
//   suppress-heartbeat knob is on.
#pragma once

#include <map>
#include <memory>
#include <set>

#include "codec/device_list.h"
#include "engine/client/client_api.h"
#include "engine/device.h"

namespace oi::engine::client {

class ReferenceImplementation final : public Implementation {
 public:
  std::string name() const override { return "reference"; }
  std::string version() const override;
  std::vector<codec::Profile> profiles() const override {
    return {codec::Profile::legacy, codec::Profile::omemo2};
  }
  std::unique_ptr<ClientDevice> create_device(const DeviceSpec& spec,
                                              crypto::RandomSource random) override;
};

class ReferenceClientDevice final : public ClientDevice {
 public:
  ReferenceClientDevice(const DeviceSpec& spec, crypto::RandomSource random);

  std::uint32_t device_id() const override { return device_->device_id(); }
  std::string fingerprint() const override { return device_->fingerprint(); }
  SendOutcome start(ServerLink& link) override;
  SendOutcome send(const SendRequest& request, ServerLink& link) override;
  ReceiveOutcome receive(const std::string& stanza_xml, ServerLink& link) override;
  void set_trust(const std::string& jid, std::uint32_t device_id, bool trusted) override;
  bool set_misbehaviour(Misbehaviour knob, bool on) override;
  Bytes export_state() const override;
  bool import_state(ByteView state) override;

  Device& device() { return *device_; }

 private:
  std::string next_id();
  std::optional<codec::DeviceList> fetch_device_list(const std::string& jid, ServerLink& link,
                                                     std::string& error);
  SendOutcome publish_device_list(const codec::DeviceList& list, ServerLink& link);
  SendOutcome publish_bundle(ServerLink& link);
  // Builds missing sessions; returns the addresses usable for encryption.
  std::vector<DeviceAddress> prepare_sessions(const std::vector<std::string>& jids,
                                              ServerLink& link, SendOutcome& outcome);
  SendOutcome send_to(const std::vector<DeviceAddress>& devices,
                      const std::optional<std::string>& body, const std::string& to,
                      const std::string& type, ServerLink& link, SendOutcome outcome = {});
  ReceiveOutcome receive_pep_event(const std::string& stanza_xml, ServerLink& link);

  DeviceSpec spec_;
  std::unique_ptr<Device> device_;
  std::map<std::string, codec::DeviceList> device_lists_;  // bare JID -> last list seen
  std::uint64_t stanza_counter_ = 0;
};

}  // namespace oi::engine::client
