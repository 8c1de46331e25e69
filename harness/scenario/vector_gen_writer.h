// Renders omemo-vec/1 files for the protocol vector generators (vector_gen_*.cpp), byte for byte
// as vectors/tools/vecwriter.py renders the primitive files: header lines, then `#! requirements`,
// `#! check`, `#! fields`, comment lines, and one block per group.
//
// Also the generators' source of fixed key material: every key is derived from a label, so a
// new record never shifts the keys of another.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "crypto/bytes.h"
#include "crypto/random_source.h"

namespace oi::scenario::vector_gen {

struct Text {  // rendered as "..." (a str field, or a hex field holding UTF-8 text)
  std::string text;
};
struct Word {  // an enum value
  std::string word;
};
struct List {  // a list value
  std::vector<std::string> items;
};
using Value = std::variant<Bytes, std::int64_t, Text, Word, List>;
using FieldList = std::vector<std::pair<std::string, Value>>;

class VecWriter {
 public:
  // `fields`: "Name:type" declarations (the reserved Id/Result/... are added at the end).
  VecWriter(std::string title, std::string check, std::vector<std::string> requirements,
            std::vector<std::string> fields);

  void header(std::string key, std::string value);  // spec, source, license, generator, ...
  void comment(std::string_view text);              // below the header, "# " prefixed
  void group(std::string name, FieldList fields = {}, std::vector<std::string> comments = {});
  // Adds a record to the last group; Id is assigned (1, 2, ...) and Result follows it.
  void record(std::string_view result, FieldList fields);

  std::size_t count() const { return next_id_ - 1; }
  std::string render() const;

 private:
  struct Group {
    std::string name;
    std::vector<std::string> comments;
    FieldList fields;
    std::vector<FieldList> records;
  };
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string check_;
  std::vector<std::string> requirements_;
  std::vector<std::string> fields_;
  std::vector<std::string> preamble_;
  std::vector<Group> groups_;
  std::int64_t next_id_ = 1;
};

// Small conveniences for building FieldLists.
inline Value hex(ByteView bytes) {
  return Bytes(bytes.begin(), bytes.end());
}
inline Value text(std::string_view s) {
  return Text{std::string(s)};
}
inline Value word(std::string_view s) {
  return Word{std::string(s)};
}
inline Value integer(std::int64_t n) {
  return n;
}

// Fixed key material from labels: the stream of `RandomSource::seeded(seed).derive(label)`.
class KeySource {
 public:
  explicit KeySource(std::string_view seed);
  Bytes bytes(std::string_view label, std::size_t count) const;
  Key32 key32(std::string_view label) const;
  // A clamped Curve25519 private key (the form every implementation stores).
  Key32 curve_private(std::string_view label) const;
  ByteArray<64> nonce64(std::string_view label) const;

 private:
  crypto::RandomSource root_;
};

// Hand-built protobuf pieces for the wire-format vectors, where the bytes must be exactly as
// written (malformed on purpose), which the codec's canonical writer cannot produce.
Bytes varint(std::uint64_t value);
Bytes field_varint(std::uint32_t number, std::uint64_t value);
Bytes field_bytes(std::uint32_t number, ByteView value);

}  // namespace oi::scenario::vector_gen
