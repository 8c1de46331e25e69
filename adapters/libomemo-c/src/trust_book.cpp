#include "trust_book.h"

namespace oi::libomemo_c {

void TrustBook::observe(const RemoteDevice& device, const Bytes& identity_key) {
  first_seen_.try_emplace(device, identity_key);
}

void TrustBook::set_trusted(const RemoteDevice& device, const Bytes& identity_key, bool trusted) {
  observe(device, identity_key);
  decisions_[{device, identity_key}] = trusted;
  if (trusted) verified_jids_.insert(device.first);
}

bool TrustBook::is_trusted(const RemoteDevice& device, const Bytes& identity_key) const {
  auto decision = decisions_.find({device, identity_key});
  if (decision != decisions_.end()) return decision->second;
  switch (policy_) {
    case TrustPolicy::manual:
      return false;
    case TrustPolicy::btbv:
      return verified_jids_.count(device.first) == 0;
    case TrustPolicy::tofu: {
      auto first = first_seen_.find(device);
      return first == first_seen_.end() || first->second == identity_key;
    }
  }
  return false;
}

}  // namespace oi::libomemo_c
