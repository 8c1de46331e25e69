#include "scenario/vector_check_protocol.h"

namespace oi::scenario::vector_check {

Profile profile_of(const Fields& f) {
  const std::string& word = f.word("Profile");
  if (word == "legacy") return Profile::legacy;
  if (word == "omemo2") return Profile::omemo2;
  throw RecordFieldError("Profile must be legacy or omemo2, not '" + word + "'");
}

engine::omemo2::IdentityKey identity_of(const Fields& f, std::string_view prefix) {
  const std::string kind_field = std::string(prefix) + "IdentityKind";
  const std::string& kind_name = f.word(kind_field);
  const auto kind = engine::omemo2::identity_kind_from_name(kind_name);
  if (!kind) throw RecordFieldError("unknown " + kind_field + " '" + kind_name + "'");
  return engine::omemo2::IdentityKey::from_secret(*kind,
                                                  f.key32(std::string(prefix) + "IdentitySecret"));
}

crypto::CurveKeyPair key_pair_of(const Fields& f, std::string_view name) {
  return crypto::curve25519_from_private(f.key32(name));
}

Observation first_difference(std::initializer_list<std::optional<std::string>> diffs,
                             std::string note) {
  for (const auto& diff : diffs) {
    if (diff) return Observation::mismatched(*diff);
  }
  return Observation::matched(std::move(note));
}

std::optional<std::string> compare_if_present(const Fields& f, std::string_view name,
                                              ByteView got) {
  if (!f.has(name)) return std::nullopt;
  return compare(name, f.hex(name), got);
}

}  // namespace oi::scenario::vector_check
