#include "engine/omemo2/omemo2_device.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "engine/omemo2/constants.h"
#include "engine/omemo2/message_cipher.h"
#include "engine/omemo2/payload.h"
#include "engine/omemo2/sce.h"
#include "engine/omemo2/sender_misbehaviour.h"
#include "engine/omemo2/state_io.h"
#include "engine/omemo2/x3dh.h"
#include "engine/state_codec.h"
#include "engine/xml_misbehaviour.h"

namespace oi::engine::omemo2 {

namespace {

constexpr std::size_t kMinimumPreKeys = 25;  // R-OM2-006
constexpr std::uint32_t kMaxDeviceId = 0x7FFFFFFF;
constexpr std::uint32_t kSkipAhead = 10;             // counter-skip
constexpr std::uint32_t kFarAhead = kMaxSkip + 100;  // counter-far-ahead: past MAX_SKIP 1000
constexpr std::string_view kStateFormat = "omemo2-device/1";

IdentityKind identity_kind_of(const DeviceOptions& options) {
  std::optional<IdentityKind> kind = identity_kind_from_name(options.identity_kind);
  if (!kind) throw std::invalid_argument("unknown identity kind: " + options.identity_kind);
  return *kind;
}

const std::string& checked_jid(const DeviceOptions& options) {
  if (options.jid.empty()) throw std::invalid_argument("a device needs a JID");
  return options.jid;
}

bool is_valid_device_id(std::uint32_t id) {
  return id != 0 && id <= kMaxDeviceId;
}

template <std::size_t N>
ByteArray<N> to_array(const Bytes& bytes) {
  ByteArray<N> out{};
  std::copy_n(bytes.begin(), std::min(N, bytes.size()), out.begin());
  return out;
}

const codec::PreKey* find_prekey(const codec::Bundle& bundle, std::uint32_t id) {
  auto found = std::find_if(bundle.pre_keys.begin(), bundle.pre_keys.end(),
                            [&](const codec::PreKey& pre_key) { return pre_key.id == id; });
  return found == bundle.pre_keys.end() ? nullptr : &*found;
}

bool is_usable_prekey(const codec::PreKey& pre_key) {
  return is_valid_device_id(pre_key.id) && pre_key.public_key.size() == 32;
}

BundleKeys to_bundle_keys(const codec::Bundle& bundle, std::uint32_t prekey_id) {
  BundleKeys keys;
  keys.identity_key = to_array<32>(bundle.identity_key);
  keys.signed_prekey_id = bundle.signed_pre_key_id;
  keys.signed_prekey = to_array<32>(bundle.signed_pre_key);
  keys.signed_prekey_signature = to_array<64>(bundle.signed_pre_key_signature);
  keys.prekey_id = prekey_id;
  if (const codec::PreKey* pre_key = find_prekey(bundle, prekey_id))
    keys.prekey = to_array<32>(pre_key->public_key);
  return keys;
}

codec::RecipientKeys& group_for(std::vector<codec::RecipientKeys>& groups, const std::string& jid) {
  for (codec::RecipientKeys& group : groups)
    if (group.jid == jid) return group;
  groups.push_back(codec::RecipientKeys{jid, {}});
  return groups.back();
}

// The X25519 key pair of a 32-byte private key whose public key is `public_key`; otherwise the
// reason.
Result<crypto::CurveKeyPair> checked_key_pair(const Bytes& private_key, const Bytes& public_key,
                                              std::string_view what) {
  if (private_key.size() != 32) {
    return fail(DecryptError::bad_data,
                fmt::format("{}: private key of {} bytes, expected 32", what, private_key.size()));
  }
  if (public_key.size() != 32) {
    return fail(DecryptError::bad_data,
                fmt::format("{}: public key of {} bytes, expected 32", what, public_key.size()));
  }
  crypto::CurveKeyPair pair = crypto::curve25519_from_private(to_array<32>(private_key));
  if (!std::equal(public_key.begin(), public_key.end(), pair.public_key.begin())) {
    return fail(DecryptError::bad_data,
                fmt::format("{}: the public key is not the private key's", what));
  }
  return pair;
}

}  // namespace

Result<std::unique_ptr<Device>> Omemo2Device::from_keys(const DeviceOptions& options,
                                                        const DeviceKeys& keys,
                                                        crypto::RandomSource random) {
  const IdentityKind kind = identity_kind_of(options);
  checked_jid(options);
  if (!keys.signed_pre_key) throw std::invalid_argument("a device built from keys needs an SPK");
  const DeviceKeys::SignedPreKey& spk = *keys.signed_pre_key;
  if (keys.identity_private.size() != 32) {
    return fail(DecryptError::bad_data, fmt::format("identity key: private key of {} bytes, "
                                                    "expected 32",
                                                    keys.identity_private.size()));
  }
  if (keys.identity_public.size() != 32) {
    return fail(DecryptError::bad_data,
                fmt::format("identity key: public key of {} bytes, expected 32",
                            keys.identity_public.size()));
  }
  IdentityKey identity = IdentityKey::from_secret(kind, to_array<32>(keys.identity_private));
  if (!std::equal(keys.identity_public.begin(), keys.identity_public.end(),
                  identity.ed25519_public().begin())) {
    return fail(DecryptError::bad_data,
                fmt::format("identity key: the public key is not the {} private key's",
                            identity_kind_name(kind)));
  }
  Result<crypto::CurveKeyPair> spk_pair =
      checked_key_pair(spk.private_key, spk.public_key, "signed prekey");
  if (!spk_pair) return spk_pair.failure();
  if (!is_valid_device_id(spk.id)) {
    return fail(DecryptError::bad_data,
                fmt::format("signed prekey id {} outside 1..2^31-1", spk.id));
  }
  if (spk.signature.size() != 64) {
    return fail(
        DecryptError::bad_data,
        fmt::format("signed prekey signature of {} bytes, expected 64", spk.signature.size()));
  }
  std::map<std::uint32_t, crypto::CurveKeyPair> prekeys;
  for (const DeviceKeys::KeyPair& pre_key : keys.pre_keys) {
    Result<crypto::CurveKeyPair> pair = checked_key_pair(pre_key.private_key, pre_key.public_key,
                                                         fmt::format("prekey {}", pre_key.id));
    if (!pair) return pair.failure();
    if (!is_valid_device_id(pre_key.id)) {
      return fail(DecryptError::bad_data,
                  fmt::format("prekey id {} outside 1..2^31-1", pre_key.id));
    }
    if (!prekeys.emplace(pre_key.id, *pair).second)
      return fail(DecryptError::bad_data, fmt::format("prekey id {} given twice", pre_key.id));
  }
  if (!signed_prekey_signature_is_valid(keys.identity_public, spk_pair->public_key,
                                        spk.signature)) {
    return fail(DecryptError::bad_signature, "the signed prekey signature does not verify");
  }
  SignedPrekey signed_prekey;
  signed_prekey.id = spk.id;
  signed_prekey.key_pair = *spk_pair;
  signed_prekey.signature = to_array<64>(spk.signature);
  return std::unique_ptr<Device>(
      new Omemo2Device(options, std::move(identity),
                       PrekeyStore::from_keys(std::move(signed_prekey), std::move(prekeys)),
                       keys.pre_keys.size(), std::move(random)));
}

Omemo2Device::Omemo2Device(const DeviceOptions& options, IdentityKey identity, PrekeyStore prekeys,
                           std::size_t pre_key_count, crypto::RandomSource random)
    : Device(options.trust_policy),
      jid_(checked_jid(options)),
      device_id_(options.device_id),
      pre_key_count_(pre_key_count),
      random_(random.derive("device")),
      identity_(std::move(identity)),
      prekeys_(std::move(prekeys)) {
  if (device_id_ == 0) device_id_ = random_.uniform(kMaxDeviceId) + 1;  // 1..2^31-1 (R-OM2-020)
}

Omemo2Device::Omemo2Device(const DeviceOptions& options, crypto::RandomSource random)
    : Device(options.trust_policy),
      jid_(checked_jid(options)),
      device_id_(options.device_id),
      pre_key_count_(std::max(options.pre_key_count, kMinimumPreKeys)),
      random_(random.derive("device")),
      identity_(IdentityKey::generate(identity_kind_of(options), random_)),
      prekeys_(PrekeyStore::generate(identity_, pre_key_count_, random_)) {
  if (device_id_ == 0) device_id_ = random_.uniform(kMaxDeviceId) + 1;  // 1..2^31-1 (R-OM2-020)
}

std::string Omemo2Device::fingerprint() const {
  return format_fingerprint(identity_.curve25519_public());
}

Bytes Omemo2Device::identity_key() const {
  const Key32& key = identity_.ed25519_public();
  return Bytes(key.begin(), key.end());
}

codec::Bundle Omemo2Device::bundle() const {
  const SignedPrekey& spk = prekeys_.current_signed_prekey();
  codec::Bundle bundle;
  bundle.profile = codec::Profile::omemo2;
  bundle.signed_pre_key_id = spk.id;
  bundle.signed_pre_key.assign(spk.key_pair.public_key.begin(), spk.key_pair.public_key.end());
  bundle.signed_pre_key_signature.assign(spk.signature.begin(), spk.signature.end());
  bundle.identity_key = identity_key();
  for (const auto& [id, pair] : prekeys_.prekeys())
    bundle.pre_keys.push_back({id, Bytes(pair.public_key.begin(), pair.public_key.end())});
  if (misbehaviours_.is_enabled(Misbehaviour::bad_signed_prekey_signature)) {
    bundle.signed_pre_key_signature[0] ^= 0x01;
  } else if (misbehaviours_.is_enabled(Misbehaviour::spk_signature_over_prefixed_key)) {
    // The legacy habit: a signature over 0x05 || spk. Drawn from a derived stream so that
    // bundle() stays const and leaves the device's own stream where it is.
    Bytes prefixed{0x05};
    prefixed.insert(prefixed.end(), spk.key_pair.public_key.begin(), spk.key_pair.public_key.end());
    crypto::RandomSource nonce = random_.derive("spk-signature-over-prefixed-key");
    Signature64 signature = identity_.sign(prefixed, nonce);
    bundle.signed_pre_key_signature.assign(signature.begin(), signature.end());
  }
  return bundle;
}

std::size_t Omemo2Device::refresh_bundle() {
  return prekeys_.refill(pre_key_count_, random_);
}

void Omemo2Device::rotate_signed_pre_key() {
  prekeys_.rotate(identity_, random_);
}

std::optional<std::uint32_t> Omemo2Device::choose_prekey(const DeviceAddress& remote,
                                                         const codec::Bundle& bundle) {
  auto peer = peer_bundles_.find(remote);
  if (misbehaviours_.is_enabled(Misbehaviour::reuse_consumed_prekey) &&
      peer != peer_bundles_.end() && find_prekey(bundle, peer->second.last_prekey_id))
    return peer->second.last_prekey_id;
  std::vector<std::uint32_t> candidates;
  for (const codec::PreKey& pre_key : bundle.pre_keys)
    if (is_usable_prekey(pre_key)) candidates.push_back(pre_key.id);
  if (candidates.empty()) return std::nullopt;
  return candidates[random_.uniform(static_cast<std::uint32_t>(candidates.size()))];
}

Result<Session> Omemo2Device::initiate_session(const codec::Bundle& bundle,
                                               std::uint32_t prekey_id) {
  BundleKeys keys = to_bundle_keys(bundle, prekey_id);
  if (misbehaviours_.is_enabled(Misbehaviour::key_exchange_without_prekey))
    return initiate_without_prekey(identity_, keys, random_);
  return Session::initiate(identity_, keys, random_);
}

Result<std::monostate> Omemo2Device::build_session(const DeviceAddress& remote,
                                                   const codec::Bundle& bundle) {
  if (bundle.profile != codec::Profile::omemo2)
    return fail(DecryptError::bad_data, "a legacy bundle given to an OMEMO 2 device");
  if (!is_valid_device_id(remote.device_id))
    return fail(DecryptError::bad_data,
                fmt::format("device id {} is outside 1..2^31-1 (R-OM2-020)", remote.device_id));
  if (bundle.identity_key.size() != 32 || bundle.signed_pre_key.size() != 32 ||
      bundle.signed_pre_key_signature.size() != 64)
    return fail(DecryptError::bad_data, "bundle keys or signature of the wrong length");
  // Checked before anything is drawn, so that a refused bundle changes nothing.
  if (!signed_prekey_signature_is_valid(bundle.identity_key, to_array<32>(bundle.signed_pre_key),
                                        bundle.signed_pre_key_signature))
    return fail(DecryptError::bad_signature,
                "signed prekey signature does not verify with the bundle's identity key "
                "(R-OM2-002, R-OM2-004)");
  if (!identity_public_to_curve25519(bundle.identity_key))
    return fail(DecryptError::bad_data, "bundle identity key is not a usable Ed25519 point");
  std::optional<std::uint32_t> prekey_id = choose_prekey(remote, bundle);
  if (!prekey_id)
    return fail(DecryptError::bad_data, "the bundle has no usable one-time prekey (R-OM2-005)");
  Result<Session> session = initiate_session(bundle, *prekey_id);
  if (!session) return session.failure();
  sessions_.insert_or_assign(remote, std::move(*session));
  trust_.observe(remote, bundle.identity_key);
  PeerBundle& peer = peer_bundles_[remote];
  peer.bundle = bundle;
  peer.used_prekey_ids.insert(*prekey_id);
  peer.last_prekey_id = *prekey_id;
  return std::monostate{};
}

bool Omemo2Device::has_session(const DeviceAddress& remote) const {
  return sessions_.contains(remote);
}

void Omemo2Device::restart_session(const DeviceAddress& remote) {
  auto peer = peer_bundles_.find(remote);
  if (peer == peer_bundles_.end()) return;
  std::vector<std::uint32_t> unused;
  for (const codec::PreKey& pre_key : peer->second.bundle.pre_keys)
    if (is_usable_prekey(pre_key) && !peer->second.used_prekey_ids.contains(pre_key.id))
      unused.push_back(pre_key.id);
  if (unused.empty()) return;
  std::uint32_t prekey_id = unused[random_.uniform(static_cast<std::uint32_t>(unused.size()))];
  Result<Session> session = initiate_session(peer->second.bundle, prekey_id);
  if (!session) return;
  sessions_.insert_or_assign(remote, std::move(*session));
  peer->second.used_prekey_ids.insert(prekey_id);
  peer->second.last_prekey_id = prekey_id;
}

OutgoingKey Omemo2Device::encrypt_key(const DeviceAddress& remote, ByteView key_material) {
  if (misbehaviours_.is_enabled(Misbehaviour::new_ek_same_session)) restart_session(remote);
  Session& session = sessions_.at(remote);
  // stop-kex-early: only the first message of the exchange carries it.
  const bool strip = misbehaviours_.is_enabled(Misbehaviour::stop_kex_early) &&
                     session.sends_key_exchange() && session.ratchet().state().sending_n > 0;
  const std::uint32_t extra = misbehaviours_.is_enabled(Misbehaviour::counter_far_ahead) ? kFarAhead
                              : misbehaviours_.is_enabled(Misbehaviour::counter_skip) ? kSkipAhead
                                                                                      : 0;
  for (std::uint32_t i = 0; i < extra; ++i) session.encrypt(key_material);  // lost on the way
  OutgoingKey key = session.encrypt(key_material);
  if (strip) strip_key_exchange(key);
  damage_ratchet_mac(key, misbehaviours_.is_enabled(Misbehaviour::wrong_ratchet_mac),
                     misbehaviours_.is_enabled(Misbehaviour::truncated_ratchet_mac));
  return key;
}

Result<EncryptedOutput> Omemo2Device::encrypt(const std::optional<std::string>& body,
                                              const std::vector<DeviceAddress>& recipients,
                                              const StanzaContext& stanza) {
  if (misbehaviours_.is_enabled(Misbehaviour::replay_message) && last_output_) return *last_output_;

  // Every check before the first draw: a refused call changes nothing.
  EncryptedOutput output;
  std::vector<DeviceAddress> targets;
  for (const DeviceAddress& recipient : recipients) {
    if (recipient.jid == jid_ && recipient.device_id == device_id_) continue;  // R-OM2-034
    auto session = sessions_.find(recipient);
    if (session == sessions_.end())
      return fail(DecryptError::no_session,
                  fmt::format("no session with {}/{}", recipient.jid, recipient.device_id));
    // Trust gates content, not empty messages (R-OM2-056).
    if (body && !trust_.is_trusted(recipient, session->second.peer_identity_key())) {
      output.skipped_untrusted.push_back(recipient);
      continue;
    }
    if (std::find(targets.begin(), targets.end(), recipient) == targets.end())
      targets.push_back(recipient);
  }
  if (targets.empty())
    return fail(output.skipped_untrusted.empty() ? DecryptError::bad_data : DecryptError::untrusted,
                "no recipient device left to encrypt for");

  output.element.profile = codec::Profile::omemo2;
  output.element.sid = device_id_;
  Bytes key_material(kEmptyMessageKeyMaterial.begin(), kEmptyMessageKeyMaterial.end());
  if (body) {
    Bytes envelope = build_envelope(*body, stanza, random_, misbehaviours_);
    EncryptedPayload payload = encrypt_payload(envelope, random_);
    key_material = misbehaviours_.is_enabled(Misbehaviour::pre_0_7_key_material)
                       ? pre_0_7_key_material(payload.key_material, payload.ciphertext)
                       : Bytes(payload.key_material.begin(), payload.key_material.end());
    if (misbehaviours_.is_enabled(Misbehaviour::wrong_payload_mac))
      payload.ciphertext.back() ^= 0x01;
    output.element.payload = std::move(payload.ciphertext);
  }
  for (const DeviceAddress& recipient : targets) {
    OutgoingKey key = encrypt_key(recipient, key_material);
    bool kex = key.is_key_exchange;
    if (misbehaviours_.is_enabled(Misbehaviour::kex_mislabelled)) kex = !kex;
    group_for(output.element.recipients, recipient.jid)
        .keys.push_back({recipient.device_id, kex, std::move(key.data)});
  }
  output.xml = serialize_with_misbehaviours(output.element, misbehaviours_);
  last_output_ = output;
  return output;
}

Result<Omemo2Device::KeyOutcome> Omemo2Device::decrypt_key(const DeviceAddress& sender,
                                                           const codec::KeyElement& key,
                                                           crypto::RandomSource& random) const {
  auto existing = sessions_.find(sender);
  if (key.kex) {
    std::optional<Session> session;
    if (existing != sessions_.end()) session = existing->second;
    Result<KeyExchangeReceived> received =
        receive_key_exchange(session, key.data, identity_, prekeys_, random);
    if (!received) return received.failure();
    return KeyOutcome{std::move(*session), std::move(received->message.plaintext),
                      received->built_session, received->consumed_prekey_id,
                      received->message.heartbeat_due};
  }
  // Parsed before the session lookup: a key exchange sent with kex false is bad data (R-OM2-036),
  // not a message from an unknown session.
  Result<codec::OmemoAuthenticatedMessage> message = parse_authenticated_message(key.data);
  if (!message) return message.failure();
  if (existing == sessions_.end())
    return fail(DecryptError::no_session,
                fmt::format("no session with {}/{}", sender.jid, sender.device_id));
  Session session = existing->second;
  Result<Received> received = session.decrypt(*message, random);
  if (!received) return received.failure();
  return KeyOutcome{std::move(session), std::move(received->plaintext), false, 0,
                    received->heartbeat_due};
}

Result<ReceivedMessage> Omemo2Device::decrypt(const codec::Encrypted& element,
                                              const StanzaContext& stanza) {
  if (element.profile != codec::Profile::omemo2)
    return fail(DecryptError::bad_data, "a legacy element given to an OMEMO 2 device");
  if (!is_valid_device_id(element.sid))
    return fail(DecryptError::bad_data,
                fmt::format("sender device id {} is outside 1..2^31-1 (R-OM2-020)", element.sid));
  std::vector<const codec::KeyElement*> keys = codec::keys_for(element, device_id_, jid_);
  if (keys.empty())
    return fail(DecryptError::not_for_this_device,
                fmt::format("no <keys jid='{}'><key rid='{}'> in the element (R-OM2-039)", jid_,
                            device_id_));
  const DeviceAddress sender{stanza.from, element.sid};

  std::optional<Failure> first_failure;
  auto record = [&](Failure failure) {
    if (!first_failure) first_failure = std::move(failure);
  };
  for (const codec::KeyElement* key : keys) {
    crypto::RandomSource random = random_;  // committed only on success
    Result<KeyOutcome> outcome = decrypt_key(sender, *key, random);
    if (!outcome) {
      record(outcome.failure());
      continue;
    }
    ReceivedMessage received;
    const bool is_empty = is_empty_message_key_material(outcome->key_material);
    if (element.payload) {
      if (is_empty) {
        record(fail(DecryptError::bad_data, "empty-message key material with a <payload>"));
        continue;
      }
      Result<Bytes> plaintext = decrypt_payload(outcome->key_material, *element.payload);
      if (!plaintext) {
        record(plaintext.failure());
        continue;
      }
      Result<OpenedEnvelope> opened = open_envelope(*plaintext, stanza);
      if (!opened) {
        record(opened.failure());
        continue;
      }
      received.body = std::move(opened->body);
      received.envelope = std::move(opened->envelope);
      received.envelope_findings = std::move(opened->findings);
    } else if (!is_empty) {
      record(fail(DecryptError::bad_data,
                  fmt::format("{} bytes of key material without a <payload> (an empty message "
                              "carries 32 zero bytes, R-OM2-037)",
                              outcome->key_material.size())));
      continue;
    }

    // Commit.
    const Key32 peer_identity = outcome->session.peer_identity_key();
    sessions_.insert_or_assign(sender, std::move(outcome->session));
    if (outcome->consumed_prekey) prekeys_.consume(outcome->consumed_prekey_id);
    random_ = std::move(random);
    trust_.observe(sender, peer_identity);
    received.sender_trusted = trust_.is_trusted(sender, peer_identity);
    received.was_key_exchange = outcome->consumed_prekey;
    received.heartbeat_due =
        outcome->heartbeat_due && !misbehaviours_.is_enabled(Misbehaviour::suppress_heartbeat);
    return received;
  }
  return *first_failure;
}

std::optional<Bytes> Omemo2Device::remote_identity(const DeviceAddress& remote) const {
  auto session = sessions_.find(remote);
  if (session == sessions_.end()) return std::nullopt;
  const Key32& key = session->second.peer_identity_key();
  return Bytes(key.begin(), key.end());
}

Bytes Omemo2Device::export_state() const {
  StateWriter out;
  out.text(kStateFormat);
  out.text(jid_);
  out.u32(device_id_);
  out.u32(static_cast<std::uint32_t>(pre_key_count_));
  out.text(identity_kind_name(identity_.kind()));
  out.blob(identity_.secret());
  out.blob(prekeys_.export_state());
  out.u32(static_cast<std::uint32_t>(sessions_.size()));
  for (const auto& [address, session] : sessions_) {
    out.text(address.jid);
    out.u32(address.device_id);
    out.blob(export_session(session));
  }
  out.blob(trust_.export_state());
  out.blob(random_.export_state());
  return out.take();
}

bool Omemo2Device::import_state(ByteView state) {
  StateReader in(state);
  auto format = in.text();
  auto jid = in.text();
  auto device_id = in.u32();
  auto pre_key_count = in.u32();
  auto kind_name = in.text();
  auto secret = in.blob();
  auto prekey_state = in.blob();
  auto session_count = in.u32();
  if (!format || *format != kStateFormat || !jid || jid->empty() || !device_id || !pre_key_count ||
      !kind_name || !secret || secret->size() != 32 || !prekey_state || !session_count)
    return false;
  std::optional<IdentityKind> kind = identity_kind_from_name(*kind_name);
  std::optional<PrekeyStore> prekeys = PrekeyStore::import_state(*prekey_state);
  if (!kind || !prekeys) return false;
  std::map<DeviceAddress, Session> sessions;
  for (std::uint32_t i = 0; i < *session_count; ++i) {
    auto peer_jid = in.text();
    auto peer_id = in.u32();
    auto session_state = in.blob();
    if (!peer_jid || !peer_id || !session_state) return false;
    std::optional<Session> session = import_session(*session_state);
    if (!session) return false;
    sessions.insert_or_assign(DeviceAddress{*peer_jid, *peer_id}, std::move(*session));
  }
  auto trust_state = in.blob();
  auto random_state = in.blob();
  if (!trust_state || !random_state || !in.at_end()) return false;
  TrustStore trust;
  std::optional<crypto::RandomSource> random = crypto::RandomSource::import_state(*random_state);
  if (!trust.import_state(*trust_state) || !random) return false;

  jid_ = std::move(*jid);
  device_id_ = *device_id;
  pre_key_count_ = *pre_key_count;
  identity_ = IdentityKey::from_secret(*kind, to_array<32>(*secret));
  prekeys_ = std::move(*prekeys);
  sessions_ = std::move(sessions);
  trust_ = std::move(trust);
  random_ = std::move(*random);
  // peer_bundles_ (what the sender knobs remember, e.g. the prekey last used with a peer) is
  // kept, as the legacy device keeps it: a restored device with reuse-consumed-prekey on must
  // still know which prekey it used.
  last_output_.reset();
  return true;
}

}  // namespace oi::engine::omemo2
