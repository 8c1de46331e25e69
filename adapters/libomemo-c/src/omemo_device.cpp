#include "omemo_device.h"

#include <fmt/format.h>

#include "protocol_error.h"
#include "signal_objects.h"

extern "C" {
#include <omemo/curve.h>
#include <omemo/key_helper.h>
#include <omemo/protocol.h>
#include <omemo/ratchet.h>
#include <omemo/session_builder.h>
#include <omemo/session_cipher.h>
#include <omemo/session_pre_key.h>
}

namespace oi::libomemo_c {
namespace {

constexpr std::uint32_t kFirstSignedPreKeyId = 1;

// An address whose name outlives the builder/cipher that keeps a pointer to it.
struct Address {
  explicit Address(const RemoteDevice& remote)
      : name(remote.first), value{name.c_str(), name.size(), remote.second} {}
  std::string name;
  signal_protocol_address value;
};

class Cipher {
 public:
  Cipher(LibraryContext& library, const Address& address, Profile profile) {
    check(session_cipher_create(&cipher_, library.stores(), &address.value, library.context()),
          "session_cipher_create");
    session_cipher_set_version(cipher_, session_version(profile));
  }
  ~Cipher() { session_cipher_free(cipher_); }
  Cipher(const Cipher&) = delete;
  Cipher& operator=(const Cipher&) = delete;
  session_cipher* get() const { return cipher_; }

