// One OMEMO device as libomemo-c holds it: identity, signed prekey and prekeys in the device's
// stores, sessions built and used through session_builder / session_cipher with the profile's
// session version (3 legacy, 4 OMEMO 2). This file is the only one that calls the library's
// protocol API; everything here is the library's behaviour, translated, never repaired.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "error_classes.h"
#include "library_context.h"
#include "payload_cipher.h"
#include "profile.h"
#include "stanzas.h"

namespace oi::libomemo_c {

// Key material for import_keys (PROTOCOL.md §11), decoded from base64.
struct ImportedKey {
  std::uint32_t id = 0;
  Bytes private_key, public_key, signature;
};
struct ImportedKeys {
  std::string identity_kind;  // OMEMO 2 only
  Bytes identity_private, identity_public;
  std::uint32_t registration_id = 0;
  std::optional<ImportedKey> signed_pre_key;
  std::vector<ImportedKey> pre_keys;
};

class OmemoDevice {
 public:
  // Generates identity, registration id, signed prekey 1 and prekeys 1..count with the library's
  // key helpers, every draw from `random`.
  static std::unique_ptr<OmemoDevice> generate(Profile profile, crypto::RandomSource random,
                                               std::size_t pre_key_count);
  // Hands the given keys to the library's stores as they are. Throws ProtocolError: bad_data for
  // keys of the wrong length or that the library cannot decode, unsupported for an OMEMO 2
  // identity kind other than curve25519_xeddsa (libomemo-c derives the published Ed25519 key from
  // a Curve25519 pair with sign bit 0, so it cannot hold the other kinds).
  static std::unique_ptr<OmemoDevice> import(Profile profile, const ImportedKeys& keys,
                                             crypto::RandomSource random);

  Profile profile() const { return profile_; }
  crypto::RandomSource& random() { return library_->random(); }
  // "xxxxxxxx xxxxxxxx ..." of the 32-byte Curve25519 identity key.
  std::string fingerprint() const;
  // nullopt when the device holds no signed prekey (an imported initiator-only device).
  std::optional<Bundle> bundle() const;

  bool has_session(const RemoteDevice& remote) const;
  // Builds a session from a fetched bundle, with one of its prekeys chosen at random (from the
  // device's stream). nullopt on success, else the library's refusal classified.
  std::optional<ClassifiedError> build_session(const RemoteDevice& remote, const Bundle& bundle);

  struct Encrypted {
    Bytes data;
    bool key_exchange = false;
  };
  // session_cipher_encrypt on the existing session. Throws LibraryError.
  Encrypted encrypt(const RemoteDevice& remote, const Bytes& key_material);

  // Checks the decrypted key material before the library commits the session: the payload layer
  // runs here, so that a payload failure leaves session and prekeys as they were (the purpose of
  // libsignal's decryption callback). Returns an empty class to accept.
  using KeyMaterialCheck = std::function<ClassifiedError(const Bytes& key_material)>;
  struct Decrypted {
    std::optional<Bytes> key_material;
    ClassifiedError error;  // when key_material is nullopt
    bool consumed_pre_key = false;
    std::uint32_t counter = 0;  // the message's n
    Bytes ratchet_key;          // the sender's ratchet public key of that chain
  };
  Decrypted decrypt(const RemoteDevice& remote, const KeyElement& key,
                    const KeyMaterialCheck& check_key_material);

  // The identity key the library saved for `remote` (empty when none).
  Bytes remote_identity(const RemoteDevice& remote) const;
  // A new signed prekey (the next id, signed by the library's key helper) becomes the published
  // one; the previous ones stay in the store, so key exchanges in flight still open (R-OM2-007).
  void rotate_signed_pre_key();
  // Generates fresh prekeys for those the library removed since the last call; true if any.
  bool replenish_pre_keys();

 private:
  friend struct StateCodec;  // state_blob.cpp
  OmemoDevice(Profile profile, crypto::RandomSource random);
  Bytes public_key_wire(const ec_public_key* key) const;
  void store_pre_key(std::uint32_t id, ec_key_pair* pair);

  Profile profile_;
  std::unique_ptr<LibraryContext> library_;
  std::uint32_t signed_pre_key_id_ = 0;
  std::uint32_t next_pre_key_id_ = 1;
  std::uint32_t pre_keys_removed_seen_ = 0;
};

}  // namespace oi::libomemo_c
