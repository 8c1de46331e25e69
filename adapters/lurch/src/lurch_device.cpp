#include "lurch_device.h"

#include <cctype>
#include <cstdio>
#include <set>
#include <sstream>

#include "stack_headers.h"
#include "stanza_xml.h"

namespace lurch_adapter {
namespace {

std::string safe_file_part(const std::string& handle) {
  std::string out;
  for (unsigned char c : handle) {
    if (std::isalnum(c) || c == '-' || c == '_') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02x", c);
      out += hex;
    }
  }
  return out;
}

// Throws LibraryFailure for a non-zero library result.
void require(int code, const std::string& call, const std::string& error_class = "internal") {
  if (code != 0) throw LibraryFailure(error_class, call, code);
}

std::string devicelist_node() {
  char* name = nullptr;
  require(omemo_devicelist_get_pep_node_name(&name), "omemo_devicelist_get_pep_node_name");
  CString owned(name);
  return owned.get();
}

std::string bundle_node(std::uint32_t device_id) {
  char* name = nullptr;
  require(omemo_bundle_get_pep_node_name(device_id, &name), "omemo_bundle_get_pep_node_name");
  CString owned(name);
  return owned.get();
}

std::vector<std::uint32_t> ids_of(const omemo_devicelist* list) {
  IdList ids(omemo_devicelist_get_id_list(list));
  std::vector<std::uint32_t> out;
  for (GList* item = ids.get(); item; item = item->next)
    out.push_back(omemo_devicelist_list_data(item));
  return out;
}

// A recipient device: lurch_addr.
struct Address {
  std::string jid;
  std::uint32_t device_id;
  bool operator<(const Address& other) const {
    return std::tie(jid, device_id) < std::tie(other.jid, other.device_id);
  }
};

axc_address axc_address_of(const Address& address) {
  return axc_address{address.jid.c_str(), address.jid.size(),
                     static_cast<int32_t>(address.device_id)};
}

nlohmann::json failed_outcome(const std::string& error_class, const std::string& detail) {
  return {{"ok", false}, {"error_class", error_class}, {"detail", detail}};
}

}  // namespace

LurchDevice::LurchDevice(DeviceIdentity identity, const std::vector<std::uint8_t>& seed,
                         const std::string& work_dir, RpcChannel& rpc)
    : identity_(std::move(identity)),
      rpc_(rpc),
      stack_(identity_.handle,
             work_dir + "/lurch-" + safe_file_part(identity_.handle) + "_axc.sqlite",
             work_dir + "/lurch-" + safe_file_part(identity_.handle) + "_omemo.sqlite", seed) {}

void LurchDevice::install(std::uint32_t device_id) {
  require(axc_install(stack_.axc()), "axc_install");
  if (device_id != 0) {
    require(axc_db_identity_set_local_registration_id(device_id, stack_.axc()),
            "axc_db_identity_set_local_registration_id");
  }
}

std::uint32_t LurchDevice::device_id() const {
  std::uint32_t id = 0;
  require(axc_get_device_id(stack_.axc(), &id), "axc_get_device_id");
  return id;
}

std::string LurchDevice::fingerprint() const {
  axc_buf* key = nullptr;
  require(axc_key_load_public_own(stack_.axc(), &key), "axc_key_load_public_own");
  AxcBufPtr owned(key);
  const std::uint8_t* data = axc_buf_get_data(key);
  std::size_t length = axc_buf_get_len(key);
  std::string out;
  // 0x05 || u: the fingerprint is u (PROTOCOL.md §3).
  for (std::size_t i = length == 33 ? 1 : 0, n = 0; i < length; ++i, ++n) {
    if (n > 0 && n % 4 == 0) out.push_back(' ');
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", data[i]);
    out += hex;
  }
  return out;
}

std::string LurchDevice::next_stanza_id() {
  return "purple" + identity_.handle + "-" + std::to_string(++stanza_counter_);
}

std::string LurchDevice::iq(const std::string& stanza) {
  nlohmann::json reply = rpc_.call("iq", {{"device", identity_.handle}, {"stanza", stanza}});
  if (!reply.contains("stanza") || !reply["stanza"].is_string())
    throw HarnessError("iq answer without stanza: " + reply.dump());
  return reply["stanza"].get<std::string>();
}

