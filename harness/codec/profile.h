// The two OMEMO wire profiles and the names, namespaces and PEP nodes that identify them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oi::codec {

enum class Profile { legacy, omemo2 };

inline constexpr std::string_view kLegacyNamespace = "eu.siacs.conversations.axolotl";
inline constexpr std::string_view kOmemo2Namespace = "urn:xmpp:omemo:2";
// OMEMO 1 (XEP-0384 0.4-0.7) and the 0.8.0 node names: a different protocol (A-21, R-OM2-068).
inline constexpr std::string_view kOmemo1Namespace = "urn:xmpp:omemo:1";
inline constexpr std::string_view kSceNamespace = "urn:xmpp:sce:1";
inline constexpr std::string_view kHintsNamespace = "urn:xmpp:hints";
inline constexpr std::string_view kEmeNamespace = "urn:xmpp:eme:0";
inline constexpr std::string_view kPubsubNamespace = "http://jabber.org/protocol/pubsub";
inline constexpr std::string_view kPubsubEventNamespace = "http://jabber.org/protocol/pubsub#event";
inline constexpr std::string_view kClientNamespace = "jabber:client";

// "legacy" / "omemo2".
std::string_view profile_name(Profile profile);
std::optional<Profile> profile_from_name(std::string_view name);
// The element namespace of the profile.
std::string_view profile_namespace(Profile profile);
std::optional<Profile> profile_from_namespace(std::string_view ns);

// PEP node of the device list: "eu.siacs.conversations.axolotl.devicelist" /
// "urn:xmpp:omemo:2:devices".
std::string device_list_node(Profile profile);
// PEP node of a bundle: "eu.siacs.conversations.axolotl.bundles:<id>" (one node per device) /
// "urn:xmpp:omemo:2:bundles" (one node, item id = device id).
std::string bundle_node(Profile profile, std::uint32_t device_id);

}  // namespace oi::codec
