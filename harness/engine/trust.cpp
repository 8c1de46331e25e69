#include "engine/trust.h"

#include "engine/state_codec.h"

namespace oi::engine {

std::string_view trust_policy_name(TrustPolicy policy) {
  switch (policy) {
    case TrustPolicy::manual:
      return "manual";
    case TrustPolicy::btbv:
      return "btbv";
    case TrustPolicy::tofu:
      return "tofu";
  }
  return "?";
}

std::optional<TrustPolicy> trust_policy_from_name(std::string_view name) {
  for (TrustPolicy policy : {TrustPolicy::manual, TrustPolicy::btbv, TrustPolicy::tofu}) {
    if (trust_policy_name(policy) == name) return policy;
  }
  return std::nullopt;
}

void TrustStore::observe(const DeviceAddress& device, ByteView identity_key) {
  Entry& entry = entries_[device];
  if (entry.first_seen.empty()) entry.first_seen.assign(identity_key.begin(), identity_key.end());
}

void TrustStore::set_trusted(const DeviceAddress& device, ByteView identity_key, bool trusted) {
  observe(device, identity_key);
  entries_[device].decisions[Bytes(identity_key.begin(), identity_key.end())] = trusted;
  if (trusted) verified_jids_.insert(device.jid);
}

bool TrustStore::is_trusted(const DeviceAddress& device, ByteView identity_key) const {
  Bytes key(identity_key.begin(), identity_key.end());
  auto entry = entries_.find(device);
  if (entry != entries_.end()) {
    auto decision = entry->second.decisions.find(key);
    if (decision != entry->second.decisions.end()) return decision->second;
  }
  switch (policy_) {
    case TrustPolicy::manual:
      return false;
    case TrustPolicy::btbv:
      return !verified_jids_.contains(device.jid);
    case TrustPolicy::tofu:
      return entry == entries_.end() || entry->second.first_seen.empty() ||
             entry->second.first_seen == key;
  }
  return false;
}

Bytes TrustStore::export_state() const {
  StateWriter out;
  out.u32(static_cast<std::uint32_t>(policy_));
  out.u32(static_cast<std::uint32_t>(entries_.size()));
  for (const auto& [device, entry] : entries_) {
    out.text(device.jid);
    out.u32(device.device_id);
    out.blob(entry.first_seen);
    out.u32(static_cast<std::uint32_t>(entry.decisions.size()));
    for (const auto& [key, trusted] : entry.decisions) {
      out.blob(key);
      out.u32(trusted ? 1 : 0);
    }
  }
  out.u32(static_cast<std::uint32_t>(verified_jids_.size()));
  for (const std::string& jid : verified_jids_) out.text(jid);
  return out.take();
}

bool TrustStore::import_state(ByteView state) {
  StateReader in(state);
  TrustStore restored;
  auto policy = in.u32();
  auto count = in.u32();
  if (!policy || *policy > 2 || !count) return false;
  restored.policy_ = static_cast<TrustPolicy>(*policy);
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto jid = in.text();
    auto device_id = in.u32();
    auto first_seen = in.blob();
    auto decisions = in.u32();
    if (!jid || !device_id || !first_seen || !decisions) return false;
    Entry& entry = restored.entries_[{*jid, *device_id}];
    entry.first_seen = std::move(*first_seen);
    for (std::uint32_t j = 0; j < *decisions; ++j) {
      auto key = in.blob();
      auto trusted = in.u32();
      if (!key || !trusted) return false;
      entry.decisions[*key] = *trusted != 0;
    }
  }
  auto verified = in.u32();
  if (!verified) return false;
  for (std::uint32_t i = 0; i < *verified; ++i) {
    auto jid = in.text();
    if (!jid) return false;
    restored.verified_jids_.insert(*jid);
  }
  if (!in.at_end()) return false;
  *this = std::move(restored);
  return true;
}

}  // namespace oi::engine
