// Helpers shared by the net_*_test.cpp files: stanza builders and queue inspection.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "net/server.h"

namespace net_test {

inline constexpr const char* kDevices = "urn:xmpp:omemo:2:devices";
inline constexpr const char* kBundles = "urn:xmpp:omemo:2:bundles";
inline constexpr const char* kLegacyDevices = "eu.siacs.conversations.axolotl.devicelist";

inline std::string devices_payload(const std::vector<int>& ids) {
  std::string out = "<devices xmlns='urn:xmpp:omemo:2'>";
  for (int id : ids) out += "<device id='" + std::to_string(id) + "'/>";
  return out + "</devices>";
}

inline std::string bundle_payload(int n) {
  return "<bundle xmlns='urn:xmpp:omemo:2'><spk id='" + std::to_string(n) +
         "'>AAAA</spk><spks>AAAA</spks><ik>AAAA</ik><prekeys><pk "
         "id='1'>AAAA</pk></prekeys></bundle>";
}

// <iq type='set' id><pubsub><publish node><item [id]>payload</item></publish>
// [<publish-options>form</publish-options>]</pubsub></iq>
inline std::string publish_iq(const std::string& id, const std::string& node,
                              const std::string& item_id, const std::string& payload,
                              const std::map<std::string, std::string>& options = {}) {
  std::string out = "<iq type='set' id='" + id +
                    "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node +
                    "'><item" + (item_id.empty() ? std::string() : " id='" + item_id + "'") + ">" +
                    payload + "</item></publish>";
  if (!options.empty()) {
    out +=
        "<publish-options><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' "
        "type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>";
    for (const auto& [var, value] : options)
      out += "<field var='" + var + "'><value>" + value + "</value></field>";
    out += "</x></publish-options>";
  }
  return out + "</pubsub></iq>";
}

inline std::string items_iq(const std::string& id, const std::string& to, const std::string& node,
                            const std::string& inner = "", const std::string& attributes = "") {
  return "<iq type='get' id='" + id + "'" + (to.empty() ? "" : " to='" + to + "'") +
         "><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='" + node + "'" +
         attributes + ">" + inner + "</items></pubsub></iq>";
}

inline std::string configure_iq(const std::string& id, const std::string& node,
                                const std::map<std::string, std::string>& fields) {
  std::string out = "<iq type='set' id='" + id +
                    "'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><configure node='" +
                    node +
                    "'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' "
                    "type='hidden'><value>http://jabber.org/protocol/pubsub#node_config</value>"
                    "</field>";
  for (const auto& [var, value] : fields)
    out += "<field var='" + var + "'><value>" + value + "</value></field>";
  return out + "</x></configure></pubsub></iq>";
}

inline std::string omemo_message(const std::string& to, const std::string& type = "chat",
                                 const std::string& extra = "<store xmlns='urn:xmpp:hints'/>") {
  return "<message to='" + to + "' type='" + type +
         "' id='m1'><encrypted xmlns='urn:xmpp:omemo:2'><header sid='1'><keys jid='" + to +
         "'><key rid='2' kex='true'>AAAA</key></keys></header><payload>BBBB</payload></encrypted>" +
         extra + "</message>";
}

inline std::vector<std::string> texts(const std::vector<oi::net::Delivery>& deliveries) {
  std::vector<std::string> out;
  for (const auto& d : deliveries) out.push_back(d.xml);
  return out;
}

inline std::vector<std::string> drain(oi::net::Server& server, const std::string& full) {
  return texts(server.drain(full));
}

// The stanzas among `stanzas` that contain `needle`.
inline std::vector<std::string> with(const std::vector<std::string>& stanzas,
                                     const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& s : stanzas)
    if (s.find(needle) != std::string::npos) out.push_back(s);
  return out;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The one stanza answering IQ `id`.
inline std::string reply_to(const std::vector<std::string>& stanzas, const std::string& id) {
  auto found = with(stanzas, "id=\"" + id + "\"");
  std::vector<std::string> iqs;
  for (const auto& s : found)
    if (s.rfind("<iq", 0) == 0) iqs.push_back(s);
  REQUIRE(iqs.size() == 1);
  return iqs.front();
}

// A server with accounts and available resources; `features` for every resource.
inline void online(oi::net::Server& server, const std::string& full,
                   std::vector<std::string> features = {}, bool carbons = false) {
  oi::net::ResourceOptions options;
  options.features = std::move(features);
  options.carbons = carbons;
  REQUIRE(server.connect(full, options));
}

}  // namespace net_test
