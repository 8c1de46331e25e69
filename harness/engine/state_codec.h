// A minimal length-prefixed binary writer/reader for the engine's exported device state
// (sessions, prekeys, trust). The format is private to one harness version; readers return
// nullopt instead of reading past the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/bytes.h"

namespace oi::engine {

class StateWriter {
 public:
  void u8(std::uint8_t value) { out_.push_back(value); }
  void u32(std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8)
      out_.push_back(static_cast<uint8_t>(value >> shift));
  }
  void blob(ByteView data) {
    u32(static_cast<std::uint32_t>(data.size()));
    out_.insert(out_.end(), data.begin(), data.end());
  }
  void text(std::string_view value) { blob(as_bytes(value)); }
  Bytes take() { return std::move(out_); }

 private:
  Bytes out_;
};

class StateReader {
 public:
  explicit StateReader(ByteView data) : data_(data) {}
  std::optional<std::uint8_t> u8() {
    if (offset_ >= data_.size()) return std::nullopt;
    return data_[offset_++];
  }
  std::optional<std::uint32_t> u32() {
    if (data_.size() - offset_ < 4) return std::nullopt;
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) value |= std::uint32_t{data_[offset_ + i]} << (8 * i);
    offset_ += 4;
    return value;
  }
  std::optional<Bytes> blob() {
    auto size = u32();
    if (!size || data_.size() - offset_ < *size) return std::nullopt;
    Bytes out(data_.begin() + static_cast<std::ptrdiff_t>(offset_),
              data_.begin() + static_cast<std::ptrdiff_t>(offset_ + *size));
    offset_ += *size;
    return out;
  }
  std::optional<std::string> text() {
    auto bytes = blob();
    if (!bytes) return std::nullopt;
    return std::string(bytes->begin(), bytes->end());
  }
  bool at_end() const { return offset_ == data_.size(); }

 private:
  ByteView data_;
  std::size_t offset_ = 0;
};

}  // namespace oi::engine