void LurchDevice::send_stanza(const std::string& stanza) {
  rpc_.call("send", {{"device", identity_.handle}, {"stanza", stanza}});
}

// ---------------------------------------------------------------------------------------------
// start: lurch_account_connect_cb requests the own device list; its handler publishes.

nlohmann::json LurchDevice::start() {
  try {
    std::string reply = iq(pep_items_request(next_stanza_id(), identity_.jid, devicelist_node()));
    own_devicelist_handler(pubsub_result_items(reply));
    return {{"ok", true}, {"skipped_devices", nlohmann::json::array()}};
  } catch (const LibraryFailure& failure) {
    return failed_outcome(failure.error_class(), failure.what());
  }
}

// lurch_pep_own_devicelist_request_handler: adds the own id when missing and publishes the
// list (only then), always publishes the bundle, and caches the list.
void LurchDevice::own_devicelist_handler(const std::optional<std::string>& items_xml) {
  std::uint32_t own_id = device_id();
  omemo_devicelist* raw = nullptr;
  bool needs_publishing = true;
  if (!items_xml) {
    require(omemo_devicelist_create(identity_.jid.c_str(), &raw), "omemo_devicelist_create");
    DevicelistPtr list(raw);
    require(omemo_devicelist_add(list.get(), own_id), "omemo_devicelist_add");
    raw = list.release();
  } else {
    std::vector<char> xml(items_xml->begin(), items_xml->end());
    xml.push_back('\0');
    require(omemo_devicelist_import(xml.data(), identity_.jid.c_str(), &raw),
            "omemo_devicelist_import (own list)", "bad_data");
    DevicelistPtr list(raw);
    if (omemo_devicelist_contains_id(list.get(), own_id) == 1) {
      needs_publishing = false;
    } else {
      require(omemo_devicelist_add(list.get(), own_id), "omemo_devicelist_add");
    }
    raw = list.release();
  }
  DevicelistPtr list(raw);
  if (needs_publishing) {
    char* publish = nullptr;
    require(omemo_devicelist_export(list.get(), &publish), "omemo_devicelist_export");
    CString owned(publish);
    iq(pep_publish_request(next_stanza_id(), publish));  // libpurple ignores the reply
  }
  bundle_publish_own();
  devicelist_process(list.get());
}

// lurch_bundle_publish_own: axc_bundle_collect(AXC_PRE_KEYS_AMOUNT) into an omemo_bundle.
void LurchDevice::bundle_publish_own() {
  axc_bundle* collected = nullptr;
  stack_.clear_log_error();
  require(axc_bundle_collect(AXC_PRE_KEYS_AMOUNT, stack_.axc(), &collected), "axc_bundle_collect");
  AxcBundlePtr axc_bundle_owned(collected);
  omemo_bundle* raw = nullptr;
  require(omemo_bundle_create(&raw), "omemo_bundle_create");
  BundlePtr bundle(raw);
  require(omemo_bundle_set_device_id(bundle.get(), axc_bundle_get_reg_id(collected)),
          "omemo_bundle_set_device_id");
  axc_buf* buf = axc_bundle_get_signed_pre_key(collected);
  require(omemo_bundle_set_signed_pre_key(bundle.get(), axc_bundle_get_signed_pre_key_id(collected),
                                          axc_buf_get_data(buf), axc_buf_get_len(buf)),
          "omemo_bundle_set_signed_pre_key");
  buf = axc_bundle_get_signature(collected);
  require(omemo_bundle_set_signature(bundle.get(), axc_buf_get_data(buf), axc_buf_get_len(buf)),
          "omemo_bundle_set_signature");
  buf = axc_bundle_get_identity_key(collected);
  require(omemo_bundle_set_identity_key(bundle.get(), axc_buf_get_data(buf), axc_buf_get_len(buf)),
          "omemo_bundle_set_identity_key");
  for (axc_buf_list_item* item = axc_bundle_get_pre_key_list(collected); item;
       item = axc_buf_list_item_get_next(item)) {
    buf = axc_buf_list_item_get_buf(item);
    require(omemo_bundle_add_pre_key(bundle.get(), axc_buf_list_item_get_id(item),
                                     axc_buf_get_data(buf), axc_buf_get_len(buf)),
            "omemo_bundle_add_pre_key");
  }
  char* publish = nullptr;
  int exported = omemo_bundle_export(bundle.get(), &publish);
  if (exported == -2) {  // libomemo 0.8.1: "pre_keys_amount < 20"
    throw LibraryFailure("internal", "omemo_bundle_export", exported,
                         "libomemo refuses a bundle with fewer than 20 prekeys");
  }
  require(exported, "omemo_bundle_export");
  CString owned(publish);
  iq(pep_publish_request(next_stanza_id(), publish));  // libpurple ignores the reply
}

