// Owning handle for libsignal-protocol-c's reference-counted objects (SIGNAL_UNREF on scope exit).
#pragma once

#include <utility>

extern "C" {
#include <signal_protocol.h>
}

namespace oi::engine::legacy {

template <class T>
class SignalRef {
 public:
  SignalRef() = default;
  explicit SignalRef(T* pointer) : pointer_(pointer) {}
  ~SignalRef() { reset(); }
  SignalRef(const SignalRef&) = delete;
  SignalRef& operator=(const SignalRef&) = delete;
  SignalRef(SignalRef&& other) noexcept : pointer_(std::exchange(other.pointer_, nullptr)) {}
  SignalRef& operator=(SignalRef&& other) noexcept {
    if (this != &other) {
      reset();
      pointer_ = std::exchange(other.pointer_, nullptr);
    }
    return *this;
  }

  T* get() const { return pointer_; }
  T** out() {
    reset();
    return &pointer_;
  }
  void reset() {
    if (pointer_ != nullptr) signal_type_unref(reinterpret_cast<signal_type_base*>(pointer_));
    pointer_ = nullptr;
  }

 private:
  T* pointer_ = nullptr;
};

// Owning handle for a signal_buffer.
class SignalBuffer {
 public:
  SignalBuffer() = default;
  ~SignalBuffer() { signal_buffer_free(buffer_); }
  SignalBuffer(const SignalBuffer&) = delete;
  SignalBuffer& operator=(const SignalBuffer&) = delete;
  signal_buffer** out() {
    signal_buffer_free(buffer_);
    buffer_ = nullptr;
    return &buffer_;
  }
  signal_buffer* get() const { return buffer_; }
  const uint8_t* data() const { return signal_buffer_data(buffer_); }
  size_t size() const { return signal_buffer_len(buffer_); }

 private:
  signal_buffer* buffer_ = nullptr;
};

}  // namespace oi::engine::legacy
