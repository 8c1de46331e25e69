#include "scenario/server_link.h"

#include <fmt/format.h>

#include <pugixml.hpp>

namespace oi::scenario {

namespace {

// The id and type of an <iq>, or empty strings for anything else.
std::pair<std::string, std::string> iq_id_and_type(const std::string& xml) {
  pugi::xml_document document;
  if (!document.load_buffer(xml.data(), xml.size())) return {};
  pugi::xml_node root = document.document_element();
  if (std::string_view(root.name()) != "iq") return {};
  return {root.attribute("id").value(), root.attribute("type").value()};
}

}  // namespace

std::string CellServerLink::iq(const std::string& iq_xml) {
  auto [id, type] = iq_id_and_type(iq_xml);
  server_.submit(full_jid_, iq_xml);
  std::string reply;
  for (net::Delivery& delivery : server_.drain(full_jid_)) {
    auto [reply_id, reply_type] = iq_id_and_type(delivery.xml);
    if (reply.empty() && !id.empty() && reply_id == id &&
        (reply_type == "result" || reply_type == "error")) {
      reply = std::move(delivery.xml);
    } else {
      inbox_.push_back(std::move(delivery.xml));
    }
  }
  if (reply.empty()) {
    // The request or its reply was lost (a fault rule): answer as a client's timeout would.
    reply = fmt::format(
        "<iq type='error' id='{}'><error type='wait'><remote-server-timeout "
        "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
        id);
  }
  return reply;
}

void CellServerLink::send(const std::string& stanza_xml) {
  server_.submit(full_jid_, stanza_xml);
}

std::deque<std::string> CellServerLink::take_pending() {
  std::deque<std::string> pending = std::move(inbox_);
  inbox_.clear();
  for (net::Delivery& delivery : server_.drain(full_jid_))
    pending.push_back(std::move(delivery.xml));
  return pending;
}

}  // namespace oi::scenario
