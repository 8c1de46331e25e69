// The legacy (eu.siacs.conversations.axolotl) session layer on libsignal-protocol-c: identity and
// prekey generation, session building from a bundle, and encryption/decryption of the key
// material that travels in a <key> element. No XML and no payload cipher here.
//
// Contracts:
// - Every byte of randomness comes from the RandomSource the core owns (seeded = reproducible).
// - decrypt() is atomic: on any failure the whole store (sessions, prekeys, identities) is as it
//   was before the call.
// - Keys are in libsignal's serialised forms: public keys 33 bytes (0x05 ‖ u), signatures 64
//   bytes (curvesig, spec A-11).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "crypto/random_source.h"
#include "engine/decrypt_error.h"
#include "engine/legacy/signal_context.h"
#include "engine/legacy/signal_ref.h"
#include "engine/legacy/signal_store.h"

namespace oi::engine::legacy {

struct BundleKeys {
  Bytes identity_key;  // 33 bytes
  std::uint32_t signed_pre_key_id = 0;
  Bytes signed_pre_key;                                   // 33 bytes
  Bytes signed_pre_key_signature;                         // 64 bytes
  std::vector<std::pair<std::uint32_t, Bytes>> pre_keys;  // id, 33-byte key
};

// Fixed private keys to build a SessionCore from (vectors, cross-checks, and the future
// `import_keys` adapter capability). Private keys are 32-byte Curve25519 scalars as libsignal
// serialises them (clamped; libsignal does not clamp at DH time, spec §6 of vector-sources).
struct ImportedKeys {
  Bytes identity_private;  // 32 bytes
  std::uint32_t registration_id = 0;
  struct SignedPreKey {
    std::uint32_t id = 0;
    Bytes private_key;  // 32 bytes
    Bytes signature;    // 64 bytes over the 33-byte public key; empty: sign it now (draws 64)
  };
  std::optional<SignedPreKey> signed_pre_key;             // absent: a device that only initiates
  std::vector<std::pair<std::uint32_t, Bytes>> pre_keys;  // id, 32-byte private key
};

struct EncryptedKey {
  Bytes data;              // the serialised libsignal message (0x33 ‖ ...)
  bool is_prekey = false;  // PreKeySignalMessage (prekey='true') rather than SignalMessage
};

class SessionCore {
 public:
  // Generates the identity key pair, signed prekey `signed_pre_key_id` and `pre_key_count`
  // one-time prekeys with ids first_pre_key_id.. (libsignal's 24-bit id space, spec A-10).
  SessionCore(crypto::RandomSource random, std::uint32_t registration_id, std::size_t pre_key_count,
              std::uint32_t signed_pre_key_id = 1, std::uint32_t first_pre_key_id = 1);
  // A core holding exactly `keys` (no generated prekeys). Throws std::invalid_argument for keys
  // of the wrong length or a signed prekey signature that does not verify. Draws randomness only
  // to sign a signed prekey given without signature.
  SessionCore(crypto::RandomSource random, const ImportedKeys& keys);
  SessionCore(const SessionCore&) = delete;
  SessionCore& operator=(const SessionCore&) = delete;

  BundleKeys bundle_keys() const;
  const Bytes& identity_public() const { return store_.identity_public(); }

  // Builds (or replaces) the session with `remote` from its bundle, using one-time prekey
  // `pre_key_id` from it, or none (nullopt: an SPK-only exchange, spec A-27). Fails with
  // bad_signature when the signed prekey signature does not verify, bad_data for malformed
  // keys, unknown_prekey when the id is not in the bundle.
  Result<std::monostate> build_session(const RemoteAddress& remote, const BundleKeys& bundle,
                                       std::optional<std::uint32_t> pre_key_id);
  bool has_session(const RemoteAddress& remote) const;

  Result<EncryptedKey> encrypt(const RemoteAddress& remote, ByteView key_material);
  Result<Bytes> decrypt(const RemoteAddress& remote, ByteView data, bool is_prekey);

  // Generates new one-time prekeys until `target` exist; returns the ids added.
  std::vector<std::uint32_t> replenish_pre_keys(std::size_t target);
  // A new signed prekey (next id) becomes the published one; the previous one is kept for
  // key exchanges still in flight, older ones are deleted.
  void rotate_signed_pre_key();

  void set_trust_callback(SignalStore::TrustCallback callback) {
    store_.set_trust_callback(std::move(callback));
  }
  // The stores, the id counter and the random stream position.
  Bytes export_state() const;
  bool import_state(ByteView state);
  const SignalStore& store() const { return store_; }

  // Makes a group of operations atomic: rollback() (or destruction without commit()) restores
  // the store's libsignal-written entries, the id counter and the random stream position to
  // what they were at construction; the random script position is not restored. Transactions
  // nest (decrypt() opens one inside the caller's) and must end innermost first. Only writes
  // libsignal makes through the store callbacks are covered, i.e. decrypt(), encrypt() and
  // build_session(); not replenish_pre_keys(), rotate_signed_pre_key() or import_state().
  class Transaction {
   public:
    explicit Transaction(SessionCore& core);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();
    void rollback();

   private:
    SessionCore* core_;  // null once ended
    SignalStore::Mark mark_;
    crypto::RandomSource random_;
    std::uint32_t next_pre_key_id_;
  };

  // Scripted randomness for the next operations (see SignalContext::arm_random_script): e.g.
  // the base key and first ratchet private keys before build_session(), or the next ratchet
  // private key before a decrypt() that turns the ratchet. A failed decrypt() restores the store
  // but not the script position.
  void arm_random_script(ByteView bytes) { context_.arm_random_script(bytes); }
  void disarm_random_script() { context_.disarm_random_script(); }
  std::size_t random_script_remaining() const { return context_.random_script_remaining(); }

 private:
  Failure failure_from(int code, const char* operation) const;
  void generate_signed_pre_key(std::uint32_t id);
  SignalRef<ec_key_pair> generate_key_pair();

  crypto::RandomSource random_;
  SignalContext context_;
  SignalStore store_;
  std::uint32_t next_pre_key_id_ = 1;
};

}  // namespace oi::engine::legacy
