// Checkers for known-answer vectors: one function per `#! check:` name, each running one record
// against the harness's crypto layer (primitive vectors) or engine (protocol vectors) and
// reporting what our code did; conversations use a GroupCheck (below) that carries state across
// the records of one [group]. The runner
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

#include <algorithm>
#include <cstdint>
#include <memory>
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
  const std::string& text(std::string_view name) const;  // str
  const std::vector<std::string>& list(std::string_view name) const;
  const std::string* optional_word(std::string_view name) const;
  // A hex field that must hold exactly N bytes; RecordFieldError otherwise.
  template <std::size_t N>
  ByteArray<N> array(std::string_view name) const {
    const Bytes& bytes = hex(name);
    if (bytes.size() != N) size_error(name, bytes.size(), N);
    ByteArray<N> out;
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return out;
  }
  // A hex field that must hold exactly 32 bytes (a key); RecordFieldError otherwise.
  Key32 key32(std::string_view name) const;
  codec::VecResult result() const { return record_.result; }
  int line() const { return record_.line; }

 private:
  [[noreturn]] void size_error(std::string_view name, std::size_t got, std::size_t want) const;
  const codec::VecValue& get(std::string_view name, codec::VecFieldType type) const;

  const codec::VecRecord& record_;
  std::string_view checker_;
};

// Mismatch text for one output, or nullopt when `got` equals `expected`.
std::optional<std::string> compare(std::string_view what, ByteView expected, ByteView got);

using CheckFunction = Observation (*)(const Fields&);

// A multi-step checker (a conversation): one object per [group], fed the group's records in file
// order, carrying state (sessions) from one record to the next. The runner makes it with the
// group's first record (whose inherited group-level fields hold the fixed keys); a RecordFieldError
// from the factory makes every record of the group an error. A RecordFieldError from step() makes
// that record an error and every later record of the group an error naming it ("not checked"),
// since the state can no longer be trusted. Any other exception from step() counts as a
// rejection of that record, as for single-record checkers, and the group goes on.
class GroupCheck {
 public:
  virtual ~GroupCheck() = default;
  virtual Observation step(const Fields& f) = 0;
};
using GroupCheckFactory = std::unique_ptr<GroupCheck> (*)(const Fields& first);

struct Checker {
  std::string_view name;
  CheckFunction run;                        // single-record checker, or nullptr
  std::string_view fields;                  // the fields it reads, for README and error texts
  GroupCheckFactory start_group = nullptr;  // multi-step checker (then `run` is nullptr)
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
// vector_check_ratchet_kdf.cpp (Profile = legacy | omemo2)
Observation check_chain_kdf(const Fields& f);
Observation check_root_kdf(const Fields& f);
// vector_check_x3dh.cpp
Observation check_x3dh(const Fields& f);
// vector_check_bundle.cpp
Observation check_bundle_signature(const Fields& f);
Observation check_fingerprint(const Fields& f);
// vector_check_payload.cpp
Observation check_omemo2_payload(const Fields& f);
// vector_check_wire.cpp
Observation check_wire_format(const Fields& f);
// vector_check_session_legacy.cpp, vector_check_session_omemo2.cpp
std::unique_ptr<GroupCheck> start_legacy_session(const Fields& first);
std::unique_ptr<GroupCheck> start_omemo2_session(const Fields& first);

}  // namespace oi::scenario::vector_check
