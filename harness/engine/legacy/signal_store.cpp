#include "engine/legacy/signal_store.h"

#include <cstring>
#include <stdexcept>
#include <vector>

#include "engine/state_codec.h"

namespace oi::engine::legacy {

namespace {

SignalStore& self(void* user_data) {
  return *static_cast<SignalStore*>(user_data);
}

RemoteAddress to_remote(const signal_protocol_address* address) {
  return {std::string(address->name, address->name_len),
          static_cast<std::uint32_t>(address->device_id)};
}

Bytes copy_bytes(const uint8_t* data, size_t len) {
  return Bytes(data, data + len);
}

signal_buffer* to_buffer(const Bytes& bytes) {
  return signal_buffer_create(bytes.data(), bytes.size());
}

// ---- session store ----
int load_session(signal_buffer** record, signal_buffer** user_record,
                 const signal_protocol_address* address, void* user_data) {
  *user_record = nullptr;
  auto& sessions = self(user_data).sessions;
  auto found = sessions.find(to_remote(address));
  if (found == sessions.end()) return 0;
  *record = to_buffer(found->second);
  return 1;
}

int get_sub_device_sessions(signal_int_list** list, const char* name, size_t name_len,
                            void* user_data) {
  signal_int_list* result = signal_int_list_alloc();
  if (result == nullptr) return SG_ERR_NOMEM;
  std::string jid(name, name_len);
  for (const auto& [address, record] : self(user_data).sessions) {
    if (address.jid == jid) signal_int_list_push_back(result, static_cast<int>(address.device_id));
  }
  *list = result;
  return static_cast<int>(signal_int_list_size(result));
}

int store_session(const signal_protocol_address* address, uint8_t* record, size_t record_len,
                  uint8_t*, size_t, void* user_data) {
  self(user_data).write(&SignalStore::sessions, to_remote(address),
                        std::optional<Bytes>(copy_bytes(record, record_len)));
  return 0;
}

int contains_session(const signal_protocol_address* address, void* user_data) {
  return self(user_data).sessions.contains(to_remote(address)) ? 1 : 0;
}

int delete_session(const signal_protocol_address* address, void* user_data) {
  return self(user_data).write(&SignalStore::sessions, to_remote(address), std::nullopt) ? 1 : 0;
}

int delete_all_sessions(const char* name, size_t name_len, void* user_data) {
  SignalStore& store = self(user_data);
  std::string jid(name, name_len);
  std::vector<RemoteAddress> doomed;
  for (const auto& [address, record] : store.sessions) {
    if (address.jid == jid) doomed.push_back(address);
  }
  for (const RemoteAddress& address : doomed) {
    store.write(&SignalStore::sessions, address, std::nullopt);
  }
  return static_cast<int>(doomed.size());
}

// ---- prekey stores (the same shape for one-time and signed prekeys) ----
template <std::map<std::uint32_t, Bytes> SignalStore::*Member>
int load_key(signal_buffer** record, uint32_t id, void* user_data) {
  auto& keys = self(user_data).*Member;
  auto found = keys.find(id);
  if (found == keys.end()) return SG_ERR_INVALID_KEY_ID;
  *record = to_buffer(found->second);
  return SG_SUCCESS;
}

template <std::map<std::uint32_t, Bytes> SignalStore::*Member>
int store_key(uint32_t id, uint8_t* record, size_t record_len, void* user_data) {
  self(user_data).write(Member, id, std::optional<Bytes>(copy_bytes(record, record_len)));
  return 0;
}

template <std::map<std::uint32_t, Bytes> SignalStore::*Member>
int contains_key(uint32_t id, void* user_data) {
  return (self(user_data).*Member).contains(id) ? 1 : 0;
}

template <std::map<std::uint32_t, Bytes> SignalStore::*Member>
int remove_key(uint32_t id, void* user_data) {
  self(user_data).write(Member, id, std::nullopt);
  return 0;
}

// ---- identity store ----
int get_identity_key_pair(signal_buffer** public_data, signal_buffer** private_data,
                          void* user_data) {
  SignalStore& store = self(user_data);
  *public_data = to_buffer(store.identity_public());
  *private_data = to_buffer(store.identity_private());
  return 0;
}

int get_local_registration_id(void* user_data, uint32_t* registration_id) {
  *registration_id = self(user_data).registration_id();
  return 0;
}

int save_identity(const signal_protocol_address* address, uint8_t* key_data, size_t key_len,
                  void* user_data) {
  std::optional<Bytes> key;
  if (key_data != nullptr) key = copy_bytes(key_data, key_len);
  self(user_data).write(&SignalStore::identities, to_remote(address), std::move(key));
  return 0;
}

int is_trusted_identity(const signal_protocol_address* address, uint8_t* key_data, size_t key_len,
                        void* user_data) {
  return self(user_data).is_trusted(to_remote(address), ByteView(key_data, key_len)) ? 1 : 0;
}

// ---- state serialisation: a flat, versioned record of the maps ----
constexpr std::uint8_t kStateVersion = 1;

void put_address_map(StateWriter& out, const std::map<RemoteAddress, Bytes>& map) {
  out.u32(static_cast<std::uint32_t>(map.size()));
  for (const auto& [address, value] : map) {
    out.text(address.jid);
    out.u32(address.device_id);
    out.blob(value);
  }
}
void put_id_map(StateWriter& out, const std::map<std::uint32_t, Bytes>& map) {
  out.u32(static_cast<std::uint32_t>(map.size()));
  for (const auto& [id, value] : map) {
    out.u32(id);
    out.blob(value);
  }
}
bool read_address_map(StateReader& in, std::map<RemoteAddress, Bytes>& map) {
  auto count = in.u32();
  if (!count) return false;
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto jid = in.text();
    auto device = in.u32();
    auto value = jid && device ? in.blob() : std::nullopt;
    if (!value) return false;
    map[{*jid, *device}] = std::move(*value);
  }
  return true;
}
bool read_id_map(StateReader& in, std::map<std::uint32_t, Bytes>& map) {
  auto count = in.u32();
  if (!count) return false;
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto id = in.u32();
    auto value = id ? in.blob() : std::nullopt;
    if (!value) return false;
    map[*id] = std::move(*value);
  }
  return true;
}

}  // namespace

