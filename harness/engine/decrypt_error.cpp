#include "engine/decrypt_error.h"

namespace oi::engine {

std::string_view decrypt_error_name(DecryptError error) {
  switch (error) {
    case DecryptError::bad_data:
      return "bad_data";
    case DecryptError::no_session:
      return "no_session";
    case DecryptError::bad_signature:
      return "bad_signature";
    case DecryptError::untrusted:
      return "untrusted";
    case DecryptError::unknown_prekey:
      return "unknown_prekey";
    case DecryptError::replay:
      return "replay";
    case DecryptError::skip_limit:
      return "skip_limit";
    case DecryptError::not_for_this_device:
      return "not_for_this_device";
    case DecryptError::bad_payload_mac:
      return "bad_payload_mac";
  }
  return "unknown";
}

}  // namespace oi::engine
