// engine::client::ServerLink over the adapter protocol (adapters/PROTOCOL.md §6): every `iq`,
// `send` and `now` of the reference client becomes a request to the harness on behalf of one
// device handle, answered before the call returns.
#pragma once

#include <string>

#include "engine/client/client_api.h"
#include "json_rpc_channel.h"

namespace oi::adapters::reference {

class RemoteServerLink final : public engine::client::ServerLink {
 public:
  RemoteServerLink(JsonRpcChannel& channel, std::string device_handle);

  // The server's reply stanza. A result without a string `stanza` is a ChannelViolation.
  std::string iq(const std::string& iq_xml) override;
  void send(const std::string& stanza_xml) override;
  std::string now() const override;

 private:
  JsonRpcChannel* channel_;  // the harness is the server; asking it changes no state of ours
  std::string device_handle_;
};

}  // namespace oi::adapters::reference
