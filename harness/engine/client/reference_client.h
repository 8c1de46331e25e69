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
// - carbons (XEP-0280) and MAM results (XEP-0313) are accepted only from the own account (a
//   forged wrapper is ignored); an own message reflected back (own JID and own sid, as a carbon
//   or a MUC echo) is ignored (R-LEG-044); a duplicate decrypts to error `replay`, which a
//   client does not display (R-OM2-050, R-LEG-043);
// - MAM catch-up pages through the own archive after the last archived message seen; a key
//   exchange received meanwhile is answered (bundle refresh, OMEMO 2 empty message) only when
//   the catch-up ends (R-OM2-051; the engine itself deletes the prekey at once);
// - MUC: OMEMO only in rooms that show real JIDs (status 100/172 or disco muc_nonanonymous;
//   otherwise send fails with `anonymous_room`, R-OM2-043); the member, admin and owner lists
//   are requested on join and again before each group message (R-OM2-044), and the message is
//   encrypted for every listed JID's devices, every occupant's real JID and the own other
//   devices (R-OM2-045/046, R-LEG-045), sent as groupchat to the room with SCE <to> = the room
//   a received group message is attributed to the occupant's real JID.
#pragma once

#include <map>
#include <memory>
#include <set>

#include "codec/device_list.h"
#include "engine/client/client_api.h"
#include "engine/client/stanzas.h"
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
  // A device holding exactly `keys` (Device::create_from_keys; spec.identity_kind says how an
  // OMEMO 2 identity is held, spec.pre_key_count is ignored), or why the keys are unusable.
  // Such a device keeps its id when start() finds it listed: its keys are fixed, and drawing
  // another id would make it another device.
  static Result<std::unique_ptr<ReferenceClientDevice>> from_keys(const DeviceSpec& spec,
                                                                  const DeviceKeys& keys,
                                                                  crypto::RandomSource random);

  std::uint32_t device_id() const override { return device_->device_id(); }
  std::string fingerprint() const override { return device_->fingerprint(); }
  SendOutcome start(ServerLink& link) override;
  SendOutcome send(const SendRequest& request, ServerLink& link) override;
  ReceiveOutcome receive(const std::string& stanza_xml, ServerLink& link) override;
  void set_trust(const std::string& jid, std::uint32_t device_id, bool trusted) override;
  SendOutcome begin_catch_up(const CatchUpRequest& request, ServerLink& link) override;
  void end_catch_up(ServerLink& link) override;
  SendOutcome join_room(const std::string& room, const std::string& nick,
                        ServerLink& link) override;
  SendOutcome leave_room(const std::string& room, ServerLink& link) override;
  bool set_misbehaviour(Misbehaviour knob, bool on) override;
  SendOutcome rotate_signed_pre_key(ServerLink& link) override;
  Bytes export_state() const override;
  bool import_state(ByteView state) override;

  Device& device() { return *device_; }

 private:
  ReferenceClientDevice(const DeviceSpec& spec, crypto::RandomSource random,
                        std::unique_ptr<Device> device);

  // What the device knows of a room it joined (or is joining).
  struct RoomState {
    std::string nick;
    bool joined = false;         // the own presence (status 110) came back
    bool non_anonymous = false;  // real JIDs visible: status 100/172, disco muc_nonanonymous
    bool members_only = false;   // disco muc_membersonly
    std::map<std::string, std::string> occupants;  // nick -> real full JID ("" when hidden)
    std::set<std::string> affiliated;              // bare JIDs: member, admin and owner lists
  };

  std::string next_id();
  static DeviceOptions device_options(const DeviceSpec& spec);
  // Publishes `publish_xml` on `node` with publish-options, falling back as deployed clients do
  // on <precondition-not-met/> reconfigure the node (XEP-0060 §8.2, R-OM2-029) and
  // retry; when 'max' is refused try 1000, 100, 10 (QXmpp); when publish-options are not
  // supported publish without them and then configure the node (Dino).
  SendOutcome publish_with_options(const std::string& publish_xml, const std::string& node,
                                   std::vector<PublishOption> options, ServerLink& link);
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
  ReceiveOutcome receive_presence(const std::string& stanza_xml, ServerLink& link);
  // Requests the member, admin and owner lists (R-OM2-044); a refused list keeps the last one.
  void refresh_affiliations(const std::string& room_jid, RoomState& room, ServerLink& link);
  SendOutcome send_groupchat(const SendRequest& request, ServerLink& link);
  // After a key exchange: refresh and republish the bundle; OMEMO 2 answers with an empty
  // message (R-OM2-048, R-OM2-051).
  void answer_key_exchange(const DeviceAddress& sender, ServerLink& link);

  DeviceSpec spec_;
  crypto::RandomSource random_;  // for a device regenerated after an id clash
  std::unique_ptr<Device> device_;
  bool announced_ = false;       // the device id was published at least once
  bool has_fixed_keys_ = false;  // built from_keys: never regenerated on an id clash
  std::map<std::string, codec::DeviceList> device_lists_;  // bare JID -> last list seen
  std::uint64_t stanza_counter_ = 0;
  std::map<std::string, RoomState> rooms_;  // room bare JID -> state
  std::string last_archive_id_;             // the newest own-archive id seen (MAM after)
  bool catching_up_ = false;
  std::vector<DeviceAddress> postponed_key_exchanges_;  // senders of KEX during catch-up
};

}  // namespace oi::engine::client
