// The XML namespaces the embedded service speaks.
#pragma once

#include <string_view>

namespace oi::net::ns {

inline constexpr std::string_view kClient = "jabber:client";
inline constexpr std::string_view kStanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
inline constexpr std::string_view kDiscoInfo = "http://jabber.org/protocol/disco#info";
inline constexpr std::string_view kDiscoItems = "http://jabber.org/protocol/disco#items";
inline constexpr std::string_view kRoster = "jabber:iq:roster";
inline constexpr std::string_view kPing = "urn:xmpp:ping";
inline constexpr std::string_view kPubsub = "http://jabber.org/protocol/pubsub";
inline constexpr std::string_view kPubsubEvent = "http://jabber.org/protocol/pubsub#event";
inline constexpr std::string_view kPubsubOwner = "http://jabber.org/protocol/pubsub#owner";
inline constexpr std::string_view kPubsubErrors = "http://jabber.org/protocol/pubsub#errors";
inline constexpr std::string_view kPublishOptions =
    "http://jabber.org/protocol/pubsub#publish-options";
inline constexpr std::string_view kNodeConfig = "http://jabber.org/protocol/pubsub#node_config";
inline constexpr std::string_view kDataForms = "jabber:x:data";
inline constexpr std::string_view kCarbons = "urn:xmpp:carbons:2";
inline constexpr std::string_view kCarbonsRules = "urn:xmpp:carbons:rules:0";
inline constexpr std::string_view kForward = "urn:xmpp:forward:0";
inline constexpr std::string_view kDelay = "urn:xmpp:delay";
inline constexpr std::string_view kHints = "urn:xmpp:hints";
inline constexpr std::string_view kMam = "urn:xmpp:mam:2";
inline constexpr std::string_view kRsm = "http://jabber.org/protocol/rsm";
inline constexpr std::string_view kStanzaId = "urn:xmpp:sid:0";
inline constexpr std::string_view kMuc = "http://jabber.org/protocol/muc";
inline constexpr std::string_view kMucUser = "http://jabber.org/protocol/muc#user";
inline constexpr std::string_view kMucAdmin = "http://jabber.org/protocol/muc#admin";
inline constexpr std::string_view kMucOwner = "http://jabber.org/protocol/muc#owner";
inline constexpr std::string_view kMucRoomConfig = "http://jabber.org/protocol/muc#roomconfig";
inline constexpr std::string_view kCaps = "http://jabber.org/protocol/caps";

}  // namespace oi::net::ns
