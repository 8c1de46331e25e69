#include "engine/omemo2/message_cipher.h"

#include <algorithm>

#include "crypto/hash.h"
#include "crypto/symmetric.h"
#include "engine/omemo2/constants.h"
#include "engine/omemo2/kdf.h"

namespace oi::engine::omemo2 {
namespace {

Bytes mac_input(const AssociatedData& associated_data, ByteView message_bytes) {
  Bytes input(associated_data.begin(), associated_data.end());
  input.insert(input.end(), message_bytes.begin(), message_bytes.end());
  return input;
}

std::string first_must(const std::vector<codec::Finding>& findings) {
  for (const codec::Finding& finding : findings)
    if (finding.severity == codec::Severity::must) return finding.message;
  return "unusable OMEMOAuthenticatedMessage";
}

}  // namespace

codec::OmemoAuthenticatedMessage seal_message(const Key32& message_key, const MessageHeader& header,
                                              ByteView plaintext,
                                              const AssociatedData& associated_data) {
  const MessageKeys keys = expand_message_key(message_key);
  codec::OmemoMessage message;
  message.n = header.n;
  message.pn = header.pn;
  message.dh_pub.assign(header.dh_pub.begin(), header.dh_pub.end());
  message.ciphertext = crypto::aes_cbc_pkcs7_encrypt(keys.encryption_key, keys.iv, plaintext);

  codec::OmemoAuthenticatedMessage authenticated;
  authenticated.message_bytes = codec::serialize_omemo_message(message);
  authenticated.mac = crypto::hmac_sha256_truncated(
      keys.authentication_key, mac_input(associated_data, authenticated.message_bytes), kMacLength);
  authenticated.message = std::move(message);
  return authenticated;
}

Result<codec::OmemoAuthenticatedMessage> parse_authenticated_message(ByteView wire) {
  codec::Parsed<codec::OmemoAuthenticatedMessage> parsed =
      codec::parse_omemo_authenticated_message(wire);
  if (!parsed.value || codec::contains_must(parsed.findings))
    return fail(DecryptError::bad_data, first_must(parsed.findings));
  return std::move(*parsed.value);
}

MessageHeader header_of(const codec::OmemoMessage& message) {
  MessageHeader header;
  header.n = message.n;
  header.pn = message.pn;
  std::copy_n(message.dh_pub.begin(), std::min<std::size_t>(32, message.dh_pub.size()),
              header.dh_pub.begin());
  return header;
}

Result<Bytes> open_message(const Key32& message_key,
                           const codec::OmemoAuthenticatedMessage& message,
                           const AssociatedData& associated_data) {
  // hmac_sha256_verify accepts any prefix length; a truncated MAC is a forgery aid (R-OM2-015).
  if (message.mac.size() != kMacLength)
    return fail(DecryptError::bad_data, "OMEMOAuthenticatedMessage MAC is not 16 bytes");
  const MessageKeys keys = expand_message_key(message_key);
  if (!crypto::hmac_sha256_verify(keys.authentication_key,
                                  mac_input(associated_data, message.message_bytes), message.mac))
    return fail(DecryptError::bad_data, "OMEMOAuthenticatedMessage MAC does not verify");
  if (!message.message.ciphertext)
    return fail(DecryptError::bad_data, "OMEMOMessage has no ciphertext");
  std::optional<Bytes> plaintext =
      crypto::aes_cbc_pkcs7_decrypt(keys.encryption_key, keys.iv, *message.message.ciphertext);
  if (!plaintext)
    return fail(DecryptError::bad_data, "OMEMOMessage ciphertext has bad PKCS#7 padding");
  return std::move(*plaintext);
}

}  // namespace oi::engine::omemo2
