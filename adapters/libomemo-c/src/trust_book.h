// The client's trust decisions (ours: libomemo-c leaves trust to the application; its
// is_trusted_identity callback answers "trusted" and this layer gates sending, as Dino does).
//   manual  only identities explicitly marked trusted are used for sending;
//   btbv    every identity of a JID is trusted until one of that JID's identities was verified;
//   tofu    the first identity seen for a device is trusted, a different one later is not.
#pragma once

#include <map>
#include <set>
#include <string>

#include "key_stores.h"

namespace oi::libomemo_c {

enum class TrustPolicy { manual, btbv, tofu };

class TrustBook {
 public:
  explicit TrustBook(TrustPolicy policy) : policy_(policy) {}

  void observe(const RemoteDevice& device, const Bytes& identity_key);
  void set_trusted(const RemoteDevice& device, const Bytes& identity_key, bool trusted);
  bool is_trusted(const RemoteDevice& device, const Bytes& identity_key) const;

 private:
  friend struct StateCodec;  // state_blob.cpp
  TrustPolicy policy_;
  std::map<RemoteDevice, Bytes> first_seen_;
  std::map<std::pair<RemoteDevice, Bytes>, bool> decisions_;
  std::set<std::string> verified_jids_;
};

}  // namespace oi::libomemo_c