// lurch_devicelist_process: the cached list of the owner becomes the incoming one.
void LurchDevice::devicelist_process(omemo_devicelist* incoming) {
  std::string owner = omemo_devicelist_get_owner(incoming);
  const char* db = stack_.omemo_db().c_str();
  omemo_devicelist* raw = nullptr;
  require(omemo_storage_user_devicelist_retrieve(owner.c_str(), db, &raw),
          "omemo_storage_user_devicelist_retrieve");
  DevicelistPtr cached(raw);
  GList* added = nullptr;
  GList* removed = nullptr;
  require(omemo_devicelist_diff(incoming, cached.get(), &added, &removed), "omemo_devicelist_diff");
  IdList added_owned(added);
  IdList removed_owned(removed);
  for (GList* item = added; item; item = item->next)
    require(omemo_storage_user_device_id_save(owner.c_str(), omemo_devicelist_list_data(item), db),
            "omemo_storage_user_device_id_save");
  for (GList* item = removed; item; item = item->next)
    require(
        omemo_storage_user_device_id_delete(owner.c_str(), omemo_devicelist_list_data(item), db),
        "omemo_storage_user_device_id_delete");
}

// lurch_pep_devicelist_event_handler: the own list goes to the own handler (lurch compares the
// bare JID as a prefix of `from`, strncmp with the own name's length); others are cached.
void LurchDevice::devicelist_event_handler(const std::string& from, const std::string& items_xml) {
  if (from.compare(0, identity_.jid.size(), identity_.jid) == 0) {
    own_devicelist_handler(items_xml);
    return;
  }
  std::vector<char> xml(items_xml.begin(), items_xml.end());
  xml.push_back('\0');
  omemo_devicelist* raw = nullptr;
  require(omemo_devicelist_import(xml.data(), from.c_str(), &raw), "omemo_devicelist_import",
          "bad_data");
  DevicelistPtr list(raw);
  devicelist_process(list.get());
}

// ---------------------------------------------------------------------------------------------
// send: lurch_message_encrypt_im.

