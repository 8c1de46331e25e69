#include "engine/device.h"

#include <algorithm>
#include <stdexcept>

#include "engine/legacy/legacy_device.h"
#include "engine/omemo2/omemo2_device.h"

namespace oi::engine {

std::unique_ptr<Device> Device::create(const DeviceOptions& options, crypto::RandomSource random) {
  switch (options.profile) {
    case codec::Profile::legacy:
      return std::make_unique<legacy::LegacyDevice>(options, std::move(random));
    case codec::Profile::omemo2:
      return std::make_unique<omemo2::Omemo2Device>(options, std::move(random));
  }
  throw std::invalid_argument("unknown profile");
}

Result<std::unique_ptr<Device>> Device::create_from_keys(const DeviceOptions& options,
                                                         const DeviceKeys& keys,
                                                         crypto::RandomSource random) {
  if (!keys.signed_pre_key) {
    throw std::invalid_argument("a device built from keys needs a signed prekey");
  }
  switch (options.profile) {
    case codec::Profile::legacy:
      return legacy::LegacyDevice::from_keys(options, keys, std::move(random));
    case codec::Profile::omemo2:
      return omemo2::Omemo2Device::from_keys(options, keys, std::move(random));
  }
  throw std::invalid_argument("unknown profile");
}

codec::DeviceList merge_own_device_id(const codec::DeviceList& received,
                                      std::uint32_t own_device_id) {
  codec::DeviceList merged = received;
  bool is_listed =
      std::any_of(merged.devices.begin(), merged.devices.end(),
                  [&](const codec::Device& device) { return device.id == own_device_id; });
  if (!is_listed) merged.devices.push_back({own_device_id, std::nullopt, std::nullopt});
  return merged;
}

std::string format_fingerprint(ByteView curve25519_public_key) {
  std::string hex = to_hex(curve25519_public_key);
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 8) {
    if (!out.empty()) out.push_back(' ');
    out.append(hex, i, 8);
  }
  return out;
}

}  // namespace oi::engine
