// The client side of OMEMO over XMPP, as the scenario runner sees every implementation under
// test: the in-process reference client (reference_client.h) and, later, the adapter driver
// implement these interfaces, and the runner knows implementations only through them.
//
// A ClientDevice is one OMEMO device of one account, logged in as one resource. It talks to its
// server only through a ServerLink, with stanzas as XML strings, so the harness sees exactly
// what would be on the wire.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codec/finding.h"
#include "codec/profile.h"
#include "crypto/random_source.h"
#include "engine/misbehaviour.h"
#include "engine/trust.h"

namespace oi::engine::client {

// What a client asks its server. The runner implements it over the embedded service.
class ServerLink {
 public:
  virtual ~ServerLink() = default;
  // Sends an <iq type='get'|'set'> and returns the server's reply (type result or error).
  virtual std::string iq(const std::string& iq_xml) = 0;
  // Sends a <message> or <presence>.
  virtual void send(const std::string& stanza_xml) = 0;
  // The server's current time, XEP-0082 DateTime (the virtual clock in the embedded service).
  virtual std::string now() const = 0;
};

struct DeviceSpec {
  codec::Profile profile = codec::Profile::legacy;
  std::string jid;              // bare JID of the account
  std::string resource;         // the resource this device is logged in as
  std::uint32_t device_id = 0;  // 0: the implementation chooses
  TrustPolicy trust_policy = TrustPolicy::btbv;
  std::string identity_kind;  // OMEMO 2 identity style; empty = the implementation's default
  std::size_t pre_key_count = 100;
  std::vector<Misbehaviour> misbehaviours;  // honoured by the reference client only
};

struct SendRequest {
  std::vector<std::string> recipients;  // bare JIDs; the sender's other own devices are added
  std::optional<std::string> body;      // nullopt: key transport (legacy) / empty message (OMEMO 2)
  std::string to;                       // the stanza's 'to'; empty = recipients[0]
  std::string type = "chat";            // chat | groupchat
};

struct SendOutcome {
  bool ok = false;
  std::string error_class;  // canonical error name when !ok (decrypt_error_name vocabulary)
  std::string detail;
  std::vector<std::string> skipped_devices;  // "jid/id: why" (untrusted, bad bundle, ...)
};

struct ReceiveOutcome {
  enum class Kind {
    message,        // decrypted content (body may be empty text)
    empty,          // key transport / empty OMEMO message: no content
    error,          // decryption failed: error_class says why
    not_encrypted,  // a message without an OMEMO element of this device's profile
    pep_update,     // a PEP notification (device list, bundle) was processed
    ignored,        // nothing for this device (presence, IQ results, ...)
  };
  Kind kind = Kind::ignored;
  std::optional<std::string> body;
  std::string error_class;
  std::string detail;
  std::vector<codec::Finding> findings;  // SCE envelope checks (OMEMO 2) and stanza findings
  bool sender_trusted = true;
};

std::string_view receive_kind_name(ReceiveOutcome::Kind kind);

class ClientDevice {
 public:
  virtual ~ClientDevice() = default;
  virtual std::uint32_t device_id() const = 0;
  virtual std::string fingerprint() const = 0;
  // Announces the device: merges its id into the account's device list and publishes it, then
  // publishes the bundle (with publish-options).
  virtual SendOutcome start(ServerLink& link) = 0;
  // Encrypts for every device of the recipients and the sender's other devices, fetching
  // device lists and bundles as needed, and sends the message.
  virtual SendOutcome send(const SendRequest& request, ServerLink& link) = 0;
  // A stanza the server delivered. The device may answer through `link` (republish its bundle
  // after a key exchange, complete a session, send a heartbeat, re-announce its id).
  virtual ReceiveOutcome receive(const std::string& stanza_xml, ServerLink& link) = 0;
  virtual void set_trust(const std::string& jid, std::uint32_t device_id, bool trusted) = 0;
  // Switches a misbehaviour knob; false when the implementation has no switchboard (only the
  // reference engine has one).
  virtual bool set_misbehaviour(Misbehaviour /*knob*/, bool /*on*/) { return false; }
  virtual Bytes export_state() const = 0;
  virtual bool import_state(ByteView state) = 0;
};

class Implementation {
 public:
  virtual ~Implementation() = default;
  virtual std::string name() const = 0;
  virtual std::string version() const = 0;
  virtual std::vector<codec::Profile> profiles() const = 0;
  // `random` seeds the device (an adapter receives bytes drawn from it as its seed).
  virtual std::unique_ptr<ClientDevice> create_device(const DeviceSpec& spec,
                                                      crypto::RandomSource random) = 0;
};

}  // namespace oi::engine::client