nlohmann::json LurchDevice::send(const std::string& to, const std::string& body) {
  std::string plain = outgoing_chat_message(next_stanza_id(), to, body);
  try {
    std::uint32_t own_id = device_id();
    std::vector<char> xml(plain.begin(), plain.end());
    xml.push_back('\0');
    omemo_message* raw_message = nullptr;
    require(omemo_message_prepare_encryption(xml.data(), own_id, stack_.omemo_crypto(),
                                             OMEMO_STRIP_ALL, &raw_message),
            "omemo_message_prepare_encryption");
    MessagePtr message(raw_message);
    CString recipient(omemo_message_get_recipient_name_bare(message.get()));
    std::string recipient_jid = recipient ? recipient.get() : "";
    const char* db = stack_.omemo_db().c_str();

    omemo_devicelist* raw = nullptr;
    require(omemo_storage_user_devicelist_retrieve(recipient_jid.c_str(), db, &raw),
            "omemo_storage_user_devicelist_retrieve");
    DevicelistPtr recipient_list(raw);
    std::string note;
    if (ids_of(recipient_list.get()).empty()) {
      int any = axc_session_exists_any(recipient_jid.c_str(), stack_.axc());
      if (any < 0) throw LibraryFailure("internal", "axc_session_exists_any", any);
      if (any == 0) {
        // lurch leaves the stanza alone: the recipient is not an OMEMO user as far as it knows.
        send_stanza(plain);
        return {{"ok", true},
                {"skipped_devices", nlohmann::json::array()},
                {"detail", "lurch sent the message UNENCRYPTED: no cached device list for " +
                               recipient_jid +
                               " (lurch learns lists only from PEP notifications) and no session"}};
      }
      note = "lurch: a session exists but the cached device list of " + recipient_jid + " is empty";
    }
    raw = nullptr;
    require(omemo_storage_user_devicelist_retrieve(identity_.jid.c_str(), db, &raw),
            "omemo_storage_user_devicelist_retrieve");
    DevicelistPtr own_list(raw);
    if (ids_of(own_list.get()).empty())
      return failed_outcome("internal", "lurch_message_encrypt_im: no own devicelist");

    // lurch_addr_list_add: own devices but this one, then the recipient's (unless it is us).
    std::vector<Address> addresses;
    for (std::uint32_t id : ids_of(own_list.get()))
      if (id != own_id) addresses.push_back({identity_.jid, id});
    if (recipient_jid != identity_.jid)
      for (std::uint32_t id : ids_of(recipient_list.get()))
        addresses.push_back({recipient_jid, id});

    // lurch_msg_finalize_encryption: bundles are requested for devices without a session.
    std::set<Address> without_session;
    for (const Address& address : addresses) {
      axc_address addr = axc_address_of(address);
      int exists = axc_session_exists_initiated(&addr, stack_.axc());
      if (exists < 0) throw LibraryFailure("internal", "axc_session_exists_initiated", exists);
      if (exists == 0) without_session.insert(address);
    }
    nlohmann::json skipped = nlohmann::json::array();
    std::string stuck;  // lurch_bundle_request_cb failed: the queued message is never sent
    std::string stuck_class;
    for (const Address& address : without_session) {
      std::string request_id = address.jid + "#" + std::to_string(address.device_id) + "#" +
                               std::to_string(++stanza_counter_);
      std::string reply =
          iq(pep_items_request(request_id, address.jid, bundle_node(address.device_id)));
      try {
        if (iq_type(reply) == "error") {
          skipped.push_back(address.jid + "/" + std::to_string(address.device_id) +
                            ": bundle request answered with an error; lurch skips the device");
          continue;
        }
        std::optional<std::string> items = pubsub_result_items(reply);
        if (!items) {
          throw LibraryFailure("bad_data",
                               "lurch_bundle_request_cb: no <pubsub>/<items> in the result", 0);
        }
        axc_address addr = axc_address_of(address);
        int exists = axc_session_exists_initiated(&addr, stack_.axc());
        if (exists < 0) throw LibraryFailure("internal", "axc_session_exists_initiated", exists);
        if (exists == 0) bundle_create_session(address.jid, *items);
      } catch (const LibraryFailure& failure) {
        if (stuck.empty()) stuck_class = failure.error_class();
        stuck += std::string(stuck.empty() ? "" : "; ") + address.jid + "/" +
                 std::to_string(address.device_id) + ": " + failure.what();
      }
    }
    if (!stuck.empty()) {
      nlohmann::json outcome = failed_outcome(
          stuck_class,
          "lurch never sends the queued message (lurch_bundle_request_cb failed): " + stuck);
      outcome["skipped_devices"] = skipped;
      return outcome;
    }

    // lurch_crypto_encrypt_msg_for_addrs: prekey="true" only for sessions built just now.
    const std::uint8_t* key = omemo_message_get_key(message.get());
    std::size_t key_length = omemo_message_get_key_len(message.get());
    for (const Address& address : addresses) {
      axc_address addr = axc_address_of(address);
      int exists = axc_session_exists_initiated(&addr, stack_.axc());
      if (exists < 0) throw LibraryFailure("internal", "axc_session_exists_initiated", exists);
      if (exists == 0) continue;
      AxcBufPtr key_buf(axc_buf_create(key, key_length));
      axc_buf* encrypted = nullptr;
      require(axc_message_encrypt_and_serialize(key_buf.get(), &addr, stack_.axc(), &encrypted),
              "axc_message_encrypt_and_serialize");
      AxcBufPtr encrypted_owned(encrypted);
      if (without_session.contains(address)) {
        require(omemo_message_add_recipient_w_prekey(message.get(), address.device_id,
                                                     axc_buf_get_data(encrypted),
                                                     axc_buf_get_len(encrypted)),
                "omemo_message_add_recipient_w_prekey");
      } else {
        require(
            omemo_message_add_recipient(message.get(), address.device_id,
                                        axc_buf_get_data(encrypted), axc_buf_get_len(encrypted)),
            "omemo_message_add_recipient");
      }
    }
    char* exported = nullptr;
    require(omemo_message_export_encrypted(message.get(), OMEMO_ADD_MSG_EME, &exported),
            "omemo_message_export_encrypted");
    CString exported_owned(exported);
    send_stanza(exported);
    nlohmann::json outcome = {{"ok", true}, {"skipped_devices", skipped}};
    if (!note.empty()) outcome["detail"] = note;
    return outcome;
  } catch (const LibraryFailure& failure) {
    return failed_outcome(failure.error_class(), failure.what());
  }
}

