// The XMPP glue around libomemo-c (ours: the library has no XML): PEP requests, device lists,
// bundles, the <encrypted> element of both profiles, and message stanzas. Parsers are lenient
// where XEP-0384 lets senders vary (item ids, attribute spellings, whitespace in base64) and
// return nullopt for what they cannot read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base64.h"
#include "profile.h"

namespace oi::libomemo_c {

struct PublishOption {
  std::string var;
  std::string value;
};

struct Bundle {
  std::uint32_t signed_pre_key_id = 0;
  Bytes signed_pre_key;
  Bytes signature;
  Bytes identity_key;
  std::vector<std::pair<std::uint32_t, Bytes>> pre_keys;
};

struct KeyElement {
  std::string jid;  // OMEMO 2 <keys jid>; empty for legacy
  std::uint32_t rid = 0;
  bool key_exchange = false;  // legacy prekey='true|1', OMEMO 2 kex='true|1'
  Bytes data;
};

struct EncryptedElement {
  std::uint32_t sid = 0;
  std::vector<KeyElement> keys;
  Bytes iv;                      // legacy only
  std::optional<Bytes> payload;  // absent: key transport / empty message
};

// <iq type=get> for the newest item of `node` (or the item `item_id`) at `owner`.
std::string items_request(const std::string& id, const std::string& owner, const std::string& node,
                          const std::optional<std::string>& item_id);
// <iq type=set> publishing `item_xml` as item `item_id` of `node` with publish-options.
std::string publish_request(const std::string& id, const std::string& node,
                            const std::string& item_id, const std::string& item_xml,
                            const std::vector<PublishOption>& options);

// <iq type=set> configuring `node` (XEP-0060 §8.2) with the given options.
std::string configure_request(const std::string& id, const std::string& node,
                              const std::vector<PublishOption>& options);

bool is_iq_result(const std::string& iq_xml);
// The defined condition of an <iq type=error> ("item-not-found", ...), "" when there is none.
std::string iq_error_condition(const std::string& iq_xml);

std::string device_list_xml(Profile profile, const std::vector<std::uint32_t>& device_ids);
std::string bundle_xml(Profile profile, const Bundle& bundle);

// The payload of the newest <item> under the <items node=...> of an iq result or a PEP event.
struct PepItems {
  std::string node;
  std::string from;
  std::optional<std::string> newest_item_xml;  // nullopt: no item
};
std::optional<PepItems> pep_items(const std::string& stanza_xml);

// Device ids of a device-list item; ids outside 1..2^31-1 are dropped (R-LEG-002, R-OM2-020).
std::optional<std::vector<std::uint32_t>> parse_device_list(Profile profile,
                                                            const std::string& item_xml);
std::optional<Bundle> parse_bundle(Profile profile, const std::string& item_xml);

std::string encrypted_xml(Profile profile, const EncryptedElement& element);

// What a received <message> holds for this adapter.
struct IncomingMessage {
  std::string from;  // full JID of the sender
  std::string to;
  std::string type;
  std::optional<std::string> body;  // plain <body> (jabber:client)
  bool has_event = false;           // a pubsub#event child
  std::string archive_id;           // MAM result id, when delivered from an archive
  std::string archive_owner;        // the 'from' of the MAM result wrapper (the archive's owner)
  std::map<std::string, std::string> stanza_ids;  // XEP-0359 <stanza-id by=...> -> id
  std::optional<EncryptedElement> encrypted;
  std::string encrypted_error;  // set when an <encrypted> of the profile is unreadable
};
// nullopt when the stanza is not a <message>; unwraps carbons (XEP-0280) and MAM (XEP-0313).
std::optional<IncomingMessage> parse_message(Profile profile, const std::string& stanza_xml);

// <iq type=set> querying the own MAM archive (XEP-0313), one RSM page after `after`.
std::string mam_query_request(const std::string& id, const std::string& query_id,
                              const std::optional<std::string>& after, std::size_t max);
struct MamFin {
  bool complete = false;
  std::string last;  // RSM <last>
};
// The <fin> of a MAM query's result; nullopt for an error or anything else.
std::optional<MamFin> parse_mam_fin(const std::string& iq_xml);

struct OutgoingMessage {
  std::string to;
  std::string id;
  std::string type;
  std::string encrypted;  // the <encrypted> element
  std::optional<std::string> fallback_body;
};
std::string message_xml(Profile profile, const OutgoingMessage& message);

}  // namespace oi::libomemo_c
