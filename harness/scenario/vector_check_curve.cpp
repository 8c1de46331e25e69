// Checkers `x25519`, `ed25519`, `ed25519-x25519-conversion`, `xeddsa` and `curvesig`.
#include <algorithm>

#include "crypto/curve25519.h"
#include "scenario/vector_check.h"

namespace oi::scenario::vector_check {

namespace {

std::string sign_bit_note(ByteView ed_public_key) {
  return ed_public_key.size() == 32 && (ed_public_key[31] & 0x80) ? " (sign bit 1)" : "";
}

}  // namespace

// Fields: Private Public Shared, optional Iterations (RFC 7748 §5.2: k = X25519(k, u), u = old
// k, repeated; Public is the starting u). x25519 never refuses a peer key; it flags an all-zero
// result, which the observation notes (Wycheproof marks those "acceptable"). A private key that
// is not 32 bytes cannot be passed to our API and counts as a rejection.
Observation check_x25519(const Fields& f) {
  const Bytes& private_key = f.hex("Private");
  const Bytes& public_key = f.hex("Public");
  const Bytes& expected = f.hex("Shared");
  if (private_key.size() != 32) {
    return Observation::rejected("private key is " + std::to_string(private_key.size()) +
                                 " bytes (the API takes 32)");
  }
  Key32 k;
  std::copy(private_key.begin(), private_key.end(), k.begin());

  if (auto iterations = f.optional_integer("Iterations")) {
    if (*iterations < 1 || public_key.size() != 32) {
      throw RecordFieldError("Iterations needs a value >= 1 and a 32-byte Public");
    }
    Key32 u;
    std::copy(public_key.begin(), public_key.end(), u.begin());
    for (std::int64_t i = 0; i < *iterations; ++i) {
      Key32 next = crypto::x25519(k, u).shared_secret;
      u = k;
      k = next;
    }
    if (auto diff = compare("Shared", expected, k)) return Observation::mismatched(*diff);
    return Observation::matched();
  }

  const crypto::X25519Output out = crypto::x25519(k, public_key);
  const bool zero = std::all_of(out.shared_secret.begin(), out.shared_secret.end(),
                                [](std::uint8_t b) { return b == 0; });
  if (zero != out.is_all_zero) {
    return Observation::mismatched(std::string("is_all_zero is ") +
                                   (out.is_all_zero ? "true" : "false") + " for shared secret " +
                                   to_hex(out.shared_secret));
  }
  if (auto diff = compare("Shared", expected, out.shared_secret)) {
    return Observation::mismatched(*diff);
  }
  return Observation::matched(out.is_all_zero ? "shared secret all-zero (is_all_zero set)"
                                              : "shared secret as expected");
}

// Fields: PublicKey Msg Sig, optional Seed. Acceptance = ed25519_verify. With a Seed, the
// public key must follow from it, and on valid records signing must reproduce Sig (Ed25519
// signing is deterministic).
Observation check_ed25519(const Fields& f) {
  const Bytes& public_key = f.hex("PublicKey");
  const Bytes& msg = f.hex("Msg");
  const Bytes& sig = f.hex("Sig");
  if (f.has("Seed")) {
    const Key32 seed = f.key32("Seed");
    const crypto::EdKeyPair pair = crypto::ed25519_from_seed(seed);
    if (auto diff = compare("PublicKey", public_key, pair.public_key)) {
      return Observation::mismatched(*diff);
    }
    if (f.result() == codec::VecResult::valid) {
      if (auto diff = compare("Sig", sig, crypto::ed25519_sign(seed, msg))) {
        return Observation::mismatched(*diff);
      }
    }
  }
  if (!crypto::ed25519_verify(public_key, msg, sig)) {
    return Observation::rejected("ed25519_verify returned false");
  }
  return Observation::matched("ed25519_verify returned true");
}

// Fields: Op (group-level), then per Op:
//   ed-pub-to-curve       EdPub -> CurvePub     (rejected: nullopt, e.g. small order)
//   curve-pub-to-ed       CurvePub SignBit -> EdPub (rejected: nullopt, u = -1)
//   seed-to-curve-priv    Seed -> CurvePriv
//   curve-priv-to-ed-pub  CurvePriv -> EdPub (the true sign bit of a*B)
Observation check_ed25519_x25519_conversion(const Fields& f) {
  const std::string& op = f.word("Op");
  if (op == "ed-pub-to-curve") {
    auto got = crypto::ed25519_public_to_curve25519(f.hex("EdPub"));
    if (!got) return Observation::rejected("ed25519_public_to_curve25519 returned nullopt");
    if (auto diff = compare("CurvePub", f.hex("CurvePub"), *got)) {
      return Observation::mismatched(*diff);
    }
    return Observation::matched();
  }
  if (op == "curve-pub-to-ed") {
    const std::int64_t sign_bit = f.integer("SignBit");
    if (sign_bit != 0 && sign_bit != 1) throw RecordFieldError("SignBit must be 0 or 1");
    auto got = crypto::curve25519_public_to_ed25519(f.key32("CurvePub"), sign_bit == 1);
    if (!got) return Observation::rejected("curve25519_public_to_ed25519 returned nullopt");
    if (auto diff = compare("EdPub", f.hex("EdPub"), *got)) return Observation::mismatched(*diff);
    return Observation::matched();
  }
  if (op == "seed-to-curve-priv") {
    auto got = crypto::ed25519_seed_to_curve25519(f.key32("Seed"));
    if (auto diff = compare("CurvePriv", f.hex("CurvePriv"), got)) {
      return Observation::mismatched(*diff);
    }
    return Observation::matched();
  }
  if (op == "curve-priv-to-ed-pub") {
    auto got = crypto::curve25519_private_to_ed25519_public(f.key32("CurvePriv"));
    if (auto diff = compare("EdPub", f.hex("EdPub"), got)) return Observation::mismatched(*diff);
    return Observation::matched(sign_bit_note(got));
  }
  throw RecordFieldError("unknown Op '" + op + "'");
}

namespace {

// Shared by xeddsa and curvesig: key-pair consistency, deterministic signing on valid records,
// then acceptance by the verifier.
template <typename Sign, typename Verify>
Observation check_curve_signature(const Fields& f, std::string_view nonce_field, Sign sign,
                                  Verify verify, std::string_view verifier) {
  const Bytes& msg = f.hex("Msg");
  const Bytes& sig = f.hex("Sig");
  const Key32 curve_public = f.key32("CurvePub");
  if (f.has("CurvePriv")) {
    const Key32 curve_private = f.key32("CurvePriv");
    const crypto::CurveKeyPair pair = crypto::curve25519_from_private(curve_private);
    if (auto diff = compare("CurvePub", curve_public, pair.public_key)) {
      return Observation::mismatched(*diff);
    }
    if (f.result() == codec::VecResult::valid && f.has(nonce_field)) {
      const Bytes& nonce = f.hex(nonce_field);
      if (nonce.size() != 64)
        throw RecordFieldError(std::string(nonce_field) + " must be 64 bytes");
      ByteArray<64> nonce64;
      std::copy(nonce.begin(), nonce.end(), nonce64.begin());
      if (auto diff = compare("Sig", sig, sign(curve_private, msg, nonce64))) {
        return Observation::mismatched(*diff);
      }
    }
  }
  if (!verify(curve_public, msg, sig)) {
    return Observation::rejected(std::string(verifier) + " returned false");
  }
  return Observation::matched(std::string(verifier) + " returned true");
}

}  // namespace

// Fields: CurvePub Msg Sig, optional CurvePriv and Z (64 bytes). XEdDSA as the Signal spec
// defines it: the signature always verifies under the sign-bit-0 Ed25519 key; S >= L and a set
// top bit of S are rejected.
Observation check_xeddsa(const Fields& f) {
  return check_curve_signature(
      f, "Z",
      [](const Key32& priv, ByteView msg, const ByteArray<64>& z) {
        return crypto::xeddsa_sign(priv, msg, z);
      },
      [](const Key32& pub, ByteView msg, ByteView sig) {
        return crypto::xeddsa_verify(pub, msg, sig);
      },
      "xeddsa_verify");
}

// Fields: CurvePub Msg Sig, optional CurvePriv and Random (64 bytes, libsignal's signing
// randomness). libsignal-protocol-c curve25519_sign/curve25519_verify semantics: the Ed25519
// sign bit travels in sig[63] & 0x80.
Observation check_curvesig(const Fields& f) {
  return check_curve_signature(
      f, "Random",
      [](const Key32& priv, ByteView msg, const ByteArray<64>& random) {
        return crypto::curvesig_sign(priv, msg, random);
      },
      [](const Key32& pub, ByteView msg, ByteView sig) {
        return crypto::curvesig_verify(pub, msg, sig);
      },
      "curvesig_verify");
}

}  // namespace oi::scenario::vector_check