// lurch_bundle_create_session: libomemo imports the <items>, picks a random prekey (glib's
// g_random, seeded from the device's stream first), axc builds the session.
void LurchDevice::bundle_create_session(const std::string& from, const std::string& items_xml) {
  omemo_bundle* raw = nullptr;
  require(omemo_bundle_import(items_xml.c_str(), &raw), "omemo_bundle_import", "bad_data");
  BundlePtr bundle(raw);
  Address remote{from, omemo_bundle_get_device_id(bundle.get())};

  g_random_set_seed(stack_.random().next_u32());
  std::uint32_t pre_key_id = 0, signed_pre_key_id = 0;
  std::uint8_t* data = nullptr;
  std::size_t length = 0;
  require(omemo_bundle_get_random_pre_key(bundle.get(), &pre_key_id, &data, &length),
          "omemo_bundle_get_random_pre_key", "bad_data");
  Bytes pre_key(data);
  AxcBufPtr pre_key_buf(axc_buf_create(data, length));
  require(omemo_bundle_get_signed_pre_key(bundle.get(), &signed_pre_key_id, &data, &length),
          "omemo_bundle_get_signed_pre_key", "bad_data");
  Bytes signed_pre_key(data);
  AxcBufPtr signed_pre_key_buf(axc_buf_create(data, length));
  require(omemo_bundle_get_signature(bundle.get(), &data, &length), "omemo_bundle_get_signature",
          "bad_data");
  Bytes signature(data);
  AxcBufPtr signature_buf(axc_buf_create(data, length));
  require(omemo_bundle_get_identity_key(bundle.get(), &data, &length),
          "omemo_bundle_get_identity_key", "bad_data");
  Bytes identity_key(data);
  AxcBufPtr identity_key_buf(axc_buf_create(data, length));

  axc_address addr = axc_address_of(remote);
  stack_.clear_log_error();
  int result = axc_session_from_bundle(pre_key_id, pre_key_buf.get(), signed_pre_key_id,
                                       signed_pre_key_buf.get(), signature_buf.get(),
                                       identity_key_buf.get(), &addr, stack_.axc());
  if (result != 0) {
    throw LibraryFailure(session_build_error_class(result, stack_.last_log_error()),
                         "axc_session_from_bundle", result, stack_.last_log_error());
  }
}

// ---------------------------------------------------------------------------------------------
// receive: lurch_xml_received_cb and the PEP handlers libpurple dispatches to.

nlohmann::json LurchDevice::receive(const std::string& stanza) {
  std::optional<IncomingMessage> message;
  try {
    message = parse_incoming_message(stanza, identity_.jid);
  } catch (const std::invalid_argument& e) {
    return {{"kind", "error"}, {"error_class", "bad_data"}, {"detail", e.what()}};
  }
  if (!message) return {{"kind", "ignored"}};  // presence, iq: lurch does not look at them
  try {
    if (message->event_items) {
      // jabber_handle_event: lurch registered a handler for the device-list node only.
      if (message->event_items->node != devicelist_node()) return {{"kind", "ignored"}};
      devicelist_event_handler(message->from, message->event_items->xml);
      return {{"kind", "pep_update"}};
    }
    if (message->has_encrypted) return message_decrypt(*message);
  } catch (const LibraryFailure& failure) {
    return {{"kind", "error"}, {"error_class", failure.error_class()}, {"detail", failure.what()}};
  }
  // lurch_message_warn: a plaintext message is passed on (with a warning in the UI).
  nlohmann::json outcome = {{"kind", "not_encrypted"}};
  outcome["body"] = message->body ? nlohmann::json(*message->body) : nlohmann::json(nullptr);
  return outcome;
}

