#include "error_classes.h"

extern "C" {
#include <omemo/signal_protocol.h>
}

namespace oi::libomemo_c {
namespace {

std::string describe(int code, const std::string& log) {
  return library_error_name(code) + (log.empty() ? "" : " (library log: " + log + ")");
}

bool contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

std::string library_error_name(int code) {
  switch (code) {
    case SG_ERR_NOMEM:
      return "SG_ERR_NOMEM";
    case SG_ERR_INVAL:
      return "SG_ERR_INVAL";
    case SG_ERR_UNKNOWN:
      return "SG_ERR_UNKNOWN";
    case SG_ERR_DUPLICATE_MESSAGE:
      return "SG_ERR_DUPLICATE_MESSAGE";
    case SG_ERR_INVALID_KEY:
      return "SG_ERR_INVALID_KEY";
    case SG_ERR_INVALID_KEY_ID:
      return "SG_ERR_INVALID_KEY_ID";
    case SG_ERR_INVALID_MAC:
      return "SG_ERR_INVALID_MAC";
    case SG_ERR_INVALID_MESSAGE:
      return "SG_ERR_INVALID_MESSAGE";
    case SG_ERR_INVALID_VERSION:
      return "SG_ERR_INVALID_VERSION";
    case SG_ERR_LEGACY_MESSAGE:
      return "SG_ERR_LEGACY_MESSAGE";
    case SG_ERR_NO_SESSION:
      return "SG_ERR_NO_SESSION";
    case SG_ERR_STALE_KEY_EXCHANGE:
      return "SG_ERR_STALE_KEY_EXCHANGE";
    case SG_ERR_UNTRUSTED_IDENTITY:
      return "SG_ERR_UNTRUSTED_IDENTITY";
    case SG_ERR_VRF_SIG_VERIF_FAILED:
      return "SG_ERR_VRF_SIG_VERIF_FAILED";
    case SG_ERR_INVALID_PROTO_BUF:
      return "SG_ERR_INVALID_PROTO_BUF";
    default:
      return "libomemo-c error " + std::to_string(code);
  }
}

ClassifiedError classify_decrypt_error(int code, const std::string& log) {
  const std::string detail = describe(code, log);
  switch (code) {
    case SG_ERR_DUPLICATE_MESSAGE:
      return {"replay", detail};
    case SG_ERR_NO_SESSION:
      return {"no_session", detail};
    case SG_ERR_INVALID_KEY_ID:
      return {"unknown_prekey", detail};
    case SG_ERR_UNTRUSTED_IDENTITY:
      return {"untrusted", detail};
    // Unparsable input: the protobuf or version byte the library rejects.
    case SG_ERR_INVALID_PROTO_BUF:
    case SG_ERR_INVALID_VERSION:
    case SG_ERR_LEGACY_MESSAGE:
    case SG_ERR_INVALID_KEY:
    case SG_ERR_INVALID_MAC:
      return {"bad_data", detail};
    case SG_ERR_INVALID_MESSAGE:
      // session_cipher.c logs why: "Over N messages into the future!" is its MAX_SKIP check;
      // everything else it reports with this code (bad MAC, no matching state, malformed
      // message) is unauthenticated or malformed input.
      if (contains(log, "into the future")) return {"skip_limit", detail};
      return {"bad_data", detail};
    case SG_ERR_UNKNOWN:
      // signal_message_verify_mac answers a MAC of the wrong length with SG_ERR_UNKNOWN and logs
      // "MAC length mismatch" / "Error attempting to verify message mac": unauthenticated input.
      if (contains(log, "verify message mac")) return {"bad_data", detail};
      return {"internal", detail};
    default:
      return {"internal", detail};
  }
}

ClassifiedError classify_bundle_error(int code, const std::string& log) {
  const std::string detail = describe(code, log);
  // session_builder.c: "invalid signature on device key!" with SG_ERR_INVALID_KEY.
  if (code == SG_ERR_INVALID_KEY && contains(log, "signature")) return {"bad_signature", detail};
  if (code == SG_ERR_INVALID_KEY || code == SG_ERR_INVALID_PROTO_BUF) return {"bad_data", detail};
  if (code == SG_ERR_UNTRUSTED_IDENTITY) return {"untrusted", detail};
  return {"internal", detail};
}

}  // namespace oi::libomemo_c
