#include "engine/legacy/session_core.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/curve25519.h"
#include "engine/legacy/signal_ref.h"
#include "engine/state_codec.h"

extern "C" {
#include <curve.h>
#include <key_helper.h>
#include <protocol.h>
#include <ratchet.h>
#include <session_builder.h>
#include <session_cipher.h>
#include <session_pre_key.h>
}

namespace oi::engine::legacy {

namespace {

void check(int code, const char* what) {
  if (code < 0) throw std::runtime_error(fmt::format("libsignal: {} failed ({})", what, code));
}

Bytes serialize_public(const ec_public_key* key) {
  SignalBuffer buffer;
  check(ec_public_key_serialize(buffer.out(), key), "ec_public_key_serialize");
  return Bytes(buffer.data(), buffer.data() + buffer.size());
}

Bytes serialize_private(const ec_private_key* key) {
  SignalBuffer buffer;
  check(ec_private_key_serialize(buffer.out(), key), "ec_private_key_serialize");
  return Bytes(buffer.data(), buffer.data() + buffer.size());
}

// The address libsignal keeps a pointer to: the struct and its name must outlive the builder or
// cipher that uses it, hence this holder.
struct AddressHolder {
  explicit AddressHolder(const RemoteAddress& remote)
      : name(remote.jid),
        address{name.c_str(), name.size(), static_cast<int32_t>(remote.device_id)} {}
  std::string name;
  signal_protocol_address address;
};

}  // namespace

SessionCore::SessionCore(crypto::RandomSource random, std::uint32_t registration_id,
                         std::size_t pre_key_count, std::uint32_t signed_pre_key_id,
                         std::uint32_t first_pre_key_id)
    : random_(std::move(random)), context_(random_), next_pre_key_id_(first_pre_key_id) {
  SignalRef<ratchet_identity_key_pair> identity;
  check(signal_protocol_key_helper_generate_identity_key_pair(identity.out(), context_.get()),
        "generate_identity_key_pair");
  store_.set_identity(serialize_public(ratchet_identity_key_pair_get_public(identity.get())),
                      serialize_private(ratchet_identity_key_pair_get_private(identity.get())),
                      registration_id);
  store_.attach(context_.get());
  generate_signed_pre_key(signed_pre_key_id);
  replenish_pre_keys(pre_key_count);
}

namespace {

// A libsignal key pair from a 32-byte private key; std::invalid_argument when it is not one.
void key_pair_from_private(SignalRef<ec_key_pair>& pair, ByteView private_key,
                           signal_context* context, const char* what) {
  if (private_key.size() != 32) {
    throw std::invalid_argument(
        fmt::format("{}: private key of {} bytes, expected 32", what, private_key.size()));
  }
  SignalRef<ec_private_key> priv;
  check(curve_decode_private_point(priv.out(), private_key.data(), private_key.size(), context),
        "curve_decode_private_point");
  SignalRef<ec_public_key> pub;
  check(curve_generate_public_key(pub.out(), priv.get()), "curve_generate_public_key");
  check(ec_key_pair_create(pair.out(), pub.get(), priv.get()), "ec_key_pair_create");
}

}  // namespace

SessionCore::SessionCore(crypto::RandomSource random, const ImportedKeys& keys)
    : random_(std::move(random)), context_(random_) {
  SignalRef<ec_key_pair> identity;
  key_pair_from_private(identity, keys.identity_private, context_.get(), "identity key");
  store_.set_identity(serialize_public(ec_key_pair_get_public(identity.get())),
                      serialize_private(ec_key_pair_get_private(identity.get())),
                      keys.registration_id);
  store_.attach(context_.get());
  std::uint32_t highest_pre_key_id = 0;
  for (const auto& [id, private_key] : keys.pre_keys) {
    SignalRef<ec_key_pair> pair;
    key_pair_from_private(pair, private_key, context_.get(), "prekey");
    SignalRef<session_pre_key> pre_key;
    check(session_pre_key_create(pre_key.out(), id, pair.get()), "session_pre_key_create");
    SignalBuffer record;
    check(session_pre_key_serialize(record.out(), pre_key.get()), "session_pre_key_serialize");
    store_.pre_keys[id] = Bytes(record.data(), record.data() + record.size());
    highest_pre_key_id = std::max(highest_pre_key_id, id);
  }
  next_pre_key_id_ = highest_pre_key_id % 0xFFFFFE + 1;
  if (!keys.signed_pre_key) return;
  const ImportedKeys::SignedPreKey& spk = *keys.signed_pre_key;
  SignalRef<ec_key_pair> pair;
  key_pair_from_private(pair, spk.private_key, context_.get(), "signed prekey");
  Bytes spk_public = serialize_public(ec_key_pair_get_public(pair.get()));
  Bytes signature = spk.signature;
  if (signature.empty()) {
    SignalBuffer made;
    check(curve_calculate_signature(context_.get(), made.out(),
                                    ec_key_pair_get_private(identity.get()), spk_public.data(),
                                    spk_public.size()),
          "curve_calculate_signature");
    signature.assign(made.data(), made.data() + made.size());
  }
  if (signature.size() != 64 ||
      curve_verify_signature(ec_key_pair_get_public(identity.get()), spk_public.data(),
                             spk_public.size(), signature.data(), signature.size()) != 1) {
    throw std::invalid_argument("the signed prekey signature does not verify");
  }
  SignalRef<session_signed_pre_key> signed_pre_key;
  // Timestamp 0, as generate_signed_pre_key() uses.
  check(session_signed_pre_key_create(signed_pre_key.out(), spk.id, 0, pair.get(), signature.data(),
                                      signature.size()),
        "session_signed_pre_key_create");
  SignalBuffer record;
  check(session_signed_pre_key_serialize(record.out(), signed_pre_key.get()),
        "session_signed_pre_key_serialize");
  store_.signed_pre_keys[spk.id] = Bytes(record.data(), record.data() + record.size());
}

void SessionCore::generate_signed_pre_key(std::uint32_t id) {
  SignalRef<ratchet_identity_key_pair> identity;
  SignalRef<ec_public_key> public_key;
  SignalRef<ec_private_key> private_key;
  check(curve_decode_point(public_key.out(), store_.identity_public().data(),
                           store_.identity_public().size(), context_.get()),
        "curve_decode_point");
  check(curve_decode_private_point(private_key.out(), store_.identity_private().data(),
                                   store_.identity_private().size(), context_.get()),
        "curve_decode_private_point");
  check(ratchet_identity_key_pair_create(identity.out(), public_key.get(), private_key.get()),
        "ratchet_identity_key_pair_create");
  SignalRef<session_signed_pre_key> signed_pre_key;
  // Timestamp 0: the legacy wire never carries it, and a fixed value keeps runs reproducible.
  check(signal_protocol_key_helper_generate_signed_pre_key(signed_pre_key.out(), identity.get(), id,
                                                           0, context_.get()),
        "generate_signed_pre_key");
  SignalBuffer record;
  check(session_signed_pre_key_serialize(record.out(), signed_pre_key.get()),
        "session_signed_pre_key_serialize");
  store_.signed_pre_keys[id] = Bytes(record.data(), record.data() + record.size());
}

void SessionCore::rotate_signed_pre_key() {
  std::uint32_t current = store_.signed_pre_keys.rbegin()->first;
  // Keep only the current one as the previous key (R-OM2-007 grace period; A-32 for legacy).
  std::erase_if(store_.signed_pre_keys, [&](const auto& entry) { return entry.first != current; });
  generate_signed_pre_key(current % 0xFFFFFE + 1);
}

Bytes SessionCore::export_state() const {
  StateWriter out;
  out.blob(store_.export_state());
  out.u32(next_pre_key_id_);
  out.blob(random_.export_state());
  return out.take();
}

bool SessionCore::import_state(ByteView state) {
  StateReader in(state);
  auto store = in.blob();
  auto next_pre_key_id = in.u32();
  auto random = in.blob();
  if (!store || !next_pre_key_id || !random || !in.at_end()) return false;
  std::optional<crypto::RandomSource> restored = crypto::RandomSource::import_state(*random);
  if (!restored || !store_.import_state(*store)) return false;
  next_pre_key_id_ = *next_pre_key_id;
  random_ = std::move(*restored);  // in place: the context keeps pointing at random_
  return true;
}

SessionCore::Transaction::Transaction(SessionCore& core)
    : core_(&core),
      mark_(core.store_.begin()),
      random_(core.random_),
      next_pre_key_id_(core.next_pre_key_id_) {}

SessionCore::Transaction::~Transaction() {
  if (core_ != nullptr) rollback();
}

void SessionCore::Transaction::commit() {
  core_->store_.commit(mark_);
  core_ = nullptr;
}

void SessionCore::Transaction::rollback() {
  core_->store_.rollback(mark_);
  core_->next_pre_key_id_ = next_pre_key_id_;
  core_->random_ = random_;  // in place: the context keeps pointing at core_->random_
  core_ = nullptr;
}

SignalRef<ec_key_pair> SessionCore::generate_key_pair() {
  // The private key comes from libsignal (its random draw and clamping, so scripted randomness
  // and the generated vectors are unchanged); the public key from libsodium, ~4x faster than
  // libsignal's curve25519-donna and the same value (RFC 7748 base-point multiplication).
  SignalRef<ec_private_key> private_key;
  check(curve_generate_private_key(context_.get(), private_key.out()),
        "curve_generate_private_key");
  Bytes private_bytes = serialize_private(private_key.get());
  Key32 scalar;
  std::copy_n(private_bytes.begin(), scalar.size(), scalar.begin());
  crypto::CurveKeyPair pair = crypto::curve25519_from_private(scalar);
  Bytes public_bytes{0x05};
  public_bytes.insert(public_bytes.end(), pair.public_key.begin(), pair.public_key.end());
  SignalRef<ec_public_key> public_key;
  check(curve_decode_point(public_key.out(), public_bytes.data(), public_bytes.size(),
                           context_.get()),
        "curve_decode_point");
  SignalRef<ec_key_pair> key_pair;
  check(ec_key_pair_create(key_pair.out(), public_key.get(), private_key.get()),
        "ec_key_pair_create");
  return key_pair;
}

std::vector<std::uint32_t> SessionCore::replenish_pre_keys(std::size_t target) {
  std::vector<std::uint32_t> added;
  while (store_.pre_keys.size() < target) {
    // libsignal's ids live in 1..0xFFFFFE (spec A-10); skip ids still in use after wrapping.
    std::uint32_t id = next_pre_key_id_;
    next_pre_key_id_ = next_pre_key_id_ % 0xFFFFFE + 1;
    if (store_.pre_keys.contains(id)) continue;
    SignalRef<ec_key_pair> key_pair = generate_key_pair();
    SignalRef<session_pre_key> pre_key;
    check(session_pre_key_create(pre_key.out(), id, key_pair.get()), "session_pre_key_create");
    SignalBuffer record;
    check(session_pre_key_serialize(record.out(), pre_key.get()), "session_pre_key_serialize");
    store_.pre_keys[id] = Bytes(record.data(), record.data() + record.size());
    added.push_back(id);
  }
  return added;
}

BundleKeys SessionCore::bundle_keys() const {
  BundleKeys bundle;
  bundle.identity_key = store_.identity_public();
  const auto& [spk_id, spk_record] = *store_.signed_pre_keys.rbegin();
  SignalRef<session_signed_pre_key> signed_pre_key;
  check(session_signed_pre_key_deserialize(signed_pre_key.out(), spk_record.data(),
                                           spk_record.size(), context_.get()),
        "session_signed_pre_key_deserialize");
  bundle.signed_pre_key_id = spk_id;
  bundle.signed_pre_key = serialize_public(
      ec_key_pair_get_public(session_signed_pre_key_get_key_pair(signed_pre_key.get())));
  const uint8_t* signature = session_signed_pre_key_get_signature(signed_pre_key.get());
  bundle.signed_pre_key_signature =
      Bytes(signature, signature + session_signed_pre_key_get_signature_len(signed_pre_key.get()));
  for (const auto& [id, record] : store_.pre_keys) {
    SignalRef<session_pre_key> pre_key;
    check(session_pre_key_deserialize(pre_key.out(), record.data(), record.size(), context_.get()),
          "session_pre_key_deserialize");
    bundle.pre_keys.emplace_back(
        id, serialize_public(ec_key_pair_get_public(session_pre_key_get_key_pair(pre_key.get()))));
  }
  return bundle;
}

Failure SessionCore::failure_from(int code, const char* operation) const {
  std::string detail = fmt::format("{}: libsignal error {}{}{}", operation, code,
                                   context_.log().empty() ? "" : ": ", context_.log());
  switch (code) {
    case SG_ERR_NO_SESSION:
      return {DecryptError::no_session, detail};
    case SG_ERR_DUPLICATE_MESSAGE:
      return {DecryptError::replay, detail};
    case SG_ERR_INVALID_KEY_ID:
      return {DecryptError::unknown_prekey, detail};
    case SG_ERR_UNTRUSTED_IDENTITY:
      return {DecryptError::untrusted, detail};
    case SG_ERR_INVALID_MESSAGE:
      // One code for several causes; libsignal's log line tells them apart.
      if (context_.log().find("future") != std::string::npos) {
        return {DecryptError::skip_limit, detail};
      }
      return {DecryptError::bad_data, detail};  // includes a ratchet MAC failure
    default:
      return {DecryptError::bad_data, detail};
  }
}

Result<std::monostate> SessionCore::build_session(const RemoteAddress& remote,
                                                  const BundleKeys& bundle,
                                                  std::optional<std::uint32_t> pre_key_id) {
  const Bytes* pre_key = nullptr;
  if (pre_key_id) {
    auto found = std::find_if(bundle.pre_keys.begin(), bundle.pre_keys.end(),
                              [&](const auto& entry) { return entry.first == *pre_key_id; });
    if (found == bundle.pre_keys.end()) {
      return Failure{DecryptError::unknown_prekey,
                     fmt::format("prekey {} is not in the bundle", *pre_key_id)};
    }
    pre_key = &found->second;
  }
  context_.clear_log();
  SignalRef<ec_public_key> identity, signed_pre_key, one_time_pre_key;
  if (curve_decode_point(identity.out(), bundle.identity_key.data(), bundle.identity_key.size(),
                         context_.get()) != 0 ||
      curve_decode_point(signed_pre_key.out(), bundle.signed_pre_key.data(),
                         bundle.signed_pre_key.size(), context_.get()) != 0 ||
      (pre_key != nullptr && curve_decode_point(one_time_pre_key.out(), pre_key->data(),
                                                pre_key->size(), context_.get()) != 0)) {
    return Failure{DecryptError::bad_data, "a bundle key is not a 33-byte 0x05-prefixed key"};
  }
  SignalRef<session_pre_key_bundle> libsignal_bundle;
  // Registration id 0: OMEMO publishes none (spec A-30).
  int code = session_pre_key_bundle_create(
      libsignal_bundle.out(), 0, static_cast<int>(remote.device_id), pre_key_id.value_or(0),
      one_time_pre_key.get(), bundle.signed_pre_key_id, signed_pre_key.get(),
      bundle.signed_pre_key_signature.data(), bundle.signed_pre_key_signature.size(),
      identity.get());
  if (code != 0) return failure_from(code, "session_pre_key_bundle_create");

  AddressHolder address(remote);
  session_builder* builder = nullptr;
  check(session_builder_create(&builder, store_.attach(context_.get()), &address.address,
                               context_.get()),
        "session_builder_create");
  code = session_builder_process_pre_key_bundle(builder, libsignal_bundle.get());
  session_builder_free(builder);
  if (code == SG_ERR_INVALID_KEY) {
    return Failure{DecryptError::bad_signature, "the signed prekey signature does not verify"};
  }
  if (code != 0) return failure_from(code, "session_builder_process_pre_key_bundle");
  return std::monostate{};
}

bool SessionCore::has_session(const RemoteAddress& remote) const {
  return store_.sessions.contains(remote);
}

Result<EncryptedKey> SessionCore::encrypt(const RemoteAddress& remote, ByteView key_material) {
  if (!has_session(remote)) {
    return Failure{DecryptError::no_session,
                   fmt::format("no session with {}/{}", remote.jid, remote.device_id)};
  }
  AddressHolder address(remote);
  session_cipher* cipher = nullptr;
  check(session_cipher_create(&cipher, store_.attach(context_.get()), &address.address,
                              context_.get()),
        "session_cipher_create");
  SignalRef<ciphertext_message> message;
  int code =
      session_cipher_encrypt(cipher, key_material.data(), key_material.size(), message.out());
  session_cipher_free(cipher);
  if (code != 0) return failure_from(code, "session_cipher_encrypt");
  signal_buffer* serialized = ciphertext_message_get_serialized(message.get());
  EncryptedKey result;
  result.data = Bytes(signal_buffer_data(serialized),
                      signal_buffer_data(serialized) + signal_buffer_len(serialized));
  result.is_prekey = ciphertext_message_get_type(message.get()) == CIPHERTEXT_PREKEY_TYPE;
  return result;
}

Result<Bytes> SessionCore::decrypt(const RemoteAddress& remote, ByteView data, bool is_prekey) {
  context_.clear_log();
  Transaction transaction(*this);
  AddressHolder address(remote);
  session_cipher* cipher = nullptr;
  check(session_cipher_create(&cipher, store_.attach(context_.get()), &address.address,
                              context_.get()),
        "session_cipher_create");
  SignalBuffer plaintext;
  int code = 0;
  const char* operation = "";
  if (is_prekey) {
    SignalRef<pre_key_signal_message> message;
    operation = "pre_key_signal_message_deserialize";
    code =
        pre_key_signal_message_deserialize(message.out(), data.data(), data.size(), context_.get());
    if (code == 0) {
      operation = "session_cipher_decrypt_pre_key_signal_message";
      code = session_cipher_decrypt_pre_key_signal_message(cipher, message.get(), nullptr,
                                                           plaintext.out());
    }
  } else {
    SignalRef<signal_message> message;
    operation = "signal_message_deserialize";
    code = signal_message_deserialize(message.out(), data.data(), data.size(), context_.get());
    if (code == 0) {
      operation = "session_cipher_decrypt_signal_message";
      code = session_cipher_decrypt_signal_message(cipher, message.get(), nullptr, plaintext.out());
    }
  }
  session_cipher_free(cipher);
  if (code != 0) {
    transaction.rollback();
    return failure_from(code, operation);
  }
  transaction.commit();
  return Bytes(plaintext.data(), plaintext.data() + plaintext.size());
}

}  // namespace oi::engine::legacy
