// Error codes of libsignal-protocol-c (SG_ERR_*), libaxc (AXC_ERR_*) and libomemo (OMEMO_ERR_*),
// named and translated into the canonical classes of PROTOCOL.md §7.1. Only codes whose meaning
// the libraries document are mapped; everything else is "internal" (translate, never guess).
#pragma once

#include <string>

namespace lurch_adapter {

// "SG_ERR_DUPLICATE_MESSAGE (-1001)", "OMEMO_ERR_AUTH_FAIL (-10020)", or "error -42".
std::string library_error_name(int code);

// The class of a failed decryption of the <key> element (axc/libsignal codes).
std::string key_decryption_error_class(int code);

// The class of a failed libomemo call on an incoming <message> (parsing, payload decryption).
std::string omemo_message_error_class(int code);

// The class of a failed session build from a fetched bundle (libomemo import, axc/libsignal).
// SG_ERR_INVALID_KEY means both "bad signed-prekey signature" (session_builder.h) and "key of
// the wrong type or length" (curve_decode_point); axc's log message says which step failed.
std::string session_build_error_class(int code, const std::string& axc_log_message);

}  // namespace lurch_adapter
