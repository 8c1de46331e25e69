#include "codec/encrypted.h"

#include <fmt/format.h>

#include <algorithm>

#include "codec/base64.h"
#include "codec/omemo2_messages.h"
#include "codec/signal_messages.h"

namespace oi::codec {
namespace {

// Decodes <key> content with a parser; true when it gave a value without `must` findings.
template <class Parse>
bool decodes_cleanly(Parse parse, const Bytes& data) {
  auto parsed = parse(data, 0);
  return parsed.value && !contains_must(parsed.findings);
}

// Decodes the <key> content as the message its flag announces and reports what is wrong with it.
// The clean case (no finding) does no more work than that one decode: the other message type is
// tried, and the location text built, only when there is something to report (every recipient
// parses every <key> of a stanza, so this runs N times per recipient).
void check_key_content(xml::Context& context, pugi::xml_node node, const KeyElement& key,
                       Profile profile) {
  std::vector<Finding> findings;
  bool (*other_is_clean)(const Bytes&) = nullptr;
  std::string_view flagged, other;
  if (profile == Profile::legacy) {
    if (key.kex) {
      findings = parse_pre_key_signal_message(key.data).findings;
      other_is_clean = [](const Bytes& data) {
        return decodes_cleanly(parse_signal_message, data);
      };
      flagged = "PreKeySignalMessage", other = "SignalMessage";
    } else {
      findings = parse_signal_message(key.data).findings;
      other_is_clean = [](const Bytes& data) {
        return decodes_cleanly(parse_pre_key_signal_message, data);
      };
      flagged = "SignalMessage", other = "PreKeySignalMessage";
    }
  } else {
    if (key.kex) {
      findings = parse_omemo_key_exchange(key.data).findings;
      other_is_clean = [](const Bytes& data) {
        return decodes_cleanly(parse_omemo_authenticated_message, data);
      };
      flagged = "OMEMOKeyExchange", other = "OMEMOAuthenticatedMessage";
    } else {
      findings = parse_omemo_authenticated_message(key.data).findings;
      other_is_clean = [](const Bytes& data) {
        return decodes_cleanly(parse_omemo_key_exchange, data);
      };
      flagged = "OMEMOAuthenticatedMessage", other = "OMEMOKeyExchange";
    }
  }
  if (findings.empty()) return;
  std::string where = xml::describe(node, "rid");
  if (contains_must(findings) && other_is_clean(key.data)) {
    const char* attribute = profile == Profile::legacy ? "prekey" : "kex";
    context.add(xml::requirements_for(profile).key_flag, Severity::must, node,
                fmt::format("{}: content is a {}, but {} says {}", where, other, attribute,
                            key.kex ? "true (" + std::string(flagged) + ")"
                                    : "false (" + std::string(flagged) + ")"));
    return;
  }
  for (Finding& finding : findings)
    context.add(finding.requirement, finding.severity, node,
                fmt::format("{}: {}", where, finding.message));
}

std::optional<KeyElement> parse_key(xml::Context& context, pugi::xml_node node, Profile profile,
                                    bool check_key_contents) {
  const auto& ids = xml::requirements_for(profile);
  if (profile == Profile::legacy) {
    xml::check_attributes(context, node, {"rid", "prekey"}, ids.encrypted);
  } else {
    xml::check_attributes(context, node, {"rid", "kex", "prekey"}, ids.encrypted);
    if (pugi::xml_attribute prekey = node.attribute("prekey"))
      context.add("A-04", Severity::note, node,
                  fmt::format("{}: legacy attribute prekey='{}' has no meaning in OMEMO 2 and is "
                              "ignored (kex is the flag)",
                              xml::describe(node, "rid"), prekey.value()));
  }
  auto rid = xml::id_attribute(context, node, "rid", xml::IdKind::device, profile);
  bool kex =
      xml::flag_attribute(context, node, profile == Profile::legacy ? "prekey" : "kex", profile);
  auto data = xml::base64_content(context, node, ids.encrypted);
  if (data && data->empty())
    context.add(ids.encrypted, Severity::must, node,
                fmt::format("{}: empty key", xml::describe(node, "rid")));
  if (!rid || !data) return std::nullopt;
  KeyElement key{*rid, kex, std::move(*data)};
  if (check_key_contents && !key.data.empty()) check_key_content(context, node, key, profile);
  return key;
}

void parse_legacy_header(xml::Context& context, pugi::xml_node header, Encrypted& encrypted,
                         bool check_key_contents) {
  const auto& ids = xml::requirements_for(Profile::legacy);
  std::string ns(kLegacyNamespace);
  xml::check_child_order(context, header, {"key", "iv"});
  RecipientKeys group;
  pugi::xml_node iv_node;
  bool any_key = false;
  for (pugi::xml_node child : header.children()) {
    if (child.type() != pugi::node_element) continue;
    if (xml::is_element(child, "key", ns)) {
      any_key = true;
      if (auto key = parse_key(context, child, Profile::legacy, check_key_contents))
        group.keys.push_back(std::move(*key));
    } else if (xml::is_element(child, "iv", ns)) {
      if (iv_node) {
        context.add(ids.encrypted, Severity::must, child, "<header>: second <iv> ignored");
        continue;
      }
      iv_node = child;
    } else {
      xml::note_unknown_child(context, child, ids.encrypted);
    }
  }
  if (!any_key) context.add(ids.encrypted, Severity::must, header, "<header>: no <key> element");
  if (!group.keys.empty()) encrypted.recipients.push_back(std::move(group));
  if (!iv_node) {
    context.add("R-LEG-026", Severity::must, header, "<header>: no <iv> (legacy requires it)");
    return;
  }
  xml::check_attributes(context, iv_node, {}, ids.encrypted);
  auto iv = xml::base64_content(context, iv_node, "R-LEG-019");
  if (!iv) return;
  if (iv->size() == 16)
    context.add("A-01", Severity::note, iv_node,
                "<iv>: 16 bytes, as older senders used; maintained senders use 12");
  else if (iv->size() != 12)
    context.add(
        "R-LEG-019", Severity::must, iv_node,
        fmt::format("<iv>: {} byte(s), expected 12 (or 16 from older senders)", iv->size()));
  encrypted.iv = std::move(iv);
}

bool is_bare_jid(std::string_view jid) {
  return !jid.empty() && jid.find('/') == std::string_view::npos &&
         jid.find_first_of(" \t\r\n") == std::string_view::npos;
}

void parse_omemo2_header(xml::Context& context, pugi::xml_node header, Encrypted& encrypted,
                         bool check_key_contents) {
  const auto& ids = xml::requirements_for(Profile::omemo2);
  std::string ns(kOmemo2Namespace);
  bool any_keys = false;
  for (pugi::xml_node child : header.children()) {
    if (child.type() != pugi::node_element) continue;
    if (xml::is_element(child, "iv", ns)) {
      context.add(ids.encrypted, Severity::note, child,
                  "<header>: <iv> has no meaning in OMEMO 2 (the IV is derived) and is ignored");
      continue;
    }
    if (xml::is_element(child, "key", ns)) {
      context.add(ids.encrypted, Severity::must, child,
                  fmt::format("{}: <key> directly in <header>; OMEMO 2 wraps keys in "
                              "<keys jid='...'>, so it is ignored",
                              xml::describe(child, "rid")));
      continue;
    }
    if (!xml::is_element(child, "keys", ns)) {
      xml::note_unknown_child(context, child, ids.encrypted);
      continue;
    }
    any_keys = true;
    xml::check_attributes(context, child, {"jid"}, ids.encrypted);
    xml::check_no_text(context, child, ids.encrypted);
    pugi::xml_attribute jid = child.attribute("jid");
    if (!jid) {
      context.add(ids.encrypted, Severity::must, child, "<keys>: no jid attribute");
    } else if (!is_bare_jid(jid.value())) {
      context.add(ids.encrypted, Severity::must, child,
                  fmt::format("{}: not a bare JID", xml::describe(child, "jid")));
    }
    std::string jid_value = jid.value();
    RecipientKeys* group = nullptr;
    for (RecipientKeys& existing : encrypted.recipients)
      if (existing.jid == jid_value) group = &existing;
    if (group) {
      context.add(ids.encrypted, Severity::must, child,
                  fmt::format("{}: a second <keys> for the same JID (one per bare JID)",
                              xml::describe(child, "jid")));
    } else {
      encrypted.recipients.push_back(RecipientKeys{jid_value, {}});
      group = &encrypted.recipients.back();
    }
    bool any_key = false;
    for (pugi::xml_node key_node : child.children()) {
      if (key_node.type() != pugi::node_element) continue;
      if (!xml::is_element(key_node, "key", ns)) {
        xml::note_unknown_child(context, key_node, ids.encrypted);
        continue;
      }
      any_key = true;
      if (auto key = parse_key(context, key_node, Profile::omemo2, check_key_contents))
        group->keys.push_back(std::move(*key));
    }
    if (!any_key)
      context.add(ids.encrypted, Severity::must, child,
                  fmt::format("{}: no <key> element", xml::describe(child, "jid")));
  }
  if (!any_keys) context.add(ids.encrypted, Severity::must, header, "<header>: no <keys> element");
  std::erase_if(encrypted.recipients, [](const RecipientKeys& r) { return r.keys.empty(); });
}

}  // namespace

std::vector<const KeyElement*> keys_for(const Encrypted& encrypted, std::uint32_t rid,
                                        std::string_view jid) {
  std::vector<const KeyElement*> out;
  for (const RecipientKeys& group : encrypted.recipients) {
    if (encrypted.profile == Profile::omemo2 && group.jid != jid) continue;
    for (const KeyElement& key : group.keys)
      if (key.rid == rid) out.push_back(&key);
  }
  return out;
}

std::optional<Encrypted> parse_encrypted_element(xml::Context& context, pugi::xml_node element,
                                                 bool check_key_contents) {
  std::optional<Profile> profile = xml::element_profile(element, "encrypted", "encrypted");
  if (!profile) {
    xml::report_unexpected_element(context, element, "an <encrypted> element");
    return std::nullopt;
  }
  const auto& ids = xml::requirements_for(*profile);
  std::string ns(profile_namespace(*profile));
  xml::check_attributes(context, element, {}, ids.encrypted);
  xml::check_no_text(context, element, ids.encrypted);
  xml::check_child_order(context, element, {"header", "payload"});
  Encrypted encrypted;
  encrypted.profile = *profile;
  pugi::xml_node header, payload;
  for (pugi::xml_node child : element.children()) {
    if (child.type() != pugi::node_element) continue;
    pugi::xml_node* slot = nullptr;
    if (xml::is_element(child, "header", ns)) slot = &header;
    if (xml::is_element(child, "payload", ns)) slot = &payload;
    if (!slot) {
      xml::note_unknown_child(context, child, ids.encrypted);
      continue;
    }
    if (*slot) {
      context.add(ids.encrypted, Severity::must, child,
                  fmt::format("<encrypted>: second <{}> ignored", xml::local_name(child)));
      continue;
    }
    *slot = child;
  }
  std::optional<std::uint32_t> sid;
  if (!header) {
    context.add(ids.encrypted, Severity::must, element, "<encrypted>: no <header>");
  } else {
    xml::check_attributes(context, header, {"sid"}, ids.encrypted);
    xml::check_no_text(context, header, ids.encrypted);
    if (!header.attribute("sid"))
      context.add(ids.sender, Severity::must, header,
                  "<header>: no sid attribute (the sender device id)");
    else
      sid = xml::id_attribute(context, header, "sid", xml::IdKind::device, *profile);
    if (*profile == Profile::legacy)
      parse_legacy_header(context, header, encrypted, check_key_contents);
    else
      parse_omemo2_header(context, header, encrypted, check_key_contents);
  }
  if (payload) {
    xml::check_attributes(context, payload, {}, ids.encrypted);
    encrypted.payload = xml::base64_content(context, payload, ids.encrypted);
    if (encrypted.payload && *profile == Profile::omemo2 &&
        (encrypted.payload->empty() || encrypted.payload->size() % 16 != 0))
      context.add("R-OM2-018", Severity::must, payload,
                  fmt::format("<payload>: {} byte(s), not a non-empty multiple of the 16-byte "
                              "AES block",
                              encrypted.payload->size()));
  }
  if (!sid) return std::nullopt;
  encrypted.sid = *sid;
  return encrypted;
}

void append_encrypted(pugi::xml_node parent, const Encrypted& encrypted) {
  pugi::xml_node root = parent.append_child("encrypted");
  root.append_attribute("xmlns").set_value(
      std::string(profile_namespace(encrypted.profile)).c_str());
  pugi::xml_node header = root.append_child("header");
  header.append_attribute("sid").set_value(encrypted.sid);
  const char* flag = encrypted.profile == Profile::legacy ? "prekey" : "kex";
  auto append_key = [&](pugi::xml_node parent_node, const KeyElement& key) {
    pugi::xml_node node = parent_node.append_child("key");
    node.append_attribute("rid").set_value(key.rid);
    if (key.kex) node.append_attribute(flag).set_value("true");
    node.text().set(encode_base64(key.data).c_str());
  };
  for (const RecipientKeys& group : encrypted.recipients) {
    if (encrypted.profile == Profile::legacy) {
      for (const KeyElement& key : group.keys) append_key(header, key);
    } else {
      pugi::xml_node keys = header.append_child("keys");
      keys.append_attribute("jid").set_value(group.jid.c_str());
      for (const KeyElement& key : group.keys) append_key(keys, key);
    }
  }
  if (encrypted.iv) header.append_child("iv").text().set(encode_base64(*encrypted.iv).c_str());
  if (encrypted.payload)
    root.append_child("payload").text().set(encode_base64(*encrypted.payload).c_str());
}

Parsed<Encrypted> parse_encrypted(std::string_view text, bool check_key_contents) {
  Parsed<Encrypted> out;
  auto document = xml::Document::load(text, out.findings, "XML");
  if (!document) return out;
  xml::Context context(*document, out.findings);
  out.value = parse_encrypted_element(context, document->root(), check_key_contents);
  return out;
}

std::string serialize_encrypted(const Encrypted& encrypted) {
  pugi::xml_document document;
  append_encrypted(document, encrypted);
  return xml::print(document);
}

}  // namespace oi::codec
