// Helpers shared by the protocol checkers (vector_check_*.cpp beyond the primitive ones): the
// profile switch, identity keys and key pairs read from records, and first-difference reporting.
// Internal to the scenario library.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/curve25519.h"
#include "engine/omemo2/identity.h"
#include "scenario/vector_check.h"

namespace oi::scenario::vector_check {

enum class Profile { legacy, omemo2 };

// The `Profile` field (legacy | omemo2); RecordFieldError for anything else.
Profile profile_of(const Fields& f);

// An OMEMO 2 identity from `<prefix>IdentityKind` (enum: ed25519_seed, curve25519_xeddsa,
// curve25519_true_sign) and `<prefix>IdentitySecret` (32 bytes).
engine::omemo2::IdentityKey identity_of(const Fields& f, std::string_view prefix);

// A Curve25519 key pair from the 32-byte private key in field `name`.
crypto::CurveKeyPair key_pair_of(const Fields& f, std::string_view name);

// The first difference among `diffs` as a mismatch, else a match with `note`.
Observation first_difference(std::initializer_list<std::optional<std::string>> diffs,
                             std::string note = {});

// `compare` for a named field of the record, when the record has it; nullopt when absent.
std::optional<std::string> compare_if_present(const Fields& f, std::string_view name, ByteView got);

}  // namespace oi::scenario::vector_check
