// The ServerLink a device under test uses in a cell: its stanzas go to the embedded service as
// the device's resource, and IQ replies come back synchronously. Every other stanza the service
// queued for the resource meanwhile is kept in the inbox for the next delivery step, in order.
#pragma once

#include <deque>
#include <string>

#include "engine/client/client_api.h"
#include "net/server.h"

namespace oi::scenario {

class CellServerLink final : public engine::client::ServerLink {
 public:
  CellServerLink(net::Server& server, std::string full_jid)
      : server_(server), full_jid_(std::move(full_jid)) {}

  std::string iq(const std::string& iq_xml) override;
  void send(const std::string& stanza_xml) override;
  std::string now() const override { return server_.clock().timestamp(); }

  // Everything waiting for the device: the inbox first, then the service's queue.
  std::deque<std::string> take_pending();
  const std::string& full_jid() const { return full_jid_; }

 private:
  net::Server& server_;
  std::string full_jid_;
  std::deque<std::string> inbox_;
};

}  // namespace oi::scenario