nlohmann::json LurchDevice::message_decrypt(const IncomingMessage& message) {
  auto error = [](const std::string& error_class, const std::string& detail) {
    return nlohmann::json{{"kind", "error"}, {"error_class", error_class}, {"detail", detail}};
  };
  std::string sender;
  if (message.type == "chat") {
    sender = bare_jid(message.from);
  } else if (message.type == "groupchat") {
    return error("unsupported", "groupchat: the adapter does not declare muc");
  } else {
    // lurch_message_decrypt sets the sender only for chat and groupchat; for any other type it
    // goes on with sender == NULL and passes it to strnlen (a NULL dereference).
    return error("internal", "lurch_message_decrypt: message type '" + message.type +
                                 "' leaves the sender NULL (lurch would crash in strnlen)");
  }
  std::string recipient = message.to.empty() ? identity_.jid : bare_jid(message.to);

  std::vector<char> xml(message.xml.begin(), message.xml.end());
  xml.push_back('\0');
  omemo_message* raw = nullptr;
  int result = omemo_message_prepare_decryption(xml.data(), &raw);
  if (result != 0)
    throw LibraryFailure(omemo_message_error_class(result), "omemo_message_prepare_decryption",
                         result);
  MessagePtr parsed(raw);
  std::uint32_t own_id = device_id();
  std::uint8_t* key_data = nullptr;
  std::size_t key_length = 0;
  result = omemo_message_get_encrypted_key(parsed.get(), own_id, &key_data, &key_length);
  if (result != 0)
    throw LibraryFailure(omemo_message_error_class(result), "omemo_message_get_encrypted_key",
                         result);
  Bytes key(key_data);
  if (!key) {
    return error("not_for_this_device",
                 "received omemo message that does not contain a key for this device");
  }
  AxcBufPtr key_buf(axc_buf_create(key_data, key_length));
  Address sender_address{sender, omemo_message_get_sender_id(parsed.get())};
  axc_address addr = axc_address_of(sender_address);

  axc_buf* decrypted = nullptr;
  stack_.clear_log_error();
  result = axc_pre_key_message_process(key_buf.get(), &addr, stack_.axc(), &decrypted);
  if (result == AXC_ERR_NOT_A_PREKEY_MSG) {
    if (axc_session_exists_initiated(&addr, stack_.axc()) != 1) {
      // lurch: "received omemo message but no session with the device exists, ignoring"
      return error("no_session", "no session with " + sender + "/" +
                                     std::to_string(sender_address.device_id) +
                                     " and not a PreKeyWhisperMessage; lurch ignores it");
    }
    result = axc_message_decrypt_from_serialized(key_buf.get(), &addr, stack_.axc(), &decrypted);
    if (result != 0) {
      if (result == SG_ERR_DUPLICATE_MESSAGE && sender == identity_.jid &&
          recipient == identity_.jid) {
        return {{"kind", "ignored"}};  // lurch drops carbon duplicates to the own account
      }
      throw LibraryFailure(key_decryption_error_class(result),
                           "axc_message_decrypt_from_serialized", result, stack_.last_log_error());
    }
  } else if (result == AXC_ERR_INVALID_KEY_ID) {
    // lurch would request the sender's bundle and answer with a KeyTransport message, then go on
    // to decrypt the payload with no key; axc 0.3.7 returns this code only from the message
    // deserialisation, which libsignal 2.3.3 never fails that way.
    return error("unknown_prekey", "axc_pre_key_message_process: " + library_error_name(result) +
                                       " (lurch's keytransport path)");
  } else if (result != 0) {
    throw LibraryFailure(key_decryption_error_class(result), "axc_pre_key_message_process", result,
                         stack_.last_log_error());
  } else {
    bundle_publish_own();  // a prekey was consumed (axc generated its replacement)
  }
  AxcBufPtr decrypted_owned(decrypted);

  if (!omemo_message_has_payload(parsed.get())) return {{"kind", "empty"}};  // KeyTransport

  char* plaintext = nullptr;
  result =
      omemo_message_export_decrypted(parsed.get(), axc_buf_get_data(decrypted),
                                     axc_buf_get_len(decrypted), stack_.omemo_crypto(), &plaintext);
  if (result != 0)
    throw LibraryFailure(omemo_message_error_class(result), "omemo_message_export_decrypted",
                         result);
  CString plaintext_owned(plaintext);
  std::optional<std::string> body;
  try {
    body = message_body(plaintext);
  } catch (const std::invalid_argument& e) {
    return error("internal", e.what());
  }
  nlohmann::json outcome = {{"kind", "message"}, {"sender_trusted", true}};
  outcome["body"] = body ? *body : std::string();
  return outcome;
}

}  // namespace lurch_adapter
