// Trust decisions for remote identities (spec A-33, R-LEG-040, R-OM2-056).
//
//   manual  only identities explicitly marked trusted are used for sending.
//   btbv    Blind Trust Before Verification: every identity of a JID is trusted until one of
//           that JID's identities has been verified manually; from then on only verified ones.
//   tofu    the first identity seen for a device is trusted; a different key later is not.
//
// Trust gates sending only: an untrusted sender's message still decrypts and is flagged
// (R-LEG-040 and R-OM2-056: untrusted sessions MAY be used to decrypt).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "crypto/bytes.h"

namespace oi::engine {

enum class TrustPolicy { manual, btbv, tofu };

std::string_view trust_policy_name(TrustPolicy policy);
std::optional<TrustPolicy> trust_policy_from_name(std::string_view name);

struct DeviceAddress {
  std::string jid;  // bare JID
  std::uint32_t device_id = 0;
  auto operator<=>(const DeviceAddress&) const = default;
};

class TrustStore {
 public:
  explicit TrustStore(TrustPolicy policy = TrustPolicy::btbv) : policy_(policy) {}

  TrustPolicy policy() const { return policy_; }
  // Records the identity key a device presented (first sight fixes it for TOFU).
  void observe(const DeviceAddress& device, ByteView identity_key);
  // A manual decision; `trusted` true also counts as verification for BTBV.
  void set_trusted(const DeviceAddress& device, ByteView identity_key, bool trusted);
  bool is_trusted(const DeviceAddress& device, ByteView identity_key) const;

  Bytes export_state() const;
  bool import_state(ByteView state);

 private:
  struct Entry {
    Bytes first_seen;                 // identity first observed (TOFU)
    std::map<Bytes, bool> decisions;  // manual decisions per identity key
  };
  TrustPolicy policy_;
  std::map<DeviceAddress, Entry> entries_;
  std::set<std::string> verified_jids_;  // BTBV: JIDs with a manually verified identity
};

}  // namespace oi::engine
