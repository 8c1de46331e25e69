// Owning handles for libomemo-c's reference-counted objects and buffers, and the conversion of
// its return codes into exceptions for the calls that must not fail (key generation, encoding).
#pragma once

extern "C" {
#include <omemo/signal_protocol.h>
}

#include <stdexcept>
#include <string>

#include "base64.h"

namespace oi::libomemo_c {

// A libomemo-c call failed; `code` is its SG_ERR_* value.
struct LibraryError : std::runtime_error {
  LibraryError(int result, const std::string& call)
      : std::runtime_error(call + " failed with " + std::to_string(result)), code(result) {}
  int code;
};

inline void check(int result, const char* what) {
  if (result < 0) throw LibraryError(result, what);
}

template <class T>
class Ref {
 public:
  Ref() = default;
  explicit Ref(T* owned) : pointer_(owned) {}
  ~Ref() { reset(); }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  T** out() {
    reset();
    return &pointer_;
  }
  void reset() {
    if (pointer_ != nullptr) signal_type_unref(reinterpret_cast<signal_type_base*>(pointer_));
    pointer_ = nullptr;
  }
  T* get() const { return pointer_; }

 private:
  T* pointer_ = nullptr;
};

class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(signal_buffer* owned) : pointer_(owned) {}
  ~Buffer() { signal_buffer_free(pointer_); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  signal_buffer** out() {
    signal_buffer_free(pointer_);
    pointer_ = nullptr;
    return &pointer_;
  }
  signal_buffer* get() const { return pointer_; }
  Bytes bytes() const {
    if (pointer_ == nullptr) return {};
    return Bytes(signal_buffer_data(pointer_),
                 signal_buffer_data(pointer_) + signal_buffer_len(pointer_));
  }

 private:
  signal_buffer* pointer_ = nullptr;
};

inline signal_buffer* buffer_of(const Bytes& bytes) {
  return signal_buffer_create(bytes.data(), bytes.size());
}

}  // namespace oi::libomemo_c
