// Checkers for primitive known-answer vectors: one function per `#! check:` name, each running
// one record against the harness's crypto layer and reporting what our code did. The runner
// (vector_run.cpp) turns that observation and the record's Result into a verdict:
//
//   observation   Result valid   Result invalid   Result acceptable
//   match         pass           fail (accepted)  info "accepted: ..."
//   mismatch      fail           fail (accepted)  fail (accepted, but computed something else)
//   rejected      fail           pass             info "rejected: ..."
//
// A checker throws RecordFieldError when the record lacks a field it needs (or has it with the
// wrong type or size); the runner reports that as an `error` naming the line. Any other
// exception escaping a crypto call counts as a rejection by our code.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "codec/vec_file.h"
#include "crypto/bytes.h"

namespace oi::scenario::vector_check {

struct Observation {
  enum class Kind { match, mismatch, rejected };
  Kind kind = Kind::match;
  // match: optional note on what happened ("shared secret all-zero"); mismatch: "Field:
  // expected X, got Y"; rejected: why our code refused.
  std::string detail;

  static Observation matched(std::string note = {}) { return {Kind::match, std::move(note)}; }
  static Observation mismatched(std::string what) { return {Kind::mismatch, std::move(what)}; }
  static Observation rejected(std::string why) { return {Kind::rejected, std::move(why)}; }
};

class RecordFieldError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Typed access to a record's fields (own and inherited). Every accessor that returns a value
// throws RecordFieldError when the field is absent or has another type.
class Fields {
 public:
  Fields(const codec::VecRecord& record, std::string_view checker)
      : record_(record), checker_(checker) {}

  bool has(std::string_view name) const { return record_.find(name) != nullptr; }
  const Bytes& hex(std::string_view name) const;
  const Bytes* optional_hex(std::string_view name) const;
  std::int64_t integer(std::string_view name) const;
  std::optional<std::int64_t> optional_integer(std::string_view name) const;
  const std::string& word(std::string_view name) const;  // enum
  // A hex field that must hold exactly 32 bytes (a key); RecordFieldError otherwise.
  Key32 key32(std::string_view name) const;
  codec::VecResult result() const { return record_.result; }

 private:
  const codec::VecValue& get(std::string_view name, codec::VecFieldType type) const;

  const codec::VecRecord& record_;
  std::string_view checker_;
};

// Mismatch text for one output, or nullopt when `got` equals `expected`.
std::optional<std::string> compare(std::string_view what, ByteView expected, ByteView got);

using CheckFunction = Observation (*)(const Fields&);

struct Checker {
  std::string_view name;
  CheckFunction run;
  std::string_view fields;  // the fields it reads, for README and error texts
};

// Every checker, sorted by name.
const std::vector<Checker>& checkers();
const Checker* find_checker(std::string_view name);

// vector_check_kdf.cpp
Observation check_hkdf_sha256(const Fields& f);
Observation check_hmac_sha256(const Fields& f);
// vector_check_curve.cpp
Observation check_x25519(const Fields& f);
Observation check_ed25519(const Fields& f);
Observation check_ed25519_x25519_conversion(const Fields& f);
Observation check_xeddsa(const Fields& f);
Observation check_curvesig(const Fields& f);
// vector_check_aes.cpp
Observation check_aes_gcm(const Fields& f);
Observation check_aes_cbc_pkcs7(const Fields& f);

}  // namespace oi::scenario::vector_check
