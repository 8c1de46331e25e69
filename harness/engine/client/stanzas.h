// The XMPP stanzas an OMEMO client sends and reads (XEP-0060/0163 PEP, XEP-0280 carbons,
// XEP-0313 MAM results, XEP-0203 delay), built and taken apart with pugixml.
#pragma once

#include <map>
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

// <iq type='set' id><pubsub xmlns='…#owner'><configure node><x type='submit'> with FORM_TYPE
// pubsub#node_config and the given fields (XEP-0060 §8.2).
std::string configure_request(const std::string& id, const std::string& node,
                              const std::vector<PublishOption>& options);

// True when `stanza_xml` is a <message> carrying a PEP notification
// (<event xmlns='http://jabber.org/protocol/pubsub#event'> child).
bool is_pep_event(const std::string& stanza_xml);

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
  // The outer stanza's 'from': who vouches for a carbon or an archive result (a client accepts
  // them only from its own account, or from a room it joined, XEP-0280 §11, XEP-0313 §5).
  std::string wrapper_from;
  std::string archive_id;  // the MAM <result id> (empty for a live message)
  // XEP-0359 <stanza-id by id/> of the innermost message: by (an archive's JID) -> id.
  std::map<std::string, std::string> stanza_ids;
  // XEP-0045 <x xmlns='muc#user'><status code/></x> codes of the innermost message (172/173
  // announce a change of the room's anonymity).
  std::vector<int> muc_status_codes;
  bool has_body = false;     // a jabber:client <body> in the innermost message
  bool has_subject = false;  // a <subject> (a room's subject message)
};
// nullopt when the stanza is not a <message>.
std::optional<IncomingMessage> unwrap_message(const std::string& stanza_xml);

// The bare part of a JID.
std::string bare_jid(const std::string& jid);
// The resource part of a JID ("" without one).
std::string jid_resource(const std::string& jid);

// ---- MAM (XEP-0313) ----

// <iq type='set' id><query xmlns='urn:xmpp:mam:2' queryid><x type='submit'>FORM_TYPE</x>
// <set xmlns=rsm><max/>[<after/>]</set></query></iq>, to the own account's archive (no 'to').
std::string mam_query_request(const std::string& id, const std::string& queryid,
                              const std::optional<std::string>& after, std::size_t max);

struct MamFin {
  bool complete = false;
  std::string last;  // RSM <last/> of the page ("" for an empty page)
};
// The <fin/> of a MAM query's result IQ; nullopt when the reply is not a result with a <fin/>.
std::optional<MamFin> parse_mam_fin(const std::string& iq_xml);

// ---- MUC (XEP-0045) ----

// <iq type='get' to=room id><query xmlns='disco#info'/></iq>
std::string disco_info_request(const std::string& id, const std::string& to);
// The feature vars of a disco#info result (empty for an error).
std::vector<std::string> disco_features(const std::string& iq_xml);
// <iq type='get' to=room id><query xmlns='muc#admin'><item affiliation/></query></iq>
std::string affiliation_list_request(const std::string& id, const std::string& room,
                                     const std::string& affiliation);
// <iq type='set' to=room id><query xmlns='muc#admin'><item affiliation jid/></query></iq>
std::string affiliation_set_request(const std::string& id, const std::string& room,
                                    const std::string& jid, const std::string& affiliation);
// The bare JIDs of an affiliation list result (empty for an error).
std::vector<std::string> affiliation_list_jids(const std::string& iq_xml);
// <presence to='room/nick'><x xmlns='http://jabber.org/protocol/muc'/></presence>
std::string join_presence(const std::string& room, const std::string& nick);
// <presence to='room/nick' type='unavailable'/>
std::string leave_presence(const std::string& room, const std::string& nick);

// An occupant presence from a room: <presence from='room/nick' [type]><x xmlns='muc#user'>
// <item affiliation role [jid]/><status code/>*</x></presence>.
struct MucPresence {
  std::string room;      // bare JID of the room
  std::string nick;      // the occupant's nickname
  std::string real_jid;  // <item jid>: the real full JID ("" in an anonymous view)
  std::string affiliation, role;
  std::string type;  // "", "unavailable" or "error"
  std::vector<int> status_codes;
  std::string error_condition;  // for type='error'
};
// nullopt when the stanza is not a presence from a JID with a resource carrying a muc#user <x>
// (or a presence error from such a JID).
std::optional<MucPresence> parse_muc_presence(const std::string& stanza_xml);

}  // namespace oi::engine::client
