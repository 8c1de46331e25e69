// Checkers `aes-gcm` and `aes-cbc-pkcs7`.
#include "crypto/symmetric.h"
#include "scenario/vector_check.h"

namespace oi::scenario::vector_check {

// Fields: Key IV Aad Msg Ct Tag. Acceptance = aes_gcm_decrypt releases a plaintext, which must
// equal Msg. On valid records encryption must also reproduce Ct and Tag (with the tag length
// of the record). An exception from the API (unsupported key or IV length) is a rejection.
Observation check_aes_gcm(const Fields& f) {
  const Bytes& key = f.hex("Key");
  const Bytes& iv = f.hex("IV");
  const Bytes& aad = f.hex("Aad");
  const Bytes& msg = f.hex("Msg");
  const Bytes& ct = f.hex("Ct");
  const Bytes& tag = f.hex("Tag");
  if (f.result() == codec::VecResult::valid) {
    if (tag.size() < 4 || tag.size() > 16) throw RecordFieldError("Tag must be 4..16 bytes");
    const crypto::GcmSealed sealed = crypto::aes_gcm_encrypt(key, iv, msg, aad, tag.size());
    if (auto diff = compare("Ct", ct, sealed.ciphertext)) return Observation::mismatched(*diff);
    if (auto diff = compare("Tag", tag, sealed.tag)) return Observation::mismatched(*diff);
  }
  auto plain = crypto::aes_gcm_decrypt(key, iv, ct, aad, tag);
  if (!plain) return Observation::rejected("aes_gcm_decrypt: tag does not verify");
  if (auto diff = compare("Msg", msg, *plain)) return Observation::mismatched(*diff);
  return Observation::matched("decrypted");
}

// Fields: Key IV Msg, and either Ct (PKCS#7-padded ciphertext) or CtPrefix.
//
// Ct: acceptance = aes_cbc_pkcs7_decrypt returns a plaintext (bad padding is the rejection),
// which must equal Msg; on valid records encryption must reproduce Ct.
//
// CtPrefix is for NIST SP 800-38A, whose CBC vectors have no padding: our API always pads, so
// encrypt(Msg) = CtPrefix ‖ one more block. CBC is prefix-preserving (block i depends only on
// blocks 1..i), so the first |CtPrefix| bytes of our ciphertext must equal CtPrefix, and the
// output must be exactly one block longer (the full padding block for a block-aligned Msg).
Observation check_aes_cbc_pkcs7(const Fields& f) {
  const Bytes& key = f.hex("Key");
  const Bytes& iv = f.hex("IV");
  const Bytes& msg = f.hex("Msg");
  if (const Bytes* prefix = f.optional_hex("CtPrefix")) {
    if (msg.size() % 16 != 0 || prefix->size() != msg.size()) {
      throw RecordFieldError("CtPrefix needs a block-aligned Msg of the same length");
    }
    const Bytes ct = crypto::aes_cbc_pkcs7_encrypt(key, iv, msg);
    if (ct.size() != msg.size() + 16) {
      return Observation::mismatched("ciphertext is " + std::to_string(ct.size()) +
                                     " bytes, expected " + std::to_string(msg.size() + 16));
    }
    if (auto diff = compare("CtPrefix", *prefix,
                            ByteView(ct).first(static_cast<std::size_t>(prefix->size())))) {
      return Observation::mismatched(*diff);
    }
    return Observation::matched("ciphertext prefix as expected");
  }
  const Bytes& ct = f.hex("Ct");
  if (f.result() == codec::VecResult::valid) {
    if (auto diff = compare("Ct", ct, crypto::aes_cbc_pkcs7_encrypt(key, iv, msg))) {
      return Observation::mismatched(*diff);
    }
  }
  auto plain = crypto::aes_cbc_pkcs7_decrypt(key, iv, ct);
  if (!plain) return Observation::rejected("aes_cbc_pkcs7_decrypt: bad padding or length");
  if (auto diff = compare("Msg", msg, *plain)) return Observation::mismatched(*diff);
  return Observation::matched("decrypted");
}

}  // namespace oi::scenario::vector_check
