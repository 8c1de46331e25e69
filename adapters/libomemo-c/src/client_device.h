// The XMPP client around one libomemo-c device (ours, modelled on Dino's OMEMO plugin): announces
// the device (device list and bundle over PEP), keeps the device lists it learns, builds sessions
// from bundles just before sending, encrypts for every listed device of the recipients and its
// own other devices, decrypts what it receives, and republishes its bundle after a prekey was
// consumed. For OMEMO 2 it answers key exchanges and long chains with an empty message as QXmpp
// does. It has no MAM or MUC.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "omemo_device.h"
#include "outcomes.h"
#include "server_link.h"
#include "trust_book.h"

namespace oi::libomemo_c {

struct ClientSpec {
  Profile profile = Profile::legacy;
  std::string jid;  // bare
  std::string resource;
  std::uint32_t device_id = 0;
  bool keep_device_id = false;
  TrustPolicy trust_policy = TrustPolicy::btbv;
};

class ClientDevice {
 public:
  ClientDevice(ClientSpec spec, std::unique_ptr<OmemoDevice> device);

  std::uint32_t device_id() const { return spec_.device_id; }
  std::string fingerprint() const { return device_->fingerprint(); }

  SendOutcome start(ServerLink& link);
  // body nullopt: legacy key transport / OMEMO 2 empty message.
  SendOutcome send(const std::vector<std::string>& recipients,
                   const std::optional<std::string>& body, const std::string& to, ServerLink& link);
  ReceiveOutcome receive(const std::string& stanza_xml, ServerLink& link);
  void set_trust(const std::string& jid, std::uint32_t device_id, bool trusted);
  // MAM catch-up (XEP-0313): every page of the own archive (after the last archived message seen,
  // or from the start); the harness then delivers the results through receive(). Session
  // answers and the bundle republication wait for end_catch_up (R-OM2-051, R-LEG-038).
  SendOutcome begin_catch_up(bool from_start, ServerLink& link);
  void end_catch_up(ServerLink& link);
  // A new signed prekey, then the bundle republished (QXmpp rotates on a timer; here on request).
  SendOutcome rotate(ServerLink& link);

 private:
  friend struct StateCodec;  // state_blob.cpp
  std::string next_stanza_id();
  std::optional<std::vector<std::uint32_t>> fetch_device_list(const std::string& jid,
                                                              ServerLink& link, std::string& error);
  SendOutcome publish(const std::string& node, const std::string& item_id,
                      const std::string& item_xml, bool max_items, ServerLink& link);
  SendOutcome publish_device_list(std::vector<std::uint32_t> ids, ServerLink& link);
  SendOutcome publish_bundle(ServerLink& link);
  std::vector<RemoteDevice> prepare_targets(const std::vector<std::string>& jids,
                                            bool require_trust, SendOutcome& outcome,
                                            ServerLink& link);
  void send_encrypted(const std::vector<RemoteDevice>& targets,
                      const std::optional<std::string>& body, const std::string& stanza_to,
                      ServerLink& link);
  void answer_with_empty_message(const RemoteDevice& sender,
                                 const OmemoDevice::Decrypted& decrypted, ServerLink& link);
  ReceiveOutcome receive_pep_event(const std::string& stanza_xml, const std::string& from,
                                   ServerLink& link);

  ClientSpec spec_;
  std::unique_ptr<OmemoDevice> device_;
  TrustBook trust_;
  std::map<std::string, std::vector<std::uint32_t>> device_lists_;
  std::set<std::pair<RemoteDevice, Bytes>> heartbeat_chains_;  // chains already answered
  std::string last_archive_id_;  // the newest own-archive id this device has seen
  bool catching_up_ = false;
  std::vector<RemoteDevice> postponed_answers_;  // key exchanges received during catch-up
  bool republish_postponed_ = false;
  bool announced_ = false;
  std::uint64_t stanza_counter_ = 0;
};

}  // namespace oi::libomemo_c
