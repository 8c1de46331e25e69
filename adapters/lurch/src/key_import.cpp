#include "key_import.h"

#include <curve.h>
#include <ratchet.h>
#include <session_pre_key.h>

#include <string>
#include <vector>

#include "base64.h"
#include "library_handles.h"
#include "stack_headers.h"

namespace lurch_adapter {
namespace {

std::vector<std::uint8_t> field_bytes(const nlohmann::json& object, const char* name,
                                      std::size_t length, const std::string& where) {
  if (!object.contains(name) || !object[name].is_string())
    throw LibraryFailure("bad_data", where + "." + name + " missing", 0);
  std::optional<std::vector<std::uint8_t>> bytes = decode_base64(object[name].get<std::string>());
  if (!bytes || bytes->size() != length) {
    throw LibraryFailure(
        "bad_data", where + "." + name + " is not " + std::to_string(length) + " bytes of base64",
        0);
  }
  return *bytes;
}

struct KeyPair {
  ec_public_key* public_key = nullptr;
  ec_private_key* private_key = nullptr;
  ~KeyPair() {
    SIGNAL_UNREF(public_key);
    SIGNAL_UNREF(private_key);
  }
};

// curve_decode_point (33 bytes, 0x05 || u) and curve_decode_private_point (32 bytes).
void decode_pair(KeyPair& pair, const nlohmann::json& object, const std::string& where,
                 signal_context* signal) {
  std::vector<std::uint8_t> private_bytes = field_bytes(object, "private", 32, where);
  std::vector<std::uint8_t> public_bytes = field_bytes(object, "public", 33, where);
  int result =
      curve_decode_point(&pair.public_key, public_bytes.data(), public_bytes.size(), signal);
  if (result != 0)
    throw LibraryFailure("bad_data", "curve_decode_point " + where + ".public", result);
  result = curve_decode_private_point(&pair.private_key, private_bytes.data(), private_bytes.size(),
                                      signal);
  if (result != 0)
    throw LibraryFailure("bad_data", "curve_decode_private_point " + where + ".private", result);
}

void require(int code, const std::string& call) {
  if (code != 0) throw LibraryFailure("internal", call, code);
}

}  // namespace

void install_keys(StackContext& stack, const nlohmann::json& keys, std::uint32_t device_id) {
  axc_context* axc = stack.axc();
  signal_context* signal = axc_context_get_axolotl_ctx(axc);
  if (!keys.is_object() || !keys.contains("identity"))
    throw LibraryFailure("bad_data", "keys.identity missing", 0);

  KeyPair identity;
  decode_pair(identity, keys["identity"], "keys.identity", signal);
  ratchet_identity_key_pair* identity_pair = nullptr;
  require(
      ratchet_identity_key_pair_create(&identity_pair, identity.public_key, identity.private_key),
      "ratchet_identity_key_pair_create");

  std::vector<session_pre_key*> pre_keys;
  session_signed_pre_key* signed_pre_key = nullptr;
  auto release = [&] {
    SIGNAL_UNREF(identity_pair);
    for (session_pre_key* key : pre_keys) SIGNAL_UNREF(key);
    SIGNAL_UNREF(signed_pre_key);
  };
  try {
    if (!keys.contains("pre_keys") || !keys["pre_keys"].is_array())
      throw LibraryFailure("bad_data", "keys.pre_keys missing", 0);
    for (std::size_t i = 0; i < keys["pre_keys"].size(); ++i) {
      const nlohmann::json& entry = keys["pre_keys"][i];
      std::string where = "keys.pre_keys[" + std::to_string(i) + "]";
      if (!entry.contains("id") || !entry["id"].is_number_unsigned())
        throw LibraryFailure("bad_data", where + ".id missing", 0);
      KeyPair pair;
      decode_pair(pair, entry, where, signal);
      ec_key_pair* key_pair = nullptr;
      require(ec_key_pair_create(&key_pair, pair.public_key, pair.private_key),
              "ec_key_pair_create");
      session_pre_key* pre_key = nullptr;
      int result = session_pre_key_create(&pre_key, entry["id"].get<std::uint32_t>(), key_pair);
      SIGNAL_UNREF(key_pair);
      require(result, "session_pre_key_create");
      pre_keys.push_back(pre_key);
    }
    if (keys.contains("signed_pre_key") && !keys["signed_pre_key"].is_null()) {
      const nlohmann::json& entry = keys["signed_pre_key"];
      if (!entry.contains("id") || !entry["id"].is_number_unsigned())
        throw LibraryFailure("bad_data", "keys.signed_pre_key.id missing", 0);
      KeyPair pair;
      decode_pair(pair, entry, "keys.signed_pre_key", signal);
      std::vector<std::uint8_t> signature =
          field_bytes(entry, "signature", 64, "keys.signed_pre_key");
      ec_key_pair* key_pair = nullptr;
      require(ec_key_pair_create(&key_pair, pair.public_key, pair.private_key),
              "ec_key_pair_create");
      int result = session_signed_pre_key_create(&signed_pre_key, entry["id"].get<std::uint32_t>(),
                                                 0, key_pair, signature.data(), signature.size());
      SIGNAL_UNREF(key_pair);
      require(result, "session_signed_pre_key_create");
    }

    // What axc_install does once it has generated the keys.
    require(axc_db_create(axc), "axc_db_create");
    require(axc_db_init_status_set(AXC_DB_NEEDS_ROLLBACK, axc), "axc_db_init_status_set");
    require(axc_db_identity_set_key_pair(identity_pair, axc), "axc_db_identity_set_key_pair");
    require(axc_db_identity_set_local_registration_id(device_id, axc),
            "axc_db_identity_set_local_registration_id");
    for (session_pre_key* pre_key : pre_keys) {
      signal_buffer* record = nullptr;
      require(session_pre_key_serialize(&record, pre_key), "session_pre_key_serialize");
      int result = axc_db_pre_key_store(session_pre_key_get_id(pre_key), signal_buffer_data(record),
                                        signal_buffer_len(record), axc);
      signal_buffer_bzero_free(record);
      require(result, "axc_db_pre_key_store");
    }
    if (signed_pre_key) {
      signal_buffer* record = nullptr;
      require(session_signed_pre_key_serialize(&record, signed_pre_key),
              "session_signed_pre_key_serialize");
      int result =
          axc_db_signed_pre_key_store(session_signed_pre_key_get_id(signed_pre_key),
                                      signal_buffer_data(record), signal_buffer_len(record), axc);
      signal_buffer_bzero_free(record);
      require(result, "axc_db_signed_pre_key_store");
    }
    require(axc_db_init_status_set(AXC_DB_INITIALIZED, axc), "axc_db_init_status_set");
  } catch (...) {
    release();
    throw;
  }
  release();
}

}  // namespace lurch_adapter
