#include "key_stores.h"

#include <algorithm>

#include "signal_objects.h"

namespace oi::libomemo_c {
namespace {

KeyStores& self(void* user_data) {
  return *static_cast<KeyStores*>(user_data);
}

RemoteDevice remote_of(const signal_protocol_address* address) {
  return {std::string(address->name, address->name_len), address->device_id};
}

int load_session(signal_buffer** record, signal_buffer** user_record,
                 const signal_protocol_address* address, void* user_data) {
  *user_record = nullptr;
  auto found = self(user_data).sessions.find(remote_of(address));
  if (found == self(user_data).sessions.end()) return 0;
  *record = buffer_of(found->second);
  return *record != nullptr ? 1 : SG_ERR_NOMEM;
}

int sub_device_sessions(signal_int_list** list, const char* name, size_t name_len,
                        void* user_data) {
  signal_int_list* result = signal_int_list_alloc();
  if (result == nullptr) return SG_ERR_NOMEM;
  const std::string jid(name, name_len);
  for (const auto& [remote, record] : self(user_data).sessions)
    if (remote.first == jid) signal_int_list_push_back(result, remote.second);
  *list = result;
  return static_cast<int>(signal_int_list_size(result));
}

int store_session(const signal_protocol_address* address, uint8_t* record, size_t record_len,
                  uint8_t*, size_t, void* user_data) {
  self(user_data).sessions[remote_of(address)] = Bytes(record, record + record_len);
  return 0;
}

int contains_session(const signal_protocol_address* address, void* user_data) {
  return self(user_data).sessions.count(remote_of(address)) > 0 ? 1 : 0;
}

int delete_session(const signal_protocol_address* address, void* user_data) {
  return self(user_data).sessions.erase(remote_of(address)) > 0 ? 1 : 0;
}

int delete_all_sessions(const char* name, size_t name_len, void* user_data) {
  const std::string jid(name, name_len);
  return static_cast<int>(std::erase_if(
      self(user_data).sessions, [&](const auto& entry) { return entry.first.first == jid; }));
}

template <std::map<std::uint32_t, Bytes> KeyStores::*Member>
int load_key(signal_buffer** record, uint32_t id, void* user_data) {
  const auto& keys = self(user_data).*Member;
  auto found = keys.find(id);
  if (found == keys.end()) return SG_ERR_INVALID_KEY_ID;
  *record = buffer_of(found->second);
  return *record != nullptr ? SG_SUCCESS : SG_ERR_NOMEM;
}

template <std::map<std::uint32_t, Bytes> KeyStores::*Member>
int store_key(uint32_t id, uint8_t* record, size_t record_len, void* user_data) {
  (self(user_data).*Member)[id] = Bytes(record, record + record_len);
  return 0;
}

template <std::map<std::uint32_t, Bytes> KeyStores::*Member>
int contains_key(uint32_t id, void* user_data) {
  return (self(user_data).*Member).count(id) > 0 ? 1 : 0;
}

int remove_pre_key(uint32_t id, void* user_data) {
  if (self(user_data).pre_keys.erase(id) > 0) ++self(user_data).pre_keys_removed;
  return 0;
}

int remove_signed_pre_key(uint32_t id, void* user_data) {
  self(user_data).signed_pre_keys.erase(id);
  return 0;
}

int identity_key_pair(signal_buffer** public_data, signal_buffer** private_data, void* user_data) {
  *public_data = buffer_of(self(user_data).identity_public);
  *private_data = buffer_of(self(user_data).identity_private);
  return *public_data != nullptr && *private_data != nullptr ? 0 : SG_ERR_NOMEM;
}

int local_registration_id(void* user_data, uint32_t* id) {
  *id = self(user_data).registration_id;
  return 0;
}

int save_identity(const signal_protocol_address* address, uint8_t* key_data, size_t key_len,
                  void* user_data) {
  if (key_data == nullptr) {
    self(user_data).remote_identities.erase(remote_of(address));
  } else {
    self(user_data).remote_identities[remote_of(address)] = Bytes(key_data, key_data + key_len);
  }
  return 0;
}

// Trust is decided by the client layer above the library (trust_book.h), as Dino does: the
// library is told every identity is trusted, so that untrusted senders still decrypt
// (R-LEG-040, R-OM2-056) and sending is gated before the library is called.
int is_trusted_identity(const signal_protocol_address*, uint8_t*, size_t, void*) {
  return 1;
}

}  // namespace

void register_stores(signal_protocol_store_context* context, KeyStores& stores) {
  signal_protocol_session_store session_store{
      load_session,   sub_device_sessions, store_session, contains_session,
      delete_session, delete_all_sessions, nullptr,       &stores};
  signal_protocol_pre_key_store pre_key_store{load_key<&KeyStores::pre_keys>,
                                              store_key<&KeyStores::pre_keys>,
                                              contains_key<&KeyStores::pre_keys>,
                                              remove_pre_key,
                                              nullptr,
                                              &stores};
  signal_protocol_signed_pre_key_store signed_pre_key_store{
      load_key<&KeyStores::signed_pre_keys>,
      store_key<&KeyStores::signed_pre_keys>,
      contains_key<&KeyStores::signed_pre_keys>,
      remove_signed_pre_key,
      nullptr,
      &stores};
  signal_protocol_identity_key_store identity_store{identity_key_pair, local_registration_id,
                                                    save_identity,     is_trusted_identity,
                                                    nullptr,           &stores};
  check(signal_protocol_store_context_set_session_store(context, &session_store),
        "set_session_store");
  check(signal_protocol_store_context_set_pre_key_store(context, &pre_key_store),
        "set_pre_key_store");
  check(signal_protocol_store_context_set_signed_pre_key_store(context, &signed_pre_key_store),
        "set_signed_pre_key_store");
  check(signal_protocol_store_context_set_identity_key_store(context, &identity_store),
        "set_identity_key_store");
}

}  // namespace oi::libomemo_c
