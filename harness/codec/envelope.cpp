#include "codec/envelope.h"

#include <fmt/format.h>

#include <cctype>

#include "codec/profile.h"

namespace oi::codec {
namespace {

constexpr std::string_view kRequirement = "R-OM2-060";

bool is_digits(std::string_view s, std::size_t from, std::size_t count) {
  if (s.size() < from + count) return false;
  for (std::size_t i = from; i < from + count; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// XEP-0082 DateTime: CCYY-MM-DDThh:mm:ss[.sss]TZD with TZD = Z | (+|-)hh:mm.
bool is_xep0082_datetime(std::string_view s) {
  if (!is_digits(s, 0, 4) || s.size() < 20 || s[4] != '-' || !is_digits(s, 5, 2) || s[7] != '-' ||
      !is_digits(s, 8, 2) || s[10] != 'T' || !is_digits(s, 11, 2) || s[13] != ':' ||
      !is_digits(s, 14, 2) || s[16] != ':' || !is_digits(s, 17, 2))
    return false;
  std::size_t i = 19;
  if (s[i] == '.') {
    std::size_t start = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
  }
  std::string_view zone = s.substr(i);
  if (zone == "Z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && is_digits(zone, 1, 2) &&
         zone[3] == ':' && is_digits(zone, 4, 2);
}

// Server-processed elements (XEP-0420 §Server-processed Elements); empty name = any in ns.
bool is_server_processed(std::string_view name, std::string_view ns) {
  return ns == kHintsNamespace || (ns == "urn:xmpp:sid:0" && name == "stanza-id") ||
         (ns == "http://jabber.org/protocol/address" && name == "addresses") ||
         (ns == kEmeNamespace && name == "encryption");
}

}  // namespace

ContentElement make_content_element(std::string_view name, std::string_view ns,
                                    std::string_view text) {
  pugi::xml_document document;
  pugi::xml_node node = document.append_child(std::string(name).c_str());
  node.append_attribute("xmlns").set_value(std::string(ns).c_str());
  if (!text.empty()) node.text().set(std::string(text).c_str());
  return ContentElement{std::string(name), std::string(ns), xml::print(document)};
}

std::optional<Envelope> parse_envelope_element(xml::Context& context, pugi::xml_node element) {
  std::string ns = xml::namespace_of(element);
  if (xml::local_name(element) != "envelope" || ns != kSceNamespace) {
    std::string hint = ns == "urn:xmpp:sce:0" ? " (urn:xmpp:sce:0 is OMEMO 1's SCE, A-21)" : "";
    context.add(kRequirement, Severity::must, element,
                fmt::format("root <{} xmlns='{}'> is not <envelope xmlns='urn:xmpp:sce:1'>{}",
                            xml::local_name(element), ns, hint));
    return std::nullopt;
  }
  xml::check_attributes(context, element, {}, kRequirement);
  xml::check_no_text(context, element, kRequirement);
  Envelope envelope;
  pugi::xml_node content, rpad, time, to, from;
  for (pugi::xml_node child : element.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = xml::local_name(child);
    pugi::xml_node* slot = nullptr;
    if (xml::namespace_of(child) == kSceNamespace) {
      if (name == "content") slot = &content;
      if (name == "rpad") slot = &rpad;
      if (name == "time") slot = &time;
      if (name == "to") slot = &to;
      if (name == "from") slot = &from;
    }
    if (!slot) {
      xml::note_unknown_child(context, child, kRequirement);
      continue;
    }
    if (*slot) {
      context.add(kRequirement, Severity::must, child,
                  fmt::format("<envelope>: second <{}> ignored (at most one)", name));
      continue;
    }
    *slot = child;
  }

  if (!content) {
    context.add(kRequirement, Severity::must, element, "<envelope>: no <content>");
  } else {
    xml::check_attributes(context, content, {}, kRequirement);
    for (pugi::xml_node child : content.children()) {
      if (child.type() != pugi::node_element) continue;
      std::string child_ns = xml::namespace_of(child);
      std::string_view name = xml::local_name(child);
      if (is_server_processed(name, child_ns))
        context.add("R-OM2-061", Severity::must, child,
                    fmt::format("<content>: server-processed <{} xmlns='{}'> inside the envelope; "
                                "the server cannot see it and receivers drop it",
                                name, child_ns));
      if (name == "body" && child_ns != kClientNamespace)
        context.add("R-OM2-067", Severity::must, child,
                    fmt::format("<content>: <body> in namespace '{}' is not a jabber:client body",
                                child_ns));
      envelope.content.push_back(
          ContentElement{std::string(name), child_ns, xml::print_standalone(child)});
    }
  }
  if (!rpad)
    context.add("R-OM2-033", Severity::must, element, "<envelope>: no <rpad> (OMEMO requires it)");
  else
    envelope.rpad = xml::text_of(rpad);
  if (time) {
    pugi::xml_attribute stamp = time.attribute("stamp");
    xml::check_attributes(context, time, {"stamp"}, kRequirement);
    if (!stamp)
      context.add("R-OM2-065", Severity::must, time, "<time>: no stamp attribute");
    else if (!is_xep0082_datetime(stamp.value()))
      context.add("R-OM2-065", Severity::must, time,
                  fmt::format("{}: not a XEP-0082 DateTime", xml::describe(time, "stamp")));
    if (stamp) envelope.time = stamp.value();
  }
  auto affix = [&](pugi::xml_node node, std::string_view requirement,
                   std::optional<std::string>& out) {
    if (!node) return;
    xml::check_attributes(context, node, {"jid"}, kRequirement);
    pugi::xml_attribute jid = node.attribute("jid");
    if (!jid) {
      context.add(requirement, Severity::must, node,
                  fmt::format("<{}>: no jid attribute", xml::local_name(node)));
      return;
    }
    if (std::string_view(jid.value()).find('/') != std::string_view::npos)
      context.add(requirement, Severity::should, node,
                  fmt::format("{}: a full JID; SCE 0.4.1+ affixes carry bare JIDs",
                              xml::describe(node, "jid")));
    out = jid.value();
  };
  affix(to, "R-OM2-063", envelope.to);
  affix(from, "R-OM2-064", envelope.from);
  if (!from)
    context.add("R-OM2-033", Severity::should, element,
                "<envelope>: no <from> affix (SHOULD for OMEMO)");
  if (!content) return std::nullopt;
  return envelope;
}

void append_envelope(pugi::xml_node parent, const Envelope& envelope) {
  pugi::xml_node root = parent.append_child("envelope");
  root.append_attribute("xmlns").set_value(std::string(kSceNamespace).c_str());
  pugi::xml_node content = root.append_child("content");
  for (const ContentElement& element : envelope.content)
    content.append_buffer(element.xml.data(), element.xml.size(), pugi::parse_default,
                          pugi::encoding_utf8);
  if (envelope.rpad) {
    pugi::xml_node rpad = root.append_child("rpad");
    if (!envelope.rpad->empty()) rpad.text().set(envelope.rpad->c_str());
  }
  if (envelope.time)
    root.append_child("time").append_attribute("stamp").set_value(envelope.time->c_str());
  if (envelope.to) root.append_child("to").append_attribute("jid").set_value(envelope.to->c_str());
  if (envelope.from)
    root.append_child("from").append_attribute("jid").set_value(envelope.from->c_str());
}

Parsed<Envelope> parse_envelope(std::string_view text) {
  Parsed<Envelope> out;
  auto document = xml::Document::load(text, out.findings, kRequirement);
  if (!document) return out;
  xml::Context context(*document, out.findings);
  out.value = parse_envelope_element(context, document->root());
  return out;
}

std::string serialize_envelope(const Envelope& envelope) {
  pugi::xml_document document;
  append_envelope(document, envelope);
  return xml::print(document);
}

}  // namespace oi::codec
