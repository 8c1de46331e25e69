// What libpurple's XMPP layer does for lurch, on strings: it builds the PEP requests lurch asks
// for (jabber_pep_request_item, jabber_pep_publish), hands lurch the <items> element of a PEP
// result or event, and unwraps message carbons (the carbons plugin lurch's README requires).
// The OMEMO XML inside (device list, bundle, <encrypted>) is libomemo's, inserted verbatim.
#pragma once

#include <optional>
#include <string>

namespace lurch_adapter {

// jabber_pep_request_item(js, to, node, NULL, cb): the newest item of a node.
std::string pep_items_request(const std::string& id, const std::string& to,
                              const std::string& node);

// jabber_pep_publish(js, publish): libomemo's <publish> string wrapped in <iq type="set">.
std::string pep_publish_request(const std::string& id, const std::string& publish_xml);

// The <items> element of a <pubsub> result, as do_pep_iq_request_item_callback hands it to its
// callback: nullopt when the reply is not type="result" or has no <pubsub>/<items>.
std::optional<std::string> pubsub_result_items(const std::string& iq_reply);

// The type attribute of an iq reply. Throws std::invalid_argument for malformed XML.
std::string iq_type(const std::string& iq_reply);

// A message stanza as lurch's "receiving xmlnode" callback sees it.
struct IncomingMessage {
  std::string xml;             // the message (the inner one for a carbon), serialised
  std::string type;            // type attribute, "" when absent
  std::string from;            // from attribute, "" when absent
  std::string to;              // to attribute, "" when absent
  bool has_encrypted = false;  // a child named <encrypted> (any namespace, as xmlnode_get_child)
  std::optional<std::string> body;
  // A PEP event: the node attribute and serialised <items> of each <event><items>.
  struct EventItems {
    std::string node;
    std::string xml;
  };
  std::optional<EventItems> event_items;
};

// Parses a stanza from the harness. nullopt for anything but <message>; throws
// std::invalid_argument for input that is not well-formed XML. A carbon (received/sent, from the
// own bare JID) is replaced by the forwarded message.
std::optional<IncomingMessage> parse_incoming_message(const std::string& stanza,
                                                      const std::string& own_bare_jid);

// A chat message as libpurple's jabber_message_send builds it.
std::string outgoing_chat_message(const std::string& id, const std::string& to,
                                  const std::string& body);

// The text of the first <body> of a message stanza (libomemo's decrypted export).
std::optional<std::string> message_body(const std::string& message_xml);

std::string bare_jid(const std::string& jid);

}  // namespace lurch_adapter