SignalStore::~SignalStore() {
  if (store_context_ != nullptr) signal_protocol_store_context_destroy(store_context_);
}

void SignalStore::set_identity(Bytes public_key33, Bytes private_key32,
                               std::uint32_t registration_id) {
  identity_public_ = std::move(public_key33);
  identity_private_ = std::move(private_key32);
  registration_id_ = registration_id;
}

bool SignalStore::is_trusted(const RemoteAddress& address, ByteView key) const {
  return !is_trusted_ || is_trusted_(address, key);
}

signal_protocol_store_context* SignalStore::attach(signal_context* context) {
  if (store_context_ != nullptr) return store_context_;
  if (signal_protocol_store_context_create(&store_context_, context) != 0) {
    throw std::runtime_error("signal_protocol_store_context_create failed");
  }
  signal_protocol_session_store session_store{
      load_session,   get_sub_device_sessions, store_session, contains_session,
      delete_session, delete_all_sessions,     nullptr,       this};
  signal_protocol_pre_key_store pre_key_store{load_key<&SignalStore::pre_keys>,
                                              store_key<&SignalStore::pre_keys>,
                                              contains_key<&SignalStore::pre_keys>,
                                              remove_key<&SignalStore::pre_keys>,
                                              nullptr,
                                              this};
  signal_protocol_signed_pre_key_store signed_pre_key_store{
      load_key<&SignalStore::signed_pre_keys>,
      store_key<&SignalStore::signed_pre_keys>,
      contains_key<&SignalStore::signed_pre_keys>,
      remove_key<&SignalStore::signed_pre_keys>,
      nullptr,
      this};
  signal_protocol_identity_key_store identity_store{get_identity_key_pair,
                                                    get_local_registration_id,
                                                    save_identity,
                                                    is_trusted_identity,
                                                    nullptr,
                                                    this};
  signal_protocol_store_context_set_session_store(store_context_, &session_store);
  signal_protocol_store_context_set_pre_key_store(store_context_, &pre_key_store);
  signal_protocol_store_context_set_signed_pre_key_store(store_context_, &signed_pre_key_store);
  signal_protocol_store_context_set_identity_key_store(store_context_, &identity_store);
  return store_context_;
}

