// One device of the lurch stack: what lurch.c does for one Pidgin account, with libpurple's XMPP
// layer replaced by requests to the harness. Each method follows the lurch function named in its
// comment (gkdr/lurch src/lurch.c, v0.7.0 with libomemo 0.8 / axc 0.3.7); the OMEMO work is done
// by libomemo (XML, payload AES-GCM) and axc (libsignal sessions, SQLite stores).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "library_handles.h"
#include "rpc_channel.h"
#include "stack_context.h"

namespace lurch_adapter {

struct DeviceIdentity {
  std::string handle;  // the harness's device handle
  std::string jid;     // bare JID ("uname" in lurch)
  std::string resource;
};

class LurchDevice {
 public:
  // Creates the stores under `work_dir`; nothing is generated yet (install / import_keys).
  LurchDevice(DeviceIdentity identity, const std::vector<std::uint8_t>& seed,
              const std::string& work_dir, RpcChannel& rpc);

  // lurch_axc_prepare: axc_install generates identity, registration id, 100 prekeys and the
  // signed prekey. A non-zero `device_id` then replaces the registration id in axc's store.
  void install(std::uint32_t device_id);

  std::uint32_t device_id() const;
  std::string fingerprint() const;  // PROTOCOL.md §3 form of axc_key_load_public_own
  StackContext& stack() { return stack_; }

  // lurch_account_connect_cb + lurch_pep_own_devicelist_request_handler. Returns SendOutcome.
  nlohmann::json start();
  // lurch_message_encrypt_im (+ lurch_msg_finalize_encryption, lurch_bundle_request_cb).
  nlohmann::json send(const std::string& to, const std::string& body);
  // lurch_xml_received_cb / lurch_message_decrypt / the PEP device-list handlers.
  nlohmann::json receive(const std::string& stanza);

 private:
  std::string next_stanza_id();
  std::string iq(const std::string& stanza);
  void send_stanza(const std::string& stanza);

  void own_devicelist_handler(const std::optional<std::string>& items_xml);
  void devicelist_event_handler(const std::string& from, const std::string& items_xml);
  void devicelist_process(omemo_devicelist* incoming);
  void bundle_publish_own();
  void bundle_create_session(const std::string& from, const std::string& items_xml);
  nlohmann::json message_decrypt(const struct IncomingMessage& message);

  DeviceIdentity identity_;
  RpcChannel& rpc_;
  StackContext stack_;
  unsigned long stanza_counter_ = 0;
};

}  // namespace lurch_adapter
