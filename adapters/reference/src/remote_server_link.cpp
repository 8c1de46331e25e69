#include "remote_server_link.h"

#include <fmt/format.h>

namespace oi::adapters::reference {

namespace {

std::string string_member(const nlohmann::json& result, const char* key, const char* method) {
  auto found = result.is_object() ? result.find(key) : result.end();
  if (!result.is_object() || found == result.end() || !found->is_string()) {
    throw ChannelViolation(
        fmt::format("the result of {} has no string '{}': {}", method, key, result.dump()));
  }
  return found->get<std::string>();
}

}  // namespace

RemoteServerLink::RemoteServerLink(JsonRpcChannel& channel, std::string device_handle)
    : channel_(&channel), device_handle_(std::move(device_handle)) {}

std::string RemoteServerLink::iq(const std::string& iq_xml) {
  nlohmann::json result = channel_->call("iq", {{"device", device_handle_}, {"stanza", iq_xml}});
  return string_member(result, "stanza", "iq");
}

void RemoteServerLink::send(const std::string& stanza_xml) {
  nlohmann::json result =
      channel_->call("send", {{"device", device_handle_}, {"stanza", stanza_xml}});
  if (!result.is_object()) {
    throw ChannelViolation(fmt::format("the result of send is not an object: {}", result.dump()));
  }
}

std::string RemoteServerLink::now() const {
  nlohmann::json result = channel_->call("now", {{"device", device_handle_}});
  return string_member(result, "now", "now");
}

}  // namespace oi::adapters::reference
