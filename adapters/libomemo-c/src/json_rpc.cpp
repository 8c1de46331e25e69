#include "json_rpc.h"

#include <stdexcept>

#include "protocol_error.h"

namespace oi::libomemo_c {

std::optional<Json> JsonRpcChannel::read_request() {
  std::string line;
  if (!std::getline(in_, line)) return std::nullopt;
  Json message = Json::parse(line, nullptr, false);
  if (message.is_discarded() || !message.is_object())
    throw ProtocolError(-32700, "bad_request", "not a JSON object: " + line.substr(0, 200));
  return message;
}

void JsonRpcChannel::write(const Json& message) {
  // dump() escapes control characters, so a message is always exactly one line.
  out_ << message.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
  out_.flush();
}

void JsonRpcChannel::write_result(const Json& id, const Json& result) {
  write(Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

void JsonRpcChannel::write_error(const Json& id, int code, const std::string& error_class,
                                 const std::string& detail) {
  write(Json{{"jsonrpc", "2.0"},
             {"id", id},
             {"error",
              {{"code", code},
               {"message", detail},
               {"data", {{"class", error_class}, {"detail", detail}}}}}});
}

Json JsonRpcChannel::call(const std::string& method, const Json& params) {
  const std::string id = "a" + std::to_string(++next_request_);
  write(Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
  std::string line;
  if (!std::getline(in_, line)) throw std::runtime_error("harness closed stdin during " + method);
  Json reply = Json::parse(line, nullptr, false);
  if (reply.is_discarded() || !reply.is_object() || reply.value("id", Json()) != id)
    throw std::runtime_error("unexpected answer to " + method + " " + id + ": " +
                             line.substr(0, 200));
  if (reply.contains("error"))
    throw std::runtime_error("harness refused " + method + ": " + reply["error"].dump());
  return reply.value("result", Json::object());
}

}  // namespace oi::libomemo_c