 private:
  session_cipher* cipher_ = nullptr;
};

struct CallbackState {
  const OmemoDevice::KeyMaterialCheck* check = nullptr;
  ClassifiedError rejection;
};

constexpr int kRejectedByPayloadLayer = SG_ERR_MINIMUM - 1;

int on_decrypted(session_cipher*, signal_buffer* plaintext, void* decrypt_context) {
  auto* state = static_cast<CallbackState*>(decrypt_context);
  const Bytes key_material(signal_buffer_data(plaintext),
                           signal_buffer_data(plaintext) + signal_buffer_len(plaintext));
  state->rejection = (*state->check)(key_material);
  return state->rejection.error_class.empty() ? 0 : kRejectedByPayloadLayer;
}

void describe_chain(const signal_message* message, OmemoDevice::Decrypted& out) {
  out.counter = signal_message_get_counter(message);
  Buffer key;
  if (ec_public_key_serialize(key.out(), signal_message_get_sender_ratchet_key(message)) >= 0)
    out.ratchet_key = key.bytes();
}

void require_length(const Bytes& key, std::size_t length, const char* what) {
  if (key.size() != length)
    throw ProtocolError(-32000, "bad_data",
                        fmt::format("{} is {} bytes, not {}", what, key.size(), length));
}

void decode_or_bad_data(int result, const char* what) {
  if (result < 0)
    throw ProtocolError(
        -32000, "bad_data",
        fmt::format("libomemo-c cannot decode {}: {}", what, library_error_name(result)));
}

}  // namespace

OmemoDevice::OmemoDevice(Profile profile, crypto::RandomSource random)
    : profile_(profile), library_(std::make_unique<LibraryContext>(std::move(random))) {}

void OmemoDevice::store_pre_key(std::uint32_t id, ec_key_pair* pair) {
  Ref<session_pre_key> pre_key;
  check(session_pre_key_create(pre_key.out(), id, pair), "session_pre_key_create");
  Buffer record;
  check(session_pre_key_serialize(record.out(), pre_key.get()), "session_pre_key_serialize");
  library_->key_stores().pre_keys[id] = record.bytes();
  next_pre_key_id_ = std::max(next_pre_key_id_, id + 1);
}

std::unique_ptr<OmemoDevice> OmemoDevice::generate(Profile profile, crypto::RandomSource random,
                                                   std::size_t pre_key_count) {
  std::unique_ptr<OmemoDevice> device(new OmemoDevice(profile, std::move(random)));
  signal_context* context = device->library_->context();
  KeyStores& stores = device->library_->key_stores();

  Ref<ratchet_identity_key_pair> identity;
  check(signal_protocol_key_helper_generate_identity_key_pair(identity.out(), context),
        "generate_identity_key_pair");
  Buffer public_key, private_key;
  check(ec_public_key_serialize(public_key.out(),
                                ratchet_identity_key_pair_get_public(identity.get())),
        "ec_public_key_serialize");
  check(ec_private_key_serialize(private_key.out(),
                                 ratchet_identity_key_pair_get_private(identity.get())),
        "ec_private_key_serialize");
  stores.identity_public = public_key.bytes();
  stores.identity_private = private_key.bytes();
  check(signal_protocol_key_helper_generate_registration_id(&stores.registration_id, 0, context),
        "generate_registration_id");

  Ref<session_signed_pre_key> signed_pre_key;
  check(signal_protocol_key_helper_generate_signed_pre_key(signed_pre_key.out(), identity.get(),
                                                           kFirstSignedPreKeyId, 0, context),
        "generate_signed_pre_key");
  Buffer record;
  check(session_signed_pre_key_serialize(record.out(), signed_pre_key.get()),
        "session_signed_pre_key_serialize");
  stores.signed_pre_keys[kFirstSignedPreKeyId] = record.bytes();
  device->signed_pre_key_id_ = kFirstSignedPreKeyId;

  if (pre_key_count > 0) {
    signal_protocol_key_helper_pre_key_list_node* head = nullptr;
    check(signal_protocol_key_helper_generate_pre_keys(
              &head, 1, static_cast<unsigned>(pre_key_count), context),
          "generate_pre_keys");
    for (auto* node = head; node != nullptr;
         node = signal_protocol_key_helper_key_list_next(node)) {
      session_pre_key* pre_key = signal_protocol_key_helper_key_list_element(node);
      check(session_pre_key_serialize(record.out(), pre_key), "session_pre_key_serialize");
      stores.pre_keys[session_pre_key_get_id(pre_key)] = record.bytes();
      device->next_pre_key_id_ =
          std::max(device->next_pre_key_id_, session_pre_key_get_id(pre_key) + 1);
    }
    signal_protocol_key_helper_key_list_free(head);
  }
  return device;
}

std::unique_ptr<OmemoDevice> OmemoDevice::import(Profile profile, const ImportedKeys& keys,
                                                 crypto::RandomSource random) {
  const bool legacy = profile == Profile::legacy;
  if (!legacy && keys.identity_kind != "curve25519_xeddsa")
    throw unsupported(
        "libomemo-c holds Curve25519 identities and publishes their sign-bit-0 "
        "Ed25519 form; it cannot hold a '" +
        keys.identity_kind + "' identity");
  const std::size_t public_length = legacy ? 33 : 32;
  require_length(keys.identity_private, 32, "identity.private");
  require_length(keys.identity_public, public_length, "identity.public");
  std::unique_ptr<OmemoDevice> device(new OmemoDevice(profile, std::move(random)));
  signal_context* context = device->library_->context();
  KeyStores& stores = device->library_->key_stores();

  // The identity store holds the 33-byte form curve_decode_point reads; OMEMO 2's Ed25519 key is
  // decoded by the library (curve_decode_point_ed) and serialised in that form.
  Ref<ec_public_key> identity_public;
  decode_or_bad_data(legacy
                         ? curve_decode_point(identity_public.out(), keys.identity_public.data(),
                                              keys.identity_public.size(), context)
                         : curve_decode_point_ed(identity_public.out(), keys.identity_public.data(),
                                                 keys.identity_public.size(), context),
                     "identity.public");
  Ref<ec_private_key> identity_private;
  decode_or_bad_data(
      curve_decode_private_point(identity_private.out(), keys.identity_private.data(),
                                 keys.identity_private.size(), context),
      "identity.private");
  Buffer serialized;
  check(ec_public_key_serialize(serialized.out(), identity_public.get()),
        "ec_public_key_serialize");
  stores.identity_public = serialized.bytes();
  stores.identity_private = keys.identity_private;
  stores.registration_id = keys.registration_id;

  auto key_pair = [&](const ImportedKey& key, const char* what, Ref<ec_key_pair>& pair) {
    require_length(key.private_key, 32, what);
    require_length(key.public_key, public_length, what);
    Ref<ec_public_key> public_part;
    Ref<ec_private_key> private_part;
    decode_or_bad_data(legacy ? curve_decode_point(public_part.out(), key.public_key.data(),
                                                   key.public_key.size(), context)
                              : curve_decode_point_mont(public_part.out(), key.public_key.data(),
                                                        key.public_key.size(), context),
                       what);
    decode_or_bad_data(curve_decode_private_point(private_part.out(), key.private_key.data(),
                                                  key.private_key.size(), context),
                       what);
    check(ec_key_pair_create(pair.out(), public_part.get(), private_part.get()),
          "ec_key_pair_create");
  };

  if (keys.signed_pre_key) {
    const ImportedKey& spk = *keys.signed_pre_key;
    require_length(spk.signature, 64, "signed_pre_key.signature");
    Ref<ec_key_pair> pair;
    key_pair(spk, "signed_pre_key", pair);
    // The record has a slot per signature (legacy over 0x05||key, OMEMO over the raw key) and
    // session_signed_pre_key_create asserts both are present; the given signature fills both, and
    // the profile's session version reads only its own.
    Ref<session_signed_pre_key> record;
    check(session_signed_pre_key_create(record.out(), spk.id, 0, pair.get(), spk.signature.data(),
                                        spk.signature.size(), spk.signature.data(),
                                        spk.signature.size()),
          "session_signed_pre_key_create");
    check(session_signed_pre_key_serialize(serialized.out(), record.get()),
          "session_signed_pre_key_serialize");
    stores.signed_pre_keys[spk.id] = serialized.bytes();
    device->signed_pre_key_id_ = spk.id;
  }
  for (const ImportedKey& pre_key : keys.pre_keys) {
    Ref<ec_key_pair> pair;
    key_pair(pre_key, "pre_keys[].key", pair);
    device->store_pre_key(pre_key.id, pair.get());
  }
  return device;
}

Bytes OmemoDevice::public_key_wire(const ec_public_key* key) const {
  Buffer out;
  check(profile_ == Profile::legacy ? ec_public_key_serialize(out.out(), key)
                                    : ec_public_key_serialize_omemo(out.out(), key),
        "ec_public_key_serialize");
  return out.bytes();
}

std::string OmemoDevice::fingerprint() const {
  const Bytes& identity = library_->key_stores().identity_public;
  std::string out;
  for (std::size_t i = 1; i < identity.size(); ++i) {
    if (i > 1 && (i - 1) % 4 == 0) out += ' ';
    out += fmt::format("{:02x}", identity[i]);
  }
  return out;
}

std::optional<Bundle> OmemoDevice::bundle() const {
  KeyStores& stores = library_->key_stores();
  auto spk_record = stores.signed_pre_keys.find(signed_pre_key_id_);
  if (spk_record == stores.signed_pre_keys.end()) return std::nullopt;
  signal_context* context = library_->context();
  Bundle out;
  Ref<session_signed_pre_key> signed_pre_key;
  check(session_signed_pre_key_deserialize(signed_pre_key.out(), spk_record->second.data(),
                                           spk_record->second.size(), context),
        "session_signed_pre_key_deserialize");
  out.signed_pre_key_id = signed_pre_key_id_;
  out.signed_pre_key = public_key_wire(
      ec_key_pair_get_public(session_signed_pre_key_get_key_pair(signed_pre_key.get())));
  if (profile_ == Profile::legacy) {
    const uint8_t* signature = session_signed_pre_key_get_signature(signed_pre_key.get());
    out.signature.assign(
        signature, signature + session_signed_pre_key_get_signature_len(signed_pre_key.get()));
  } else {
    const uint8_t* signature = session_signed_pre_key_get_signature_omemo(signed_pre_key.get());
    out.signature.assign(signature, signature + session_signed_pre_key_get_signature_omemo_len(
                                                    signed_pre_key.get()));
  }
  Ref<ec_public_key> identity;
  check(curve_decode_point(identity.out(), stores.identity_public.data(),
                           stores.identity_public.size(), context),
        "curve_decode_point");
  if (profile_ == Profile::legacy) {
    out.identity_key = stores.identity_public;
  } else {
    Buffer ed(ec_public_key_get_ed(identity.get()));
    out.identity_key = ed.bytes();
  }
  for (const auto& [id, record] : stores.pre_keys) {
    Ref<session_pre_key> pre_key;
    check(session_pre_key_deserialize(pre_key.out(), record.data(), record.size(), context),
          "session_pre_key_deserialize");
    out.pre_keys.emplace_back(
        id, public_key_wire(ec_key_pair_get_public(session_pre_key_get_key_pair(pre_key.get()))));
  }
  return out;
}

bool OmemoDevice::has_session(const RemoteDevice& remote) const {
  return library_->key_stores().sessions.count(remote) > 0;
}

std::optional<ClassifiedError> OmemoDevice::build_session(const RemoteDevice& remote,
                                                          const Bundle& bundle) {
  signal_context* context = library_->context();
  library_->clear_log();
  const bool legacy = profile_ == Profile::legacy;
  auto decode = [&](Ref<ec_public_key>& key, const Bytes& bytes, bool identity) {
    if (legacy) return curve_decode_point(key.out(), bytes.data(), bytes.size(), context);
    return identity ? curve_decode_point_ed(key.out(), bytes.data(), bytes.size(), context)
                    : curve_decode_point_mont(key.out(), bytes.data(), bytes.size(), context);
  };
  Ref<ec_public_key> identity, signed_pre_key, pre_key;
  if (int result = decode(identity, bundle.identity_key, true); result < 0)
    return classify_bundle_error(result, "ik: " + library_->log_text());
  if (int result = decode(signed_pre_key, bundle.signed_pre_key, false); result < 0)
    return classify_bundle_error(result, "spk: " + library_->log_text());
  std::uint32_t pre_key_id = 0;
  if (!bundle.pre_keys.empty()) {
    // A random prekey of the bundle (R-LEG-016, R-OM2-032), as Dino picks one.
    const auto& chosen =
        bundle.pre_keys[random().uniform(static_cast<std::uint32_t>(bundle.pre_keys.size()))];
    if (int result = decode(pre_key, chosen.second, false); result < 0)
      return classify_bundle_error(result, "pk: " + library_->log_text());
    pre_key_id = chosen.first;
  }
  Ref<session_pre_key_bundle> library_bundle;
  if (int result = session_pre_key_bundle_create(library_bundle.out(), 0, remote.second, pre_key_id,
                                                 pre_key.get(), bundle.signed_pre_key_id,
                                                 signed_pre_key.get(), bundle.signature.data(),
                                                 bundle.signature.size(), identity.get());
      result < 0)
    return classify_bundle_error(result, library_->log_text());
  const Address address(remote);
  session_builder* builder = nullptr;
  check(session_builder_create(&builder, library_->stores(), &address.value, context),
        "session_builder_create");
  session_builder_set_version(builder, session_version(profile_));
  const int result = session_builder_process_pre_key_bundle(builder, library_bundle.get());
  session_builder_free(builder);
  if (result < 0) return classify_bundle_error(result, library_->log_text());
  return std::nullopt;
}

OmemoDevice::Encrypted OmemoDevice::encrypt(const RemoteDevice& remote, const Bytes& key_material) {
  const Address address(remote);
  Cipher cipher(*library_, address, profile_);
  Ref<ciphertext_message> message;
  check(
      session_cipher_encrypt(cipher.get(), key_material.data(), key_material.size(), message.out()),
      "session_cipher_encrypt");
  signal_buffer* serialized = ciphertext_message_get_serialized(message.get());
  return Encrypted{Bytes(signal_buffer_data(serialized),
                         signal_buffer_data(serialized) + signal_buffer_len(serialized)),
                   ciphertext_message_get_type(message.get()) == CIPHERTEXT_PREKEY_TYPE};
}

OmemoDevice::Decrypted OmemoDevice::decrypt(const RemoteDevice& remote, const KeyElement& key,
                                            const KeyMaterialCheck& check_key_material) {
  signal_context* context = library_->context();
  library_->clear_log();
  const bool legacy = profile_ == Profile::legacy;
  const Address address(remote);
  Cipher cipher(*library_, address, profile_);
  session_cipher_set_decryption_callback(cipher.get(), on_decrypted);
  CallbackState state{&check_key_material, {}};
  Buffer plaintext;
  const std::uint32_t removed_before = library_->key_stores().pre_keys_removed;
  // A decrypt that opens a new receiving chain draws the next sending ratchet key before the
  // callback runs. The stream is ours (the library would use OS randomness): on failure it is
  // rewound, so that the device's deterministic stream is a function of its committed state.
  const Bytes random_before = library_->random().export_state();
  auto rewind_random = [&] {
    if (std::optional<crypto::RandomSource> restored =
            crypto::RandomSource::import_state(random_before))
      library_->random() = std::move(*restored);
  };
  int result = 0;
  Decrypted out;
  if (key.key_exchange) {
    Ref<pre_key_signal_message> message;
    result = legacy ? pre_key_signal_message_deserialize(message.out(), key.data.data(),
                                                         key.data.size(), context)
                    : pre_key_signal_message_deserialize_omemo(message.out(), key.data.data(),
                                                               key.data.size(), 0, context);
    if (result >= 0) {
      describe_chain(pre_key_signal_message_get_signal_message(message.get()), out);
      result = session_cipher_decrypt_pre_key_signal_message(cipher.get(), message.get(), &state,
                                                             plaintext.out());
    }
  } else {
    Ref<signal_message> message;
    result = legacy ? signal_message_deserialize(message.out(), key.data.data(), key.data.size(),
                                                 context)
                    : signal_message_deserialize_omemo(message.out(), key.data.data(),
                                                       key.data.size(), context);
    if (result >= 0) {
      describe_chain(message.get(), out);
      result = session_cipher_decrypt_signal_message(cipher.get(), message.get(), &state,
                                                     plaintext.out());
    }
  }
  if (result == kRejectedByPayloadLayer) {
    rewind_random();
    out.error = state.rejection;
    return out;
  }
  if (result < 0) {
    rewind_random();
    out.error = classify_decrypt_error(result, library_->log_text());
    return out;
  }
  out.key_material = plaintext.bytes();
  out.consumed_pre_key = library_->key_stores().pre_keys_removed != removed_before;
  return out;
}

Bytes OmemoDevice::remote_identity(const RemoteDevice& remote) const {
  const auto& identities = library_->key_stores().remote_identities;
  auto found = identities.find(remote);
  return found == identities.end() ? Bytes{} : found->second;
}

void OmemoDevice::rotate_signed_pre_key() {
  signal_context* context = library_->context();
  KeyStores& stores = library_->key_stores();
  Ref<ec_public_key> public_key;
  Ref<ec_private_key> private_key;
  check(curve_decode_point(public_key.out(), stores.identity_public.data(),
                           stores.identity_public.size(), context),
        "curve_decode_point");
  check(curve_decode_private_point(private_key.out(), stores.identity_private.data(),
                                   stores.identity_private.size(), context),
        "curve_decode_private_point");
  Ref<ratchet_identity_key_pair> identity;
  check(ratchet_identity_key_pair_create(identity.out(), public_key.get(), private_key.get()),
        "ratchet_identity_key_pair_create");
  const std::uint32_t id = signed_pre_key_id_ + 1;
  Ref<session_signed_pre_key> signed_pre_key;
  check(signal_protocol_key_helper_generate_signed_pre_key(signed_pre_key.out(), identity.get(), id,
                                                           0, context),
        "generate_signed_pre_key");
  Buffer record;
  check(session_signed_pre_key_serialize(record.out(), signed_pre_key.get()),
        "session_signed_pre_key_serialize");
  stores.signed_pre_keys[id] = record.bytes();
  signed_pre_key_id_ = id;
}

bool OmemoDevice::replenish_pre_keys() {
  KeyStores& stores = library_->key_stores();
  const std::uint32_t missing = stores.pre_keys_removed - pre_keys_removed_seen_;
  pre_keys_removed_seen_ = stores.pre_keys_removed;
  for (std::uint32_t i = 0; i < missing; ++i) {
    Ref<ec_key_pair> pair;
    check(curve_generate_key_pair(library_->context(), pair.out()), "curve_generate_key_pair");
    store_pre_key(next_pre_key_id_, pair.get());
  }
  return missing > 0;
}

}  // namespace oi::libomemo_c