template <class Key>
bool SignalStore::write(Table<Key> table, const Key& key, std::optional<Bytes> value) {
  std::map<Key, Bytes>& map = this->*table;
  auto found = map.find(key);
  const bool existed = found != map.end();
  if (!marks_.empty()) {
    // The previous value moves into the journal: no copy of the record.
    journal_.push_back(Undo<Key>{
        table, key, existed ? std::optional<Bytes>(std::move(found->second)) : std::nullopt});
  }
  if (value) {
    if (existed) {
      found->second = std::move(*value);
    } else {
      map.emplace(key, std::move(*value));
    }
  } else if (existed) {
    map.erase(found);
  }
  return existed;
}

template bool SignalStore::write(Table<RemoteAddress>, const RemoteAddress&, std::optional<Bytes>);
template bool SignalStore::write(Table<std::uint32_t>, const std::uint32_t&, std::optional<Bytes>);

SignalStore::Mark SignalStore::begin() {
  marks_.push_back(journal_.size());
  return marks_.back();
}

void SignalStore::commit(Mark mark) {
  if (marks_.empty() || marks_.back() != mark) {
    throw std::logic_error("SignalStore::commit: not the innermost transaction");
  }
  marks_.pop_back();
  if (marks_.empty()) journal_.clear();
}

void SignalStore::rollback(Mark mark) {
  if (marks_.empty() || marks_.back() != mark) {
    throw std::logic_error("SignalStore::rollback: not the innermost transaction");
  }
  while (journal_.size() > mark) {
    std::visit(
        [this](auto& undo) {
          auto& map = this->*undo.table;
          if (undo.previous) {
            map.insert_or_assign(std::move(undo.key), std::move(*undo.previous));
          } else {
            map.erase(undo.key);
          }
        },
        journal_.back());
    journal_.pop_back();
  }
  marks_.pop_back();
}

Bytes SignalStore::export_state() const {
  StateWriter out;
  out.u8(kStateVersion);
  out.blob(identity_public_);
  out.blob(identity_private_);
  out.u32(registration_id_);
  put_address_map(out, sessions);
  put_id_map(out, pre_keys);
  put_id_map(out, signed_pre_keys);
  put_address_map(out, identities);
  return out.take();
}

bool SignalStore::import_state(ByteView state) {
  StateReader in(state);
  std::map<RemoteAddress, Bytes> new_sessions, new_identities;
  std::map<std::uint32_t, Bytes> new_pre_keys, new_signed_pre_keys;
  auto version = in.u8();
  if (!version || *version != kStateVersion) return false;
  auto identity_public = in.blob();
  auto identity_private = in.blob();
  auto registration_id = in.u32();
  if (!identity_public || !identity_private || !registration_id) return false;
  if (!read_address_map(in, new_sessions) || !read_id_map(in, new_pre_keys) ||
      !read_id_map(in, new_signed_pre_keys) || !read_address_map(in, new_identities) ||
      !in.at_end()) {
    return false;
  }
  identity_public_ = std::move(*identity_public);
  identity_private_ = std::move(*identity_private);
  registration_id_ = *registration_id;
  sessions = std::move(new_sessions);
  pre_keys = std::move(new_pre_keys);
  signed_pre_keys = std::move(new_signed_pre_keys);
  identities = std::move(new_identities);
  return true;
}

}  // namespace oi::engine::legacy
