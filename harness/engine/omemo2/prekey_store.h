// The own prekeys of an OMEMO 2 device: the signed prekey (with the previous one kept through a
// grace period) and the one-time prekeys (R-OM2-005..007).
//
// Contracts:
// - Ids are 1..2^31-1 (R-OM2-031); signed and one-time prekey ids are separate spaces. New
//   one-time prekeys take the next ids in sequence, wrapping past 2^31-1 and skipping ids in use,
//   so that a consumed id is not handed out again soon.
// - A one-time prekey is deleted as soon as a key exchange consumes it (R-OM2-059 allows this);
//   a second exchange naming it is then refused (R-OM2-005).
// - Signed-prekey rotation keeps exactly one previous signed prekey: it stays usable for incoming
//   key exchanges until the next rotation (R-OM2-007: "kept for one more period").
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "crypto/bytes.h"
#include "crypto/curve25519.h"
#include "crypto/random_source.h"
#include "engine/omemo2/identity.h"
#include "engine/omemo2/session.h"

namespace oi::engine::omemo2 {

struct SignedPrekey {
  std::uint32_t id = 0;
  crypto::CurveKeyPair key_pair{};
  Signature64 signature{};  // by the identity over the raw 32-byte public key (R-OM2-004)
  friend bool operator==(const SignedPrekey& a, const SignedPrekey& b);
};

class PrekeyStore final : public PrekeyLookup {
 public:
  // Signed prekey id 1 and one-time prekeys 1..count, drawn from `random` in that order.
  static PrekeyStore generate(const IdentityKey& identity, std::size_t count,
                              crypto::RandomSource& random);

  // Exactly these keys (import_keys): `signed_prekey` is current, no previous one; new one-time
  // prekeys continue after the highest id given. The caller has checked ids and signature.
  static PrekeyStore from_keys(SignedPrekey signed_prekey,
                               std::map<std::uint32_t, crypto::CurveKeyPair> prekeys);

  // The current or the previous signed prekey.
  std::optional<crypto::CurveKeyPair> signed_prekey(std::uint32_t id) const override;
  std::optional<crypto::CurveKeyPair> prekey(std::uint32_t id) const override;

  const SignedPrekey& current_signed_prekey() const { return current_; }
  const std::optional<SignedPrekey>& previous_signed_prekey() const { return previous_; }
  // Public halves by id, ascending.
  const std::map<std::uint32_t, crypto::CurveKeyPair>& prekeys() const { return prekeys_; }

  // Deletes a one-time prekey; false when it is not held.
  bool consume(std::uint32_t id);
  // Generates one-time prekeys until `target` are held; returns how many were generated.
  std::size_t refill(std::size_t target, crypto::RandomSource& random);
  // A new signed prekey (the next id) becomes current; the current one becomes the previous one
  // and the one before it is deleted.
  void rotate(const IdentityKey& identity, crypto::RandomSource& random);

  Bytes export_state() const;
  // nullopt for bytes export_state() did not produce.
  static std::optional<PrekeyStore> import_state(ByteView state);

 private:
  PrekeyStore() = default;

  SignedPrekey current_;
  std::optional<SignedPrekey> previous_;
  std::map<std::uint32_t, crypto::CurveKeyPair> prekeys_;
  std::uint32_t next_prekey_id_ = 1;
};

}  // namespace oi::engine::omemo2
