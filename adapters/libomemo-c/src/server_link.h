// What a device asks its server (PROTOCOL.md §6): the harness, reached through JSON-RPC.
#pragma once

#include <string>

namespace oi::libomemo_c {

class ServerLink {
 public:
  virtual ~ServerLink() = default;
  // An <iq type=get|set>; returns the server's <iq type=result|error>.
  virtual std::string iq(const std::string& iq_xml) = 0;
  virtual void send(const std::string& stanza_xml) = 0;
  virtual std::string now() = 0;
};

}  // namespace oi::libomemo_c
