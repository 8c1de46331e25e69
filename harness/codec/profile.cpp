#include "codec/profile.h"

#include <fmt/format.h>

namespace oi::codec {

std::string_view profile_name(Profile profile) {
  return profile == Profile::legacy ? "legacy" : "omemo2";
}

std::optional<Profile> profile_from_name(std::string_view name) {
  if (name == "legacy") return Profile::legacy;
  if (name == "omemo2") return Profile::omemo2;
  return std::nullopt;
}

std::string_view profile_namespace(Profile profile) {
  return profile == Profile::legacy ? kLegacyNamespace : kOmemo2Namespace;
}

std::optional<Profile> profile_from_namespace(std::string_view ns) {
  if (ns == kLegacyNamespace) return Profile::legacy;
  if (ns == kOmemo2Namespace) return Profile::omemo2;
  return std::nullopt;
}

std::string device_list_node(Profile profile) {
  return profile == Profile::legacy ? "eu.siacs.conversations.axolotl.devicelist"
                                    : "urn:xmpp:omemo:2:devices";
}

std::string bundle_node(Profile profile, std::uint32_t device_id) {
  return profile == Profile::legacy
             ? fmt::format("eu.siacs.conversations.axolotl.bundles:{}", device_id)
             : std::string("urn:xmpp:omemo:2:bundles");
}

}  // namespace oi::codec
