// One device of an adapter process, addressed by its handle: the ClientDevice interface put on
// the pipe (PROTOCOL.md §5). Every answer is classified here (§7.3, §8): OMEMO outcomes are
// returned; unsupported, bad_request, internal, unknown classes and malformed results become
// engine::client::ImplementationFault. A feature the adapter does not declare is never asked
// for: it is `unsupported` at once.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/client/client_api.h"

namespace oi::adapter {

class AdapterImplementation;

class AdapterClientDevice final : public engine::client::ClientDevice {
 public:
  // create_device, or import_keys when `keys` is given (§11). Throws ImplementationFault.
  static std::unique_ptr<AdapterClientDevice> create(AdapterImplementation& implementation,
                                                     const engine::client::DeviceSpec& spec,
                                                     const Bytes& seed, const nlohmann::json* keys);

  std::uint32_t device_id() const override { return device_id_; }
  std::string fingerprint() const override { return fingerprint_; }
  engine::client::SendOutcome start(engine::client::ServerLink& link) override;
  engine::client::SendOutcome send(const engine::client::SendRequest& request,
                                   engine::client::ServerLink& link) override;
  engine::client::ReceiveOutcome receive(const std::string& stanza_xml,
                                         engine::client::ServerLink& link) override;
  void set_trust(const std::string& jid, std::uint32_t device_id, bool trusted) override;
  engine::client::SendOutcome begin_catch_up(const engine::client::CatchUpRequest& request,
                                             engine::client::ServerLink& link) override;
  void end_catch_up(engine::client::ServerLink& link) override;
  engine::client::SendOutcome join_room(const std::string& room, const std::string& nick,
                                        engine::client::ServerLink& link) override;
  engine::client::SendOutcome leave_room(const std::string& room,
                                         engine::client::ServerLink& link) override;
  // Throws ImplementationFault(unsupported) when the adapter has no switchboard.
  bool set_misbehaviour(engine::Misbehaviour knob, bool on) override;
  engine::client::SendOutcome rotate_signed_pre_key(engine::client::ServerLink& link) override;
  Bytes export_state() const override;
  bool import_state(ByteView state) override;

  const std::string& handle() const { return handle_; }

 private:
  AdapterClientDevice(AdapterImplementation& implementation, std::string handle,
                      codec::Profile profile)
      : implementation_(implementation), handle_(std::move(handle)), profile_(profile) {}

  nlohmann::json params() const { return nlohmann::json{{"device", handle_}}; }
  // Throws unsupported when `capability` is not declared.
  void require(std::string_view capability, std::string_view what) const;
  // A SendOutcome-typed request; `declared` says whether the form asked for is one the adapter
  // claims (a core method of its profile, or a declared capability).
  engine::client::SendOutcome outcome_call(const std::string& method, nlohmann::json params,
                                           engine::client::ServerLink* link, bool declared);
  // A request whose result has no outcome type; any error response is classified and thrown.
  nlohmann::json plain_call(const std::string& method, nlohmann::json params,
                            engine::client::ServerLink* link, bool declared) const;
  void adopt_identity(const nlohmann::json& result);
  // Returns when `error_class` is an OMEMO outcome the runner compares; throws otherwise (§7.3).
  void classify(const std::string& error_class, const std::string& detail,
                const std::string& method, bool declared) const;
  [[noreturn]] void fail(engine::client::ImplementationFault::Kind kind,
                         const std::string& message) const;

  AdapterImplementation& implementation_;
  std::string handle_;
  codec::Profile profile_;
  std::uint32_t device_id_ = 0;
  std::string fingerprint_;
};

}  // namespace oi::adapter
