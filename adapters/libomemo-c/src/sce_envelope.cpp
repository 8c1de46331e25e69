#include "sce_envelope.h"

#include <algorithm>
#include <cctype>
#include <pugixml.hpp>
#include <sstream>
#include <string_view>

namespace oi::libomemo_c {
namespace {

constexpr const char* kSce = "urn:xmpp:sce:1";
constexpr std::uint32_t kMaxRpadBytes = 150;  // base64 of 0..150 random bytes: at most 200 chars

std::string comparable(std::string_view jid) {
  std::string bare(jid.substr(0, jid.find('/')));
  std::transform(bare.begin(), bare.end(), bare.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return bare;
}

}  // namespace

Bytes build_envelope(const std::string& body, const EnvelopeContext& context,
                     crypto::RandomSource& random) {
  pugi::xml_document document;
  pugi::xml_node envelope = document.append_child("envelope");
  envelope.append_attribute("xmlns") = kSce;
  pugi::xml_node body_node = envelope.append_child("content").append_child("body");
  body_node.append_attribute("xmlns") = "jabber:client";
  body_node.text() = body.c_str();
  envelope.append_child("rpad").text() =
      to_base64(random.bytes(random.uniform(kMaxRpadBytes + 1))).c_str();
  if (!context.time.empty())
    envelope.append_child("time").append_attribute("stamp") = context.time.c_str();
  envelope.append_child("to").append_attribute("jid") = context.to.c_str();
  envelope.append_child("from").append_attribute("jid") = context.from.c_str();
  std::ostringstream out;
  document.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  const std::string xml = out.str();
  return Bytes(xml.begin(), xml.end());
}

OpenedEnvelope open_envelope(const Bytes& plaintext, const EnvelopeContext& received) {
  pugi::xml_document document;
  if (!document.load_buffer(plaintext.data(), plaintext.size()))
    return {std::nullopt, "decrypted payload is not well-formed XML (R-OM2-060)"};
  pugi::xml_node envelope = document.document_element();
  if (std::string_view(envelope.name()) != "envelope" ||
      std::string_view(envelope.attribute("xmlns").value()) != kSce)
    return {std::nullopt, "decrypted payload is not an urn:xmpp:sce:1 <envelope> (R-OM2-060)"};
  if (pugi::xml_node from = envelope.child("from");
      from && comparable(from.attribute("jid").value()) != comparable(received.from))
    return {std::nullopt, std::string("SCE <from> ") + from.attribute("jid").value() +
                              " is not the sender " + received.from + " (R-OM2-064)"};
  if (pugi::xml_node to = envelope.child("to");
      to && comparable(to.attribute("jid").value()) != comparable(received.to))
    return {std::nullopt, std::string("SCE <to> ") + to.attribute("jid").value() +
                              " is not the recipient " + received.to + " (R-OM2-063)"};
  for (pugi::xml_node body : envelope.child("content").children("body")) {
    std::string_view ns = body.attribute("xmlns").value();
    if (ns == "jabber:client") return {std::string(body.child_value()), ""};
  }
  return {std::string(), ""};
}

}  // namespace oi::libomemo_c
