// The two OMEMO profiles and their XMPP names (XEP-0384 0.3.0 and 0.8.1+).
#pragma once

#include <cstdint>
#include <string>

namespace oi::libomemo_c {

enum class Profile { legacy, omemo2 };

// libomemo-c's session version for the profile: 3 (libsignal, legacy) or 4 (OMEMO 2).
inline std::uint32_t session_version(Profile profile) {
  return profile == Profile::legacy ? 3 : 4;
}

inline const char* profile_namespace(Profile profile) {
  return profile == Profile::legacy ? "eu.siacs.conversations.axolotl" : "urn:xmpp:omemo:2";
}

inline std::string device_list_node(Profile profile) {
  return profile == Profile::legacy ? "eu.siacs.conversations.axolotl.devicelist"
                                    : "urn:xmpp:omemo:2:devices";
}

inline std::string bundle_node(Profile profile, std::uint32_t device_id) {
  return profile == Profile::legacy
             ? "eu.siacs.conversations.axolotl.bundles:" + std::to_string(device_id)
             : "urn:xmpp:omemo:2:bundles";
}

}  // namespace oi::libomemo_c
