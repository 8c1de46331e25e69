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
#include <stdexcept>
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
  std::uint32_t device_id = 0;  // 0: the implementation chooses; else its first candidate
  // Keep device_id even when the account's list already holds it (an impostor, or a reinstall
  // that skips the clash check); otherwise a clash makes the device draw another (R-LEG-003).
  bool keep_device_id = false;
  TrustPolicy trust_policy = TrustPolicy::btbv;
  std::string identity_kind;  // OMEMO 2 identity style; empty = the implementation's default
  std::size_t pre_key_count = 100;
  std::vector<Misbehaviour> misbehaviours;  // honoured by the reference client only
};

struct SendRequest {
  // Bare JIDs; the sender's other own devices are added. Ignored for groupchat: a group message
  // goes to the room's members, which the client learns itself (R-OM2-044).
  std::vector<std::string> recipients;
  std::optional<std::string> body;  // nullopt: key transport (legacy) / empty message (OMEMO 2)
  std::string to;                   // the stanza's 'to'; empty = recipients[0]; the room for
                                    // groupchat
  std::string type = "chat";        // chat | groupchat
};

// Send error classes: the decrypt_error_name vocabulary (no_session: nobody to encrypt for;
// bad_data: the server refused a publish, ...) plus these client-level ones:
inline constexpr const char* kUnsupported = "unsupported";  // the implementation lacks the feature
inline constexpr const char* kNotJoined = "not_joined";     // groupchat to a room not joined
// OMEMO refused in a room that does not show its occupants' real JIDs (semi-anonymous):
// R-OM2-043, R-LEG-045.
inline constexpr const char* kAnonymousRoom = "anonymous_room";
// The server answered a request with an error (MAM unavailable, join refused, ...).
inline constexpr const char* kServerError = "server_error";

struct SendOutcome {
  bool ok = false;
  std::string error_class;  // canonical error name when !ok (see above)
  std::string detail;
  std::vector<std::string> skipped_devices;  // "jid/id: why" (untrusted, bad bundle, ...)
};

struct CatchUpRequest {
  // False: the archive after the last archived message this device has seen (live or archived;
  // the whole archive when it has seen none). True: the whole archive, so that messages seen
  // live come again (the duplicate case of R-OM2-050, R-LEG-043).
  bool from_start = false;
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

  // MAM catch-up (XEP-0313) in two phases. begin_catch_up queries the own account's archive,
  // every page; the results come back as stanzas the caller then hands to receive() (the device
  // is "catching up" meanwhile). end_catch_up says every result was received: the device does
  // what it postponed (R-LEG-038, R-OM2-051). Defaults: unsupported.
  virtual SendOutcome begin_catch_up(const CatchUpRequest& /*request*/, ServerLink& /*link*/) {
    return unsupported("MAM catch-up");
  }
  virtual void end_catch_up(ServerLink& /*link*/) {}

  // MUC (XEP-0045): sends the join presence to room/nick. The room's answers (occupant
  // presences with real JIDs, the own presence with status 110) come back as stanzas the
  // caller hands to receive(); groupchat sends then go through send() with type groupchat.
  virtual SendOutcome join_room(const std::string& /*room*/, const std::string& /*nick*/,
                                ServerLink& /*link*/) {
    return unsupported("MUC");
  }
  virtual SendOutcome leave_room(const std::string& /*room*/, ServerLink& /*link*/) {
    return unsupported("MUC");
  }
  // Switches a misbehaviour knob; false when the implementation has no switchboard (only the
  // reference engine has one).
  virtual bool set_misbehaviour(Misbehaviour /*knob*/, bool /*on*/) { return false; }
  // Rotates the signed prekey and republishes the bundle (R-OM2-007); the previous signed
  // prekey stays usable for key exchanges in flight. Unsupported by default.
  virtual SendOutcome rotate_signed_pre_key(ServerLink& /*link*/) {
    SendOutcome outcome;
    outcome.error_class = "unsupported";
    outcome.detail = "signed-prekey rotation on request is not supported";
    return outcome;
  }
  virtual Bytes export_state() const = 0;
  virtual bool import_state(ByteView state) = 0;

 protected:
  static SendOutcome unsupported(const std::string& what) {
    SendOutcome outcome;
    outcome.error_class = kUnsupported;
    outcome.detail = what + " is not supported by this implementation";
    return outcome;
  }
};

// Thrown by a ClientDevice or Implementation whose implementation failed outside OMEMO: its
// process died or hung, it broke the adapter protocol, or it refused a feature. The runner ends
// the cell with the matching verdict (PROTOCOL.md §7.3, §8, §13.3).
class ImplementationFault : public std::runtime_error {
 public:
  enum class Kind {
    crash,        // the process died                        -> verdict crash
    timeout,      // no answer within the bound              -> verdict timeout
    error,        // protocol violation, bad_request, internal, unknown class -> verdict error
    undeclared,   // a feature it does not declare, never asked for: unsupported, and
                  // expected (its own declaration predicts it, PROTOCOL.md §8)
    unsupported,  // a form it declares unsupported at run time -> verdict unsupported
    refused,      // a feature it declares, then refuses     -> verdict fail
  };
  ImplementationFault(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class Implementation {
 public:
  virtual ~Implementation() = default;
  // Case boundaries, called by the runner on the thread that runs the cell, around every cell
  // that binds a role to this implementation. begin_case gives clean state (an adapter resets
  // its process, or starts a new one) and may throw ImplementationFault; end_case returns what
  // the implementation logged during the case (an adapter's stderr), empty when nothing.
  virtual void begin_case() {}
  virtual std::string end_case() { return {}; }
  virtual std::string name() const = 0;
  virtual std::string version() const = 0;
  virtual std::vector<codec::Profile> profiles() const = 0;
  // `random` seeds the device (an adapter receives bytes drawn from it as its seed).
  virtual std::unique_ptr<ClientDevice> create_device(const DeviceSpec& spec,
                                                      crypto::RandomSource random) = 0;
};

}  // namespace oi::engine::client
