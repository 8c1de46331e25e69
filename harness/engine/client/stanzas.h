// The XMPP stanzas an OMEMO client sends and reads (XEP-0060/0163 PEP, XEP-0280 carbons,
// XEP-0313 MAM results, XEP-0203 delay), built and taken apart with pugixml.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "codec/encrypted.h"
#include "codec/profile.h"

namespace oi::engine::client {

// <iq type='get' to=owner id><pubsub><items node [max_items]>[<item id/>]</items></pubsub></iq>
std::string items_request(const std::string& id, const std::string& owner, const std::string& node,
                          const std::optional<std::string>& item_id = std::nullopt);

struct PublishOption {
  std::string var, value;
};
// <iq type='set' id><pubsub><publish node>{payload with its item}</publish>
// <publish-options>(form)</publish-options></pubsub></iq>; `publish_xml` is a whole <publish>
// element as codec::serialize_*_publish makes it.
std::string publish_request(const std::string& id, const std::string& publish_xml,
                            const std::vector<PublishOption>& options);

// True when `stanza_xml` is an <iq type='result'>.
bool is_iq_result(const std::string& stanza_xml);
// The defined-condition element name of an <iq type='error'> ("item-not-found", ...), or "".
std::string iq_error_condition(const std::string& stanza_xml);

struct OutgoingMessage {
  std::string to, id, type;
  std::string encrypted_xml;  // the <encrypted> element as the device produced it
  codec::Profile profile = codec::Profile::legacy;
  std::optional<std::string> fallback_body;          // legacy custom; never for OMEMO 2 (R-OM2-038)
  std::optional<std::string> plaintext_body_beside;  // misbehaviour plaintext-body-beside
};
// <message to id type><encrypted/><store/><encryption namespace/>[<body/>]</message>
std::string message_stanza(const OutgoingMessage& message);

// A received message, unwrapped from carbons (<sent>/<received>) and MAM results, with the
// sender, the delay stamp and the innermost <message> element as XML.
struct IncomingMessage {
  std::string from;  // the inner message's 'from' (full or bare)
  std::string to;
  std::string type;
  std::string delay_stamp;  // XEP-0203 <delay stamp>, from the wrapper or the message
  std::string message_xml;  // the innermost <message>
  bool is_carbon = false;
  bool is_archived = false;
};
// nullopt when the stanza is not a <message>.
std::optional<IncomingMessage> unwrap_message(const std::string& stanza_xml);

// The bare part of a JID.
std::string bare_jid(const std::string& jid);

}  // namespace oi::engine::client
