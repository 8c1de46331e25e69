// Checkers `hkdf-sha256` and `hmac-sha256`.
#include "crypto/hash.h"
#include "scenario/vector_check.h"

namespace oi::scenario::vector_check {

// Fields: IKM Salt Info L OKM, optional PRK. PRK is checked as HMAC-SHA-256(Salt or 32 zero
// bytes, IKM), which is RFC 5869's extract step. Our code rejects when hkdf_sha256 refuses the
// length (over 255 * 32 bytes, Wycheproof "SizeTooLarge").
Observation check_hkdf_sha256(const Fields& f) {
  const Bytes& ikm = f.hex("IKM");
  const Bytes& salt = f.hex("Salt");
  const Bytes& info = f.hex("Info");
  const Bytes& expected = f.hex("OKM");
  const std::int64_t length = f.integer("L");
  if (length < 0) throw RecordFieldError("L is negative");

  if (const Bytes* prk = f.optional_hex("PRK")) {
    Bytes zero_salt(32, 0);
    auto got = crypto::hmac_sha256(salt.empty() ? ByteView(zero_salt) : ByteView(salt), ikm);
    if (auto diff = compare("PRK", *prk, got)) return Observation::mismatched(*diff);
  }
  auto okm = crypto::hkdf_sha256(ikm, salt, info, static_cast<std::size_t>(length));
  if (!okm) return Observation::rejected("hkdf_sha256 refused L = " + std::to_string(length));
  if (auto diff = compare("OKM", expected, *okm)) return Observation::mismatched(*diff);
  return Observation::matched();
}

// Fields: Key Msg Tag, TagSize (bits; usually group-level). Accepting means: the tag has
// TagSize/8 bytes and hmac_sha256_verify holds. Independently of the Result, the checker also
// requires hmac_sha256_verify to agree with hmac_sha256_truncated, so a verify function that
// accepts a wrong tag is caught on the valid records too.
Observation check_hmac_sha256(const Fields& f) {
  const Bytes& key = f.hex("Key");
  const Bytes& msg = f.hex("Msg");
  const Bytes& tag = f.hex("Tag");
  const std::int64_t tag_bits = f.integer("TagSize");
  if (tag_bits <= 0 || tag_bits > 256 || tag_bits % 8 != 0) {
    throw RecordFieldError("TagSize must be a multiple of 8 in 8..256");
  }
  const auto tag_length = static_cast<std::size_t>(tag_bits / 8);
  const Bytes computed = crypto::hmac_sha256_truncated(key, msg, tag_length);
  const bool verified = crypto::hmac_sha256_verify(key, msg, tag);
  if (tag.size() != tag_length) {
    if (f.result() == codec::VecResult::valid) {
      throw RecordFieldError("Tag length does not match TagSize in a valid record");
    }
    return Observation::rejected("tag is " + std::to_string(tag.size()) + " bytes, expected " +
                                 std::to_string(tag_length));
  }
  const bool equal = computed == tag;
  if (verified != equal) {
    return Observation::mismatched(std::string("hmac_sha256_verify returned ") +
                                   (verified ? "true" : "false") + " but the truncated HMAC is " +
                                   to_hex(computed));
  }
  if (!verified) {
    return Observation::rejected("tag does not verify (HMAC is " + to_hex(computed) + ")");
  }
  return Observation::matched();
}

}  // namespace oi::scenario::vector_check
