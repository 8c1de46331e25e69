// An adapter as an engine::client::Implementation: the scenario runner drives an adapter process
// exactly as it drives the in-process reference client (PROTOCOL.md §1).
//
// One AdapterImplementation is one adapter *instance* for one worker thread: a process that
// serves the worker's cases one after another (`reset` between them), replaced by a fresh
// process after any crash, timeout or error, or for every case when the manifest says
// `"reuse": false`. The destructor sends `shutdown` and kills the process group.
//
// Scoring happens here, at the boundary (PROTOCOL.md §7.3, §8, §13.3): every driver outcome
// other than a well-formed answer, and every answer the runner must not compare, becomes an
// engine::client::ImplementationFault (crash / timeout / error / unsupported / refused). OMEMO
// error classes pass through as ordinary outcomes.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapter/adapter_manifest.h"
#include "adapter/adapter_process.h"
#include "engine/client/client_api.h"

namespace oi::adapter {

struct AdapterSettings {
  Bytes seed;  // 32 bytes, the `initialize` seed
  std::string harness_version;
  std::string temp_root;  // where instance working directories go (empty: system temp)
  bool debug = false;     // lift request and case timeouts (an adapter under a debugger)
};

// What `initialize` answered.
struct AdapterIdentity {
  std::string protocol;
  std::string name;
  std::string version;
  std::string backend;
  std::vector<codec::Profile> profiles;
  std::vector<std::string> capabilities;
  std::vector<std::string> trust_policies = {"btbv"};
  std::vector<std::string> identity_kinds;  // empty: the implementation's default only
};

class AdapterClientDevice;

class AdapterImplementation final : public engine::client::Implementation {
 public:
  AdapterImplementation(AdapterManifest manifest, AdapterSettings settings);
  ~AdapterImplementation() override;

  std::string name() const override { return manifest_.name; }
  std::string version() const override;
  std::vector<codec::Profile> profiles() const override { return manifest_.profiles; }
  std::unique_ptr<engine::client::ClientDevice> create_device(
      const engine::client::DeviceSpec& spec, crypto::RandomSource random) override;
  void begin_case() override;
  std::string end_case() override;

  // Builds a device from fixed keys (capability import_keys, §11). Throws ImplementationFault.
  std::unique_ptr<engine::client::ClientDevice> import_keys(const engine::client::DeviceSpec& spec,
                                                            const nlohmann::json& keys,
                                                            crypto::RandomSource random);

  // Starts a process and initializes it now, unless one is running; throws ImplementationFault
  // (initialize failures are `error`).
  void ensure_started();
  // Sends one request and returns its result, or its JSON-RPC error object in `error`.
  // Driver failures (crash, timeout, protocol error) throw ImplementationFault; `device` names
  // the handle whose ServerLink answers the adapter's requests meanwhile.
  struct Answer {
    std::optional<nlohmann::json> result;
    std::optional<nlohmann::json> error;
  };
  Answer call(const std::string& method, nlohmann::json params,
              engine::client::ServerLink* link = nullptr, const std::string& device = {});

  const AdapterManifest& manifest() const { return manifest_; }
  const std::optional<AdapterIdentity>& identity() const { return identity_; }
  bool declares(std::string_view capability) const { return manifest_.has_capability(capability); }
  // Throws ImplementationFault(kind, message); for crash, timeout and error the process is
  // ended first, so that the next case starts a fresh one (§13.3).
  [[noreturn]] void fail(engine::client::ImplementationFault::Kind kind,
                         const std::string& message);
  // Ends the current process: `shutdown`, the grace period, then SIGKILL to the group; its
  // remaining stderr goes to the case log. Returns a note when the process misbehaved on the
  // way out (non-zero exit, killed, no exit in time), empty otherwise.
  std::string stop();

 private:
  friend class AdapterClientDevice;

  std::string next_handle() { return "d" + std::to_string(++handle_counter_); }
  nlohmann::json handle_adapter_request(const std::string& method, const nlohmann::json& params);
  [[noreturn]] void throw_fault(const Reply& reply, const std::string& method);

  AdapterManifest manifest_;
  AdapterSettings settings_;
  std::unique_ptr<AdapterProcess> process_;
  std::optional<AdapterIdentity> identity_;
  std::string initialize_error_;  // set when initialize failed: every case is `error`
  bool case_served_ = false;      // the process has served a case since it started
  std::chrono::steady_clock::time_point case_started_;
  std::string log_;  // stderr and notes of the current case
  std::uint64_t handle_counter_ = 0;
  std::map<std::string, engine::client::ServerLink*> links_;  // device handle -> its server
};

}  // namespace oi::adapter
