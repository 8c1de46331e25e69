#include "library_errors.h"

#include <signal_protocol.h>

#include <map>

#include "stack_headers.h"

namespace lurch_adapter {
namespace {

const std::map<int, const char*>& error_names() {
  static const std::map<int, const char*> names = {
      {SG_ERR_NOMEM, "SG_ERR_NOMEM"},
      {SG_ERR_INVAL, "SG_ERR_INVAL"},
      {SG_ERR_UNKNOWN, "SG_ERR_UNKNOWN"},
      {SG_ERR_DUPLICATE_MESSAGE, "SG_ERR_DUPLICATE_MESSAGE"},
      {SG_ERR_INVALID_KEY, "SG_ERR_INVALID_KEY"},
      {SG_ERR_INVALID_KEY_ID, "SG_ERR_INVALID_KEY_ID"},
      {SG_ERR_INVALID_MAC, "SG_ERR_INVALID_MAC"},
      {SG_ERR_INVALID_MESSAGE, "SG_ERR_INVALID_MESSAGE"},
      {SG_ERR_INVALID_VERSION, "SG_ERR_INVALID_VERSION"},
      {SG_ERR_LEGACY_MESSAGE, "SG_ERR_LEGACY_MESSAGE"},
      {SG_ERR_NO_SESSION, "SG_ERR_NO_SESSION"},
      {SG_ERR_STALE_KEY_EXCHANGE, "SG_ERR_STALE_KEY_EXCHANGE"},
      {SG_ERR_UNTRUSTED_IDENTITY, "SG_ERR_UNTRUSTED_IDENTITY"},
      {SG_ERR_VRF_SIG_VERIF_FAILED, "SG_ERR_VRF_SIG_VERIF_FAILED"},
      {SG_ERR_INVALID_PROTO_BUF, "SG_ERR_INVALID_PROTO_BUF"},
      {AXC_ERR, "AXC_ERR / OMEMO_ERR"},
      {AXC_ERR_NOMEM, "AXC_ERR_NOMEM / OMEMO_ERR_NOMEM"},
      {AXC_ERR_NOT_A_PREKEY_MSG, "AXC_ERR_NOT_A_PREKEY_MSG / OMEMO_ERR_STORAGE"},
      {AXC_ERR_INVALID_KEY_ID, "AXC_ERR_INVALID_KEY_ID"},
      {OMEMO_ERR_NULL, "OMEMO_ERR_NULL"},
      {OMEMO_ERR_CRYPTO, "OMEMO_ERR_CRYPTO"},
      {OMEMO_ERR_AUTH_FAIL, "OMEMO_ERR_AUTH_FAIL"},
      {OMEMO_ERR_UNSUPPORTED_KEY_LEN, "OMEMO_ERR_UNSUPPORTED_KEY_LEN"},
      {OMEMO_ERR_MALFORMED_BUNDLE, "OMEMO_ERR_MALFORMED_BUNDLE"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_ITEMS_ELEM, "OMEMO_ERR_MALFORMED_BUNDLE_NO_ITEMS_ELEM"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_NODE_ATTR, "OMEMO_ERR_MALFORMED_BUNDLE_NO_NODE_ATTR"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_ITEM_ELEM, "OMEMO_ERR_MALFORMED_BUNDLE_NO_ITEM_ELEM"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_BUNDLE_ELEM, "OMEMO_ERR_MALFORMED_BUNDLE_NO_BUNDLE_ELEM"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_SPK_ELEM, "OMEMO_ERR_MALFORMED_BUNDLE_NO_SPK_ELEM"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_SPK_DATA, "OMEMO_ERR_MALFORMED_BUNDLE_NO_SPK_DATA"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_SPK_ID_ATTR, "OMEMO_ERR_MALFORMED_BUNDLE_NO_SPK_ID_ATTR"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_SIG_ELEM, "OMEMO_ERR_MALFORMED_BUNDLE_NO_SIG_ELEM"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_SIG_DATA, "OMEMO_ERR_MALFORMED_BUNDLE_NO_SIG_DATA"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_IK_ELEM, "OMEMO_ERR_MALFORMED_BUNDLE_NO_IK_ELEM"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_IK_DATA, "OMEMO_ERR_MALFORMED_BUNDLE_NO_IK_DATA"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_PREKEYS_ELEM, "OMEMO_ERR_MALFORMED_BUNDLE_NO_PREKEYS_ELEM"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_PREKEY_ELEM, "OMEMO_ERR_MALFORMED_BUNDLE_NO_PREKEY_ELEM"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_PREKEY_DATA, "OMEMO_ERR_MALFORMED_BUNDLE_NO_PREKEY_DATA"},
      {OMEMO_ERR_MALFORMED_BUNDLE_NO_PREKEY_ID_ATTR,
       "OMEMO_ERR_MALFORMED_BUNDLE_NO_PREKEY_ID_ATTR"},
      {OMEMO_ERR_MALFORMED_XML, "OMEMO_ERR_MALFORMED_XML"},
      {OMEMO_ERR_MALFORMED_DEVICELIST_NO_ITEMS_ELEM,
       "OMEMO_ERR_MALFORMED_DEVICELIST_NO_ITEMS_ELEM"},
      {OMEMO_ERR_MALFORMED_DEVICELIST_NO_ITEM_ELEM, "OMEMO_ERR_MALFORMED_DEVICELIST_NO_ITEM_ELEM"},
      {OMEMO_ERR_MALFORMED_DEVICELIST_NO_LIST_ELEM, "OMEMO_ERR_MALFORMED_DEVICELIST_NO_LIST_ELEM"},
      {OMEMO_ERR_MALFORMED_DEVICELIST_NO_DEVICE_ID_ATTR,
       "OMEMO_ERR_MALFORMED_DEVICELIST_NO_DEVICE_ID_ATTR"},
      {OMEMO_ERR_MALFORMED_OUTGOING_MESSAGE_NO_BODY_ELEM,
       "OMEMO_ERR_MALFORMED_OUTGOING_MESSAGE_NO_BODY_ELEM"},
      {OMEMO_ERR_MALFORMED_OUTGOING_MESSAGE_NO_BODY_DATA,
       "OMEMO_ERR_MALFORMED_OUTGOING_MESSAGE_NO_BODY_DATA"},
      {OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_BODY_ELEM,
       "OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_BODY_ELEM"},
      {OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_ENCRYPTED_ELEM,
       "OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_ENCRYPTED_ELEM"},
      {OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_HEADER_ELEM,
       "OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_HEADER_ELEM"},
      {OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_PAYLOAD_DATA,
       "OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_PAYLOAD_DATA"},
      {OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_IV_ELEM,
       "OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_IV_ELEM"},
      {OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_IV_DATA,
       "OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_IV_DATA"},
      {OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_KEY_DATA,
       "OMEMO_ERR_MALFORMED_INCOMING_MESSAGE_NO_KEY_DATA"},
  };
  return names;
}

// libomemo's "malformed input" families (-11xxx bundles, -12xxx XML/device lists/messages).
bool is_omemo_malformed(int code) {
  return code <= -11000 && code > -13000;
}

}  // namespace

std::string library_error_name(int code) {
  auto found = error_names().find(code);
  if (found == error_names().end()) return "error " + std::to_string(code);
  return std::string(found->second) + " (" + std::to_string(code) + ")";
}

std::string key_decryption_error_class(int code) {
  switch (code) {
    case SG_ERR_DUPLICATE_MESSAGE:
      return "replay";
    case SG_ERR_INVALID_KEY_ID:  // session_cipher.h: "there is no local pre_key_record"
      return "unknown_prekey";
    case SG_ERR_NO_SESSION:
      return "no_session";
    case SG_ERR_UNTRUSTED_IDENTITY:
      return "untrusted";
    case SG_ERR_INVALID_MESSAGE:  // session_cipher.h: "the input is not valid ciphertext"
    case SG_ERR_INVALID_MAC:
    case SG_ERR_INVALID_KEY:
    case SG_ERR_INVALID_VERSION:
    case SG_ERR_LEGACY_MESSAGE:
    case SG_ERR_INVALID_PROTO_BUF:
      return "bad_data";
    default:
      return "internal";
  }
}

std::string omemo_message_error_class(int code) {
  if (code == OMEMO_ERR_AUTH_FAIL) return "bad_payload_mac";  // the GCM tag does not verify
  if (is_omemo_malformed(code) || code == OMEMO_ERR_UNSUPPORTED_KEY_LEN) return "bad_data";
  return "internal";
}

std::string session_build_error_class(int code, const std::string& axc_log_message) {
  if (code == SG_ERR_INVALID_KEY) {
    // session_builder.h: SG_ERR_INVALID_KEY "if the signature on the signed pre key is invalid".
    if (axc_log_message.find("failed to process pre key bundle") != std::string::npos)
      return "bad_signature";
    // axc_session_from_bundle: "failed to deserialize ... key" (curve_decode_point).
    if (axc_log_message.find("failed to deserialize") != std::string::npos) return "bad_data";
    return "internal";
  }
  if (code == SG_ERR_UNTRUSTED_IDENTITY) return "untrusted";
  if (is_omemo_malformed(code)) return "bad_data";
  return "internal";
}

}  // namespace lurch_adapter
