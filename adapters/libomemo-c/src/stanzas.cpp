#include "stanzas.h"

#include <algorithm>
#include <charconv>
#include <pugixml.hpp>
#include <sstream>
#include <string_view>

namespace oi::libomemo_c {
namespace {

constexpr const char* kPubsub = "http://jabber.org/protocol/pubsub";
constexpr const char* kPubsubEvent = "http://jabber.org/protocol/pubsub#event";
constexpr const char* kCarbons = "urn:xmpp:carbons:2";
constexpr const char* kForward = "urn:xmpp:forward:0";
constexpr const char* kMam = "urn:xmpp:mam:2";
constexpr const char* kStanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas";

std::string print(const pugi::xml_node& node) {
  std::ostringstream out;
  node.print(out, "", pugi::format_raw | pugi::format_no_declaration);
  return out.str();
}

std::string print(const pugi::xml_document& document) {
  std::ostringstream out;
  document.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  return out.str();
}

bool load(pugi::xml_document& document, const std::string& xml) {
  return static_cast<bool>(document.load_buffer(xml.data(), xml.size()));
}

// A child with this local name whose xmlns attribute is `ns` (nullptr: any namespace).
pugi::xml_node child_in(pugi::xml_node parent, const char* name, const char* ns) {
  for (pugi::xml_node child : parent.children(name)) {
    if (ns == nullptr || std::string_view(child.attribute("xmlns").value()) == ns) return child;
  }
  return {};
}

std::optional<std::uint32_t> parse_id(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value == 0 || value > 0x7fffffffu) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

// A signed-prekey or prekey id: any 32-bit value, 0 included (libsignal's key ids start at 0,
// and axc/lurch always publish signed prekey 0; Dino reads them with a plain int.parse).
// Device ids keep the 1..2^31-1 range of parse_id.
std::optional<std::uint32_t> parse_key_id(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  if (value > 0xffffffffu) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

bool is_true(std::string_view value) {
  return value == "true" || value == "1";
}

std::optional<Bytes> base64_text(pugi::xml_node node) {
  return from_base64(node.child_value());
}

void append_form(pugi::xml_node parent, const char* form_type,
                 const std::vector<PublishOption>& options) {
  pugi::xml_node form = parent.append_child("x");
  form.append_attribute("xmlns") = "jabber:x:data";
  form.append_attribute("type") = "submit";
  pugi::xml_node type = form.append_child("field");
  type.append_attribute("var") = "FORM_TYPE";
  type.append_attribute("type") = "hidden";
  type.append_child("value").text() = form_type;
  for (const PublishOption& option : options) {
    pugi::xml_node field = form.append_child("field");
    field.append_attribute("var") = option.var.c_str();
    field.append_child("value").text() = option.value.c_str();
  }
}

std::optional<EncryptedElement> parse_encrypted(Profile profile, pugi::xml_node encrypted,
                                                std::string& error) {
  EncryptedElement out;
  pugi::xml_node header = encrypted.child("header");
  std::optional<std::uint32_t> sid = parse_id(header.attribute("sid").value());
  if (!header || !sid) {
    error = "<encrypted> without a <header> with a valid sid";
    return std::nullopt;
  }
  out.sid = *sid;
  auto read_key = [&](pugi::xml_node key, const std::string& jid) {
    std::optional<std::uint32_t> rid = parse_id(key.attribute("rid").value());
    std::optional<Bytes> data = base64_text(key);
    if (!rid || !data) return;  // an unreadable <key> is no key for anyone
    const char* flag = profile == Profile::legacy ? "prekey" : "kex";
    out.keys.push_back(KeyElement{jid, *rid, is_true(key.attribute(flag).value()), *data});
  };
  if (profile == Profile::legacy) {
    for (pugi::xml_node key : header.children("key")) read_key(key, "");
    std::optional<Bytes> iv = base64_text(header.child("iv"));
    if (!iv) {
      error = "<header> without a readable <iv>";
      return std::nullopt;
    }
    out.iv = *iv;
  } else {
    for (pugi::xml_node keys : header.children("keys")) {
      for (pugi::xml_node key : keys.children("key")) read_key(key, keys.attribute("jid").value());
    }
  }
  if (pugi::xml_node payload = encrypted.child("payload")) {
    out.payload = base64_text(payload);
    if (!out.payload) {
      error = "<payload> is not base64";
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

std::string items_request(const std::string& id, const std::string& owner, const std::string& node,
                          const std::optional<std::string>& item_id) {
  pugi::xml_document document;
  pugi::xml_node iq = document.append_child("iq");
  iq.append_attribute("type") = "get";
  iq.append_attribute("to") = owner.c_str();
  iq.append_attribute("id") = id.c_str();
  pugi::xml_node pubsub = iq.append_child("pubsub");
  pubsub.append_attribute("xmlns") = kPubsub;
  pugi::xml_node items = pubsub.append_child("items");
  items.append_attribute("node") = node.c_str();
  if (item_id) {
    items.append_child("item").append_attribute("id") = item_id->c_str();
  } else {
    items.append_attribute("max_items") = "1";
  }
  return print(document);
}

std::string publish_request(const std::string& id, const std::string& node,
                            const std::string& item_id, const std::string& item_xml,
                            const std::vector<PublishOption>& options) {
  pugi::xml_document document;
  pugi::xml_node iq = document.append_child("iq");
  iq.append_attribute("type") = "set";
  iq.append_attribute("id") = id.c_str();
  pugi::xml_node pubsub = iq.append_child("pubsub");
  pubsub.append_attribute("xmlns") = kPubsub;
  pugi::xml_node publish = pubsub.append_child("publish");
  publish.append_attribute("node") = node.c_str();
  pugi::xml_node item = publish.append_child("item");
  item.append_attribute("id") = item_id.c_str();
  pugi::xml_document payload;
  load(payload, item_xml);
  item.append_copy(payload.document_element());
  if (!options.empty())
    append_form(pubsub.append_child("publish-options"),
                "http://jabber.org/protocol/pubsub#publish-options", options);
  return print(document);
}

std::string configure_request(const std::string& id, const std::string& node,
                              const std::vector<PublishOption>& options) {
  pugi::xml_document document;
  pugi::xml_node iq = document.append_child("iq");
  iq.append_attribute("type") = "set";
  iq.append_attribute("id") = id.c_str();
  pugi::xml_node pubsub = iq.append_child("pubsub");
  pubsub.append_attribute("xmlns") = "http://jabber.org/protocol/pubsub#owner";
  pugi::xml_node configure = pubsub.append_child("configure");
  configure.append_attribute("node") = node.c_str();
  append_form(configure, "http://jabber.org/protocol/pubsub#node_config", options);
  return print(document);
}

bool is_iq_result(const std::string& iq_xml) {
  pugi::xml_document document;
  return load(document, iq_xml) && std::string_view(document.document_element().name()) == "iq" &&
         std::string_view(document.document_element().attribute("type").value()) == "result";
}

std::string iq_error_condition(const std::string& iq_xml) {
  pugi::xml_document document;
  if (!load(document, iq_xml)) return "malformed reply";
  pugi::xml_node error = document.document_element().child("error");
  for (pugi::xml_node condition : error.children()) {
    if (condition.type() == pugi::node_element &&
        std::string_view(condition.attribute("xmlns").value()) == kStanzaErrors)
      return condition.name();
  }
  return error ? "undefined-condition" : "";
}

std::string device_list_xml(Profile profile, const std::vector<std::uint32_t>& device_ids) {
  pugi::xml_document document;
  pugi::xml_node list = document.append_child(profile == Profile::legacy ? "list" : "devices");
  list.append_attribute("xmlns") = profile_namespace(profile);
  for (std::uint32_t id : device_ids) list.append_child("device").append_attribute("id") = id;
  return print(document);
}

std::string bundle_xml(Profile profile, const Bundle& bundle) {
  const bool legacy = profile == Profile::legacy;
  pugi::xml_document document;
  pugi::xml_node root = document.append_child("bundle");
  root.append_attribute("xmlns") = profile_namespace(profile);
  pugi::xml_node spk = root.append_child(legacy ? "signedPreKeyPublic" : "spk");
  spk.append_attribute(legacy ? "signedPreKeyId" : "id") = bundle.signed_pre_key_id;
  spk.text() = to_base64(bundle.signed_pre_key).c_str();
  root.append_child(legacy ? "signedPreKeySignature" : "spks").text() =
      to_base64(bundle.signature).c_str();
  root.append_child(legacy ? "identityKey" : "ik").text() = to_base64(bundle.identity_key).c_str();
  pugi::xml_node prekeys = root.append_child("prekeys");
  for (const auto& [id, key] : bundle.pre_keys) {
    pugi::xml_node pk = prekeys.append_child(legacy ? "preKeyPublic" : "pk");
    pk.append_attribute(legacy ? "preKeyId" : "id") = id;
    pk.text() = to_base64(key).c_str();
  }
  return print(document);
}

std::optional<PepItems> pep_items(const std::string& stanza_xml) {
  pugi::xml_document document;
  if (!load(document, stanza_xml)) return std::nullopt;
  pugi::xml_node root = document.document_element();
  pugi::xml_node container = child_in(root, "pubsub", kPubsub);
  if (!container) container = child_in(root, "event", kPubsubEvent);
  pugi::xml_node items = container.child("items");
  if (!items) return std::nullopt;
  PepItems out{items.attribute("node").value(), root.attribute("from").value(), std::nullopt};
  pugi::xml_node newest;
  for (pugi::xml_node item : items.children("item")) newest = item;  // the last is the newest
  if (newest && newest.first_child().type() == pugi::node_element)
    out.newest_item_xml = print(newest.first_child());
  return out;
}

std::optional<std::vector<std::uint32_t>> parse_device_list(Profile profile,
                                                            const std::string& item_xml) {
  pugi::xml_document document;
  if (!load(document, item_xml)) return std::nullopt;
  pugi::xml_node list = document.document_element();
  if (std::string_view(list.name()) != (profile == Profile::legacy ? "list" : "devices") ||
      std::string_view(list.attribute("xmlns").value()) != profile_namespace(profile))
    return std::nullopt;
  std::vector<std::uint32_t> ids;
  for (pugi::xml_node device : list.children("device")) {
    if (std::optional<std::uint32_t> id = parse_id(device.attribute("id").value())) {
      ids.push_back(*id);
    }
  }
  return ids;
}

std::optional<Bundle> parse_bundle(Profile profile, const std::string& item_xml) {
  const bool legacy = profile == Profile::legacy;
  pugi::xml_document document;
  if (!load(document, item_xml)) return std::nullopt;
  pugi::xml_node root = document.document_element();
  if (std::string_view(root.name()) != "bundle" ||
      std::string_view(root.attribute("xmlns").value()) != profile_namespace(profile))
    return std::nullopt;
  Bundle out;
  pugi::xml_node spk = root.child(legacy ? "signedPreKeyPublic" : "spk");
  std::optional<std::uint32_t> spk_id =
      parse_key_id(spk.attribute(legacy ? "signedPreKeyId" : "id").value());
  std::optional<Bytes> spk_key = base64_text(spk);
  std::optional<Bytes> signature =
      base64_text(root.child(legacy ? "signedPreKeySignature" : "spks"));
  std::optional<Bytes> identity = base64_text(root.child(legacy ? "identityKey" : "ik"));
  if (!spk || !spk_id || !spk_key || !signature || !identity) return std::nullopt;
  out.signed_pre_key_id = *spk_id;
  out.signed_pre_key = *spk_key;
  out.signature = *signature;
  out.identity_key = *identity;
  for (pugi::xml_node pk : root.child("prekeys").children(legacy ? "preKeyPublic" : "pk")) {
    std::optional<std::uint32_t> id =
        parse_key_id(pk.attribute(legacy ? "preKeyId" : "id").value());
    std::optional<Bytes> key = base64_text(pk);
    if (id && key) out.pre_keys.emplace_back(*id, *key);
  }
  return out;
}

std::string encrypted_xml(Profile profile, const EncryptedElement& element) {
  pugi::xml_document document;
  pugi::xml_node encrypted = document.append_child("encrypted");
  encrypted.append_attribute("xmlns") = profile_namespace(profile);
  pugi::xml_node header = encrypted.append_child("header");
  header.append_attribute("sid") = element.sid;
  auto append_key = [&](pugi::xml_node parent, const KeyElement& key) {
    pugi::xml_node node = parent.append_child("key");
    node.append_attribute("rid") = key.rid;
    if (key.key_exchange)
      node.append_attribute(profile == Profile::legacy ? "prekey" : "kex") = "true";
    node.text() = to_base64(key.data).c_str();
  };
  if (profile == Profile::legacy) {
    for (const KeyElement& key : element.keys) append_key(header, key);
    header.append_child("iv").text() = to_base64(element.iv).c_str();
  } else {
    // One <keys> per recipient bare JID, in the order the JIDs first appear.
    std::vector<std::string> jids;
    for (const KeyElement& key : element.keys)
      if (std::find(jids.begin(), jids.end(), key.jid) == jids.end()) jids.push_back(key.jid);
    for (const std::string& jid : jids) {
      pugi::xml_node keys = header.append_child("keys");
      keys.append_attribute("jid") = jid.c_str();
      for (const KeyElement& key : element.keys)
        if (key.jid == jid) append_key(keys, key);
    }
  }
  if (element.payload)
    encrypted.append_child("payload").text() = to_base64(*element.payload).c_str();
  return print(document);
}

std::optional<IncomingMessage> parse_message(Profile profile, const std::string& stanza_xml) {
  pugi::xml_document document;
  if (!load(document, stanza_xml)) return std::nullopt;
  pugi::xml_node message = document.document_element();
  if (std::string_view(message.name()) != "message") return std::nullopt;
  for (const char* wrapper : {"sent", "received"}) {
    if (pugi::xml_node carbon = child_in(message, wrapper, kCarbons)) {
      message = child_in(carbon, "forwarded", kForward).child("message");
      break;
    }
  }
  IncomingMessage out;
  if (pugi::xml_node result = child_in(message, "result", kMam)) {
    out.archive_id = result.attribute("id").value();
    out.archive_owner = message.attribute("from").value();
    message = child_in(result, "forwarded", kForward).child("message");
  }
  if (!message) return std::nullopt;
  for (pugi::xml_node id : message.children("stanza-id")) {
    if (std::string_view(id.attribute("xmlns").value()) == "urn:xmpp:sid:0")
      out.stanza_ids[id.attribute("by").value()] = id.attribute("id").value();
  }
  out.from = message.attribute("from").value();
  out.to = message.attribute("to").value();
  out.type = message.attribute("type").value();
  out.has_event = static_cast<bool>(child_in(message, "event", kPubsubEvent));
  for (pugi::xml_node body : message.children("body")) {
    std::string_view ns = body.attribute("xmlns").value();
    if (ns.empty() || ns == "jabber:client") {
      out.body = body.child_value();
      break;
    }
  }
  if (pugi::xml_node encrypted = child_in(message, "encrypted", profile_namespace(profile))) {
    out.encrypted = parse_encrypted(profile, encrypted, out.encrypted_error);
    if (!out.encrypted && out.encrypted_error.empty()) out.encrypted_error = "unreadable";
  }
  return out;
}

std::string mam_query_request(const std::string& id, const std::string& query_id,
                              const std::optional<std::string>& after, std::size_t max) {
  pugi::xml_document document;
  pugi::xml_node iq = document.append_child("iq");
  iq.append_attribute("type") = "set";
  iq.append_attribute("id") = id.c_str();
  pugi::xml_node query = iq.append_child("query");
  query.append_attribute("xmlns") = kMam;
  query.append_attribute("queryid") = query_id.c_str();
  pugi::xml_node form = query.append_child("x");
  form.append_attribute("xmlns") = "jabber:x:data";
  form.append_attribute("type") = "submit";
  pugi::xml_node type = form.append_child("field");
  type.append_attribute("var") = "FORM_TYPE";
  type.append_attribute("type") = "hidden";
  type.append_child("value").text() = kMam;
  pugi::xml_node set = query.append_child("set");
  set.append_attribute("xmlns") = "http://jabber.org/protocol/rsm";
  set.append_child("max").text() = std::to_string(max).c_str();
  if (after) set.append_child("after").text() = after->c_str();
  return print(document);
}

std::optional<MamFin> parse_mam_fin(const std::string& iq_xml) {
  pugi::xml_document document;
  if (!load(document, iq_xml) || !is_iq_result(iq_xml)) return std::nullopt;
  pugi::xml_node fin = child_in(document.document_element(), "fin", kMam);
  if (!fin) return std::nullopt;
  std::string_view complete = fin.attribute("complete").value();
  return MamFin{complete == "true" || complete == "1",
                child_in(fin, "set", "http://jabber.org/protocol/rsm").child("last").child_value()};
}

std::string message_xml(Profile profile, const OutgoingMessage& message) {
  pugi::xml_document document;
  pugi::xml_node stanza = document.append_child("message");
  stanza.append_attribute("to") = message.to.c_str();
  stanza.append_attribute("id") = message.id.c_str();
  stanza.append_attribute("type") = message.type.c_str();
  pugi::xml_document encrypted;
  load(encrypted, message.encrypted);
  stanza.append_copy(encrypted.document_element());
  stanza.append_child("store").append_attribute("xmlns") = "urn:xmpp:hints";
  pugi::xml_node eme = stanza.append_child("encryption");
  eme.append_attribute("xmlns") = "urn:xmpp:eme:0";
  eme.append_attribute("namespace") = profile_namespace(profile);
  if (message.fallback_body) stanza.append_child("body").text() = message.fallback_body->c_str();
  return print(document);
}

}  // namespace oi::libomemo_c
