// The canonical error classes of a failed receive, shared by both profiles, and the result type
// the engine's receive paths return.
//
// Contract for every engine operation that returns Result<T>: on failure, no state the caller
// passed in (session, prekey store, device) has changed. Scenarios compare exported state bytes
// before and after to check this.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace oi::engine {

enum class DecryptError {
  bad_data,             // unparsable, malformed or unauthenticated (ratchet MAC) input
  no_session,           // a normal message from a device without a session
  bad_signature,        // a bundle whose signed-prekey signature does not verify
  untrusted,            // the trust policy refuses the sender's identity
  unknown_prekey,       // a key exchange naming a prekey or signed prekey we do not hold
  replay,               // a message whose key was already used (duplicate)
  skip_limit,           // a counter too far ahead (MAX_SKIP)
  not_for_this_device,  // no <key> for our device
  bad_payload_mac,      // the payload HMAC (OMEMO 2) or GCM tag (legacy) does not verify
};

// "bad_data", "no_session", ... (stable: used in reports and the adapter protocol).
std::string_view decrypt_error_name(DecryptError error);

struct Failure {
  DecryptError error = DecryptError::bad_data;
  std::string detail;  // human-readable reason, for logs and test messages
};

// A value or a Failure. Deliberately small (C++20 has no std::expected).
template <class T>
class Result {
 public:
  Result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}            // NOLINT
  Result(Failure failure) : storage_(std::in_place_index<1>, std::move(failure)) {}  // NOLINT

  bool has_value() const { return storage_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  // Precondition: has_value().
  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Precondition: !has_value().
  const Failure& failure() const { return std::get<1>(storage_); }
  DecryptError error() const { return failure().error; }

 private:
  std::variant<T, Failure> storage_;
};

inline Failure fail(DecryptError error, std::string detail) {
  return Failure{error, std::move(detail)};
}

}  // namespace oi::engine
