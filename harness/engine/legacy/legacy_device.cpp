#include "engine/legacy/legacy_device.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <stdexcept>

#include "codec/signal_messages.h"
#include "engine/legacy/payload.h"
#include "engine/legacy/ratchet_steps.h"
#include "engine/state_codec.h"
#include "engine/xml_misbehaviour.h"

namespace oi::engine::legacy {

namespace {

constexpr std::size_t kMinimumPreKeys = 20;  // R-LEG-011
constexpr std::uint32_t kSkipAhead = 10;     // counter-skip
constexpr std::uint32_t kFarAhead = 2100;    // counter-far-ahead: past libsignal's 2000

RemoteAddress to_remote(const DeviceAddress& address) {
  return {address.jid, address.device_id};
}

std::uint32_t draw_device_id(crypto::RandomSource& random) {
  return random.uniform(0x7FFFFFFF) + 1;  // 1..2^31-1 (R-LEG-002)
}

BundleKeys to_bundle_keys(const codec::Bundle& bundle) {
  BundleKeys keys;
  keys.identity_key = bundle.identity_key;
  keys.signed_pre_key_id = bundle.signed_pre_key_id;
  keys.signed_pre_key = bundle.signed_pre_key;
  keys.signed_pre_key_signature = bundle.signed_pre_key_signature;
  for (const codec::PreKey& pre_key : bundle.pre_keys) {
    keys.pre_keys.emplace_back(pre_key.id, pre_key.public_key);
  }
  return keys;
}

Bytes strip_type_byte(const Bytes& key) {
  return key.size() == 33 && key[0] == 0x05 ? Bytes(key.begin() + 1, key.end()) : key;
}

// Null when `private_key` is 32 bytes and `public_key` is its 33-byte libsignal public key;
// otherwise the reason.
std::optional<std::string> key_pair_mismatch(const Bytes& private_key, const Bytes& public_key,
                                             std::string_view what) {
  if (private_key.size() != 32) {
    return fmt::format("{}: private key of {} bytes, expected 32", what, private_key.size());
  }
  if (public_key.size() != 33) {
    return fmt::format("{}: public key of {} bytes, expected 33", what, public_key.size());
  }
  Key32 scalar{};
  std::copy(private_key.begin(), private_key.end(), scalar.begin());
  if (legacy_public_key(scalar) != public_key) {
    return fmt::format("{}: the public key is not the private key's", what);
  }
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<Device>> LegacyDevice::from_keys(const DeviceOptions& options,
                                                        const DeviceKeys& keys,
                                                        crypto::RandomSource random) {
  if (!keys.signed_pre_key) throw std::invalid_argument("a device built from keys needs an SPK");
  const DeviceKeys::SignedPreKey& spk = *keys.signed_pre_key;
  if (auto bad = key_pair_mismatch(keys.identity_private, keys.identity_public, "identity key"))
    return fail(DecryptError::bad_data, *bad);
  if (auto bad = key_pair_mismatch(spk.private_key, spk.public_key, "signed prekey"))
    return fail(DecryptError::bad_data, *bad);
  if (spk.signature.size() != 64) {
    return fail(
        DecryptError::bad_data,
        fmt::format("signed prekey signature of {} bytes, expected 64", spk.signature.size()));
  }
  ImportedKeys imported;
  imported.identity_private = keys.identity_private;
  imported.registration_id = keys.registration_id;
  imported.signed_pre_key = ImportedKeys::SignedPreKey{spk.id, spk.private_key, spk.signature};
  std::set<std::uint32_t> ids;
  for (const DeviceKeys::KeyPair& pre_key : keys.pre_keys) {
    if (auto bad = key_pair_mismatch(pre_key.private_key, pre_key.public_key,
                                     fmt::format("prekey {}", pre_key.id)))
      return fail(DecryptError::bad_data, *bad);
    if (!ids.insert(pre_key.id).second)
      return fail(DecryptError::bad_data, fmt::format("prekey id {} given twice", pre_key.id));
    imported.pre_keys.emplace_back(pre_key.id, pre_key.private_key);
  }
  if (!legacy_verify(keys.identity_public, spk.public_key, spk.signature)) {
    return fail(DecryptError::bad_signature, "the signed prekey signature does not verify");
  }
  return std::unique_ptr<Device>(
      new LegacyDevice(options, imported, keys.pre_keys.size(), std::move(random)));
}

LegacyDevice::LegacyDevice(const DeviceOptions& options, const ImportedKeys& keys,
                           std::size_t pre_key_count, crypto::RandomSource random)
    : Device(options.trust_policy),
      jid_(options.jid),
      device_id_(options.device_id),
      pre_key_count_(pre_key_count),
      random_(random.derive("device")),
      core_(random.derive("libsignal"), keys) {
  if (jid_.empty()) throw std::invalid_argument("a device needs a JID");
  if (device_id_ == 0) device_id_ = draw_device_id(random_);
  core_.set_trust_callback({});
}

LegacyDevice::LegacyDevice(const DeviceOptions& options, crypto::RandomSource random)
    : Device(options.trust_policy),
      jid_(options.jid),
      device_id_(options.device_id),
      pre_key_count_(std::max(options.pre_key_count, kMinimumPreKeys)),
      random_(random.derive("device")),
      core_(random.derive("libsignal"), /*registration_id=*/0, pre_key_count_) {
  if (jid_.empty()) throw std::invalid_argument("a device needs a JID");
  if (device_id_ == 0) device_id_ = draw_device_id(random_);
  // Trust gates sending (checked in encrypt); libsignal itself accepts every identity, so that
  // untrusted senders can still be decrypted and flagged (R-LEG-040).
  core_.set_trust_callback({});
}

std::string LegacyDevice::fingerprint() const {
  const Bytes& identity = core_.identity_public();
  return format_fingerprint(ByteView(identity).subspan(1));
}

codec::Bundle LegacyDevice::bundle() const {
  BundleKeys keys = core_.bundle_keys();
  codec::Bundle bundle;
  bundle.profile = codec::Profile::legacy;
  bundle.signed_pre_key_id = keys.signed_pre_key_id;
  bundle.signed_pre_key = keys.signed_pre_key;
  bundle.signed_pre_key_signature = keys.signed_pre_key_signature;
  bundle.identity_key = keys.identity_key;
  for (auto& [id, key] : keys.pre_keys) bundle.pre_keys.push_back({id, key});
  if (misbehaviours_.is_enabled(Misbehaviour::bad_signed_prekey_signature)) {
    bundle.signed_pre_key_signature[0] ^= 0x01;
  }
  if (misbehaviours_.is_enabled(Misbehaviour::legacy_key_without_type_byte)) {
    bundle.identity_key = strip_type_byte(bundle.identity_key);
    bundle.signed_pre_key = strip_type_byte(bundle.signed_pre_key);
    for (codec::PreKey& pre_key : bundle.pre_keys)
      pre_key.public_key = strip_type_byte(pre_key.public_key);
  }
  return bundle;
}

std::size_t LegacyDevice::refresh_bundle() {
  return core_.replenish_pre_keys(pre_key_count_).size();
}

void LegacyDevice::rotate_signed_pre_key() {
  core_.rotate_signed_pre_key();
}

Result<std::monostate> LegacyDevice::build_session(const DeviceAddress& remote,
                                                   const codec::Bundle& bundle) {
  if (bundle.profile != codec::Profile::legacy) {
    return fail(DecryptError::bad_data, "an OMEMO 2 bundle given to a legacy device");
  }
  BundleKeys keys = to_bundle_keys(bundle);
  std::optional<std::uint32_t> pre_key_id;
  if (!misbehaviours_.is_enabled(Misbehaviour::key_exchange_without_prekey)) {
    if (keys.pre_keys.empty()) return fail(DecryptError::bad_data, "the bundle has no prekeys");
    auto last = last_pre_key_used_.find(remote);
    bool reuse = misbehaviours_.is_enabled(Misbehaviour::reuse_consumed_prekey) &&
                 last != last_pre_key_used_.end();
    pre_key_id =
        reuse ? last->second
              : keys.pre_keys[random_.uniform(static_cast<std::uint32_t>(keys.pre_keys.size()))]
                    .first;
  }
  Result<std::monostate> built = core_.build_session(to_remote(remote), keys, pre_key_id);
  if (!built) return built;
  trust_.observe(remote, keys.identity_key);
  if (pre_key_id) last_pre_key_used_[remote] = *pre_key_id;
  return built;
}

bool LegacyDevice::has_session(const DeviceAddress& remote) const {
  return core_.has_session(to_remote(remote));
}

void LegacyDevice::apply_ratchet_misbehaviours(EncryptedKey& key) const {
  bool wrong_mac = misbehaviours_.is_enabled(Misbehaviour::wrong_ratchet_mac);
  bool truncated_mac = misbehaviours_.is_enabled(Misbehaviour::truncated_ratchet_mac);
  if (!wrong_mac && !truncated_mac) return;
  // The MAC is the last 8 bytes of a SignalMessage; a PreKeySignalMessage carries one inside.
  auto damage = [&](Bytes& signal_message) {
    if (wrong_mac) signal_message.back() ^= 0x01;
    if (truncated_mac) signal_message.resize(signal_message.size() - 4);
  };
  if (!key.is_prekey) {
    damage(key.data);
    return;
  }
  codec::Parsed<codec::PreKeySignalMessage> parsed = codec::parse_pre_key_signal_message(key.data);
  if (!parsed.value) return;
  damage(parsed.value->message);
  key.data = codec::serialize_pre_key_signal_message(*parsed.value);
}

Result<EncryptedOutput> LegacyDevice::encrypt(const std::optional<std::string>& body,
                                              const std::vector<DeviceAddress>& recipients,
                                              const StanzaContext& /*stanza*/) {
  if (misbehaviours_.is_enabled(Misbehaviour::replay_message) && last_output_) {
    return *last_output_;
  }
  EncryptedOutput output;
  output.element.profile = codec::Profile::legacy;
  output.element.sid = device_id_;
  Bytes key_material;
  if (body) {
    PayloadLayout layout;
    if (misbehaviours_.is_enabled(Misbehaviour::iv_16_bytes)) layout.iv_length = 16;
    layout.tag_in_payload = misbehaviours_.is_enabled(Misbehaviour::tag_in_payload);
    SealedPayload sealed = seal_payload(as_bytes(*body), random_, layout);
    if (misbehaviours_.is_enabled(Misbehaviour::wrong_payload_mac)) sealed.payload.back() ^= 0x01;
    output.element.iv = std::move(sealed.iv);
    output.element.payload = std::move(sealed.payload);
    key_material = std::move(sealed.key_material);
  } else {
    key_material = key_transport_material(random_);
    output.element.iv = random_.bytes(12);
  }

  codec::RecipientKeys keys;  // legacy keys carry no JID
  for (const DeviceAddress& recipient : recipients) {
    if (recipient.jid == jid_ && recipient.device_id == device_id_) continue;  // never to self
    RemoteAddress remote = to_remote(recipient);
    if (!core_.has_session(remote)) {
      return fail(DecryptError::no_session,
                  fmt::format("no session with {}/{}", recipient.jid, recipient.device_id));
    }
    auto identity = core_.store().identities.find(remote);
    if (body && identity != core_.store().identities.end() &&
        !trust_.is_trusted(recipient, identity->second)) {
      output.skipped_untrusted.push_back(recipient);
      continue;
    }
    std::uint32_t extra = misbehaviours_.is_enabled(Misbehaviour::counter_far_ahead) ? kFarAhead
                          : misbehaviours_.is_enabled(Misbehaviour::counter_skip)    ? kSkipAhead
                                                                                     : 0;
    for (std::uint32_t i = 0; i < extra; ++i) {
      if (!core_.encrypt(remote, key_material)) break;  // advance the counter; the bytes are lost
    }
    Result<EncryptedKey> encrypted = core_.encrypt(remote, key_material);
    if (!encrypted) return encrypted.failure();
    apply_ratchet_misbehaviours(*encrypted);
    keys.keys.push_back({recipient.device_id, encrypted->is_prekey, std::move(encrypted->data)});
  }
  if (keys.keys.empty()) {
    return fail(output.skipped_untrusted.empty() ? DecryptError::bad_data : DecryptError::untrusted,
                "no recipient device left to encrypt for");
  }
  output.element.recipients.push_back(std::move(keys));
  output.xml = serialize_with_misbehaviours(output.element, misbehaviours_);
  last_output_ = output;
  return output;
}

Result<Bytes> LegacyDevice::decrypt_key(const DeviceAddress& sender, const codec::KeyElement& key) {
  Result<Bytes> result = core_.decrypt(to_remote(sender), key.data, key.kex);
  // R-LEG-022: libomemo < 0.8.0 omitted the prekey attribute; retry as a PreKeySignalMessage.
  if (!result && !key.kex && result.error() == DecryptError::bad_data) {
    Result<Bytes> retried = core_.decrypt(to_remote(sender), key.data, true);
    if (retried) return retried;
  }
  return result;
}

Result<ReceivedMessage> LegacyDevice::decrypt(const codec::Encrypted& element,
                                              const StanzaContext& stanza) {
  if (element.profile != codec::Profile::legacy) {
    return fail(DecryptError::bad_data, "an OMEMO 2 element given to a legacy device");
  }
  std::vector<const codec::KeyElement*> keys = codec::keys_for(element, device_id_);
  if (keys.empty()) {
    return fail(DecryptError::not_for_this_device,
                fmt::format("no <key rid='{}'> in the element", device_id_));
  }
  if (!element.iv) return fail(DecryptError::bad_data, "no <iv> in the header");
  if (element.sid == 0 || element.sid > 0x7FFFFFFF) {
    return fail(DecryptError::bad_data,
                fmt::format("sender device id {} is outside 1..2^31-1 (R-LEG-002)", element.sid));
  }
  DeviceAddress sender{stanza.from, element.sid};
  // Atomic: a ratchet step whose payload then fails is undone.
  SessionCore::Transaction transaction(core_);
  const std::size_t pre_keys_before = core_.store().pre_keys.size();
  // R-LEG-028: with several keys for our id (a device-id clash across JIDs), try each.
  std::optional<Failure> first_failure;
  for (const codec::KeyElement* key : keys) {
    Result<Bytes> key_material = decrypt_key(sender, *key);
    if (!key_material) {
      if (!first_failure) first_failure = key_material.failure();
      continue;
    }
    ReceivedMessage received;
    // Only a key exchange that consumed a prekey changes the bundle (a repeated one with the
    // same base key decrypts on the existing session, R-LEG-032).
    received.was_key_exchange = core_.store().pre_keys.size() < pre_keys_before;
    if (element.payload) {
      Result<Bytes> body = open_payload(*key_material, *element.iv, *element.payload);
      if (!body) {
        transaction.rollback();
        return body.failure();
      }
      received.body = std::string(body->begin(), body->end());
    }
    transaction.commit();
    auto identity = core_.store().identities.find(to_remote(sender));
    if (identity != core_.store().identities.end()) {
      trust_.observe(sender, identity->second);
      received.sender_trusted = trust_.is_trusted(sender, identity->second);
    }
    return received;
  }
  transaction.rollback();  // each failed key was undone already; this ends the transaction
  return *first_failure;
}

std::optional<Bytes> LegacyDevice::remote_identity(const DeviceAddress& remote) const {
  auto identity = core_.store().identities.find(to_remote(remote));
  if (identity == core_.store().identities.end()) return std::nullopt;
  return identity->second;
}

Bytes LegacyDevice::export_state() const {
  StateWriter out;
  out.text("legacy-device/1");
  out.text(jid_);
  out.u32(device_id_);
  out.blob(core_.export_state());
  out.blob(trust_.export_state());
  out.blob(random_.export_state());
  return out.take();
}

bool LegacyDevice::import_state(ByteView state) {
  StateReader in(state);
  auto tag = in.text();
  auto jid = in.text();
  auto device_id = in.u32();
  auto core = in.blob();
  auto trust = in.blob();
  auto random = in.blob();
  if (!tag || *tag != "legacy-device/1" || !jid || !device_id || !core || !trust || !random ||
      !in.at_end()) {
    return false;
  }
  Bytes core_before = core_.export_state();
  if (!core_.import_state(*core)) return false;
  TrustStore trust_store;
  std::optional<crypto::RandomSource> restored_random = crypto::RandomSource::import_state(*random);
  if (!trust_store.import_state(*trust) || !restored_random) {
    core_.import_state(core_before);
    return false;
  }
  jid_ = *jid;
  device_id_ = *device_id;
  trust_ = std::move(trust_store);
  random_ = std::move(*restored_random);
  last_output_.reset();
  return true;
}

}  // namespace oi::engine::legacy
