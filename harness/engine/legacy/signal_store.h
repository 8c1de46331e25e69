// In-memory libsignal-protocol-c stores (sessions, prekeys, signed prekeys, identities) for one
// device, serialisable to bytes so that a device can be exported, forked and restored.
//
// Contract: `attach(context)` builds a signal_protocol_store_context whose callbacks point at
// this object; the store must outlive it and must not move while attached. Trust decisions are
// delegated to the `is_trusted` callback (the engine's trust policy); a remote identity is
// recorded by libsignal through save_identity whether or not it is trusted.
//
// Transactions (the undo journal): while one is open, every write libsignal makes through the
// store callbacks (store/delete session, delete all sessions, store/remove prekey and signed
// prekey, save identity) first records the entry's previous value or its absence.
// rollback(mark) restores, newest first, every entry written since `mark` was taken, so the
// maps compare (and export) equal to what they were at begin(). Transactions nest: begin()
// returns a mark, and each begin() is ended by exactly one commit() or rollback() of its mark,
// innermost first. Committing an inner transaction keeps its records, so that an enclosing one
// can still undo them; committing the outermost one discards the journal. Writes made directly
// to the public maps are never journaled, and import_state must not be called while a
// transaction is open.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "crypto/bytes.h"

extern "C" {
#include <signal_protocol.h>
}

namespace oi::engine::legacy {

struct RemoteAddress {
  std::string jid;  // bare JID
  std::uint32_t device_id = 0;
  auto operator<=>(const RemoteAddress&) const = default;
};

class SignalStore {
 public:
  using TrustCallback = std::function<bool(const RemoteAddress&, ByteView identity_key33)>;

  SignalStore() = default;
  SignalStore(const SignalStore&) = delete;
  SignalStore& operator=(const SignalStore&) = delete;
  ~SignalStore();

  // Creates (once) and returns the store context wired to this object.
  signal_protocol_store_context* attach(signal_context* context);

  // Own identity: 33-byte public (0x05 ‖ u) and 32-byte private, as libsignal serialises them.
  void set_identity(Bytes public_key33, Bytes private_key32, std::uint32_t registration_id);
  const Bytes& identity_public() const { return identity_public_; }
  void set_trust_callback(TrustCallback callback) { is_trusted_ = std::move(callback); }

  // Serialised records, keyed as libsignal keys them.
  std::map<RemoteAddress, Bytes> sessions;
  std::map<std::uint32_t, Bytes> pre_keys;
  std::map<std::uint32_t, Bytes> signed_pre_keys;
  std::map<RemoteAddress, Bytes> identities;  // last identity key seen per remote device

  // The whole state as bytes, and back. import_state returns false (and changes nothing) on
  // malformed input.
  Bytes export_state() const;
  bool import_state(ByteView state);

  // The undo journal (see the contract above). commit and rollback throw std::logic_error for a
  // mark that is not the innermost open transaction's.
  using Mark = std::size_t;
  Mark begin();
  void commit(Mark mark);
  void rollback(Mark mark);
  std::size_t open_transactions() const { return marks_.size(); }
  std::size_t journal_size() const { return journal_.size(); }

  // Internal for the C callbacks: writes, journaled while a transaction is open. A nullopt
  // value erases the entry. Returns whether the entry existed before.
  template <class Key>
  using Table = std::map<Key, Bytes> SignalStore::*;
  template <class Key>
  bool write(Table<Key> table, const Key& key, std::optional<Bytes> value);

  const Bytes& identity_private() const { return identity_private_; }
  std::uint32_t registration_id() const { return registration_id_; }
  bool is_trusted(const RemoteAddress& address, ByteView key) const;

 private:
  Bytes identity_public_;
  Bytes identity_private_;
  std::uint32_t registration_id_ = 0;
  TrustCallback is_trusted_;
  signal_protocol_store_context* store_context_ = nullptr;

  template <class Key>
  struct Undo {
    Table<Key> table;
    Key key;
    std::optional<Bytes> previous;  // nullopt: the entry did not exist
  };
  std::vector<std::variant<Undo<RemoteAddress>, Undo<std::uint32_t>>> journal_;
  std::vector<Mark> marks_;  // the open transactions, outermost first
};

}  // namespace oi::engine::legacy
