// The legacy store's undo journal: every write libsignal makes through the store callbacks is
// undone by a rollback, nested transactions end innermost first, and a commit of the outermost
// one keeps the writes.
#include <catch2/catch.hpp>
#include <cstring>
#include <stdexcept>

#include "engine/legacy/session_core.h"
#include "engine/legacy/signal_context.h"
#include "engine/legacy/signal_ref.h"
#include "engine/legacy/signal_store.h"

extern "C" {
#include <curve.h>
#include <session_pre_key.h>
#include <session_record.h>
}

using namespace oi;
using namespace oi::engine::legacy;

namespace {

// A store wired to a context, with libsignal objects to write through its callbacks.
struct Fixture {
  crypto::RandomSource random = crypto::RandomSource::seeded(11);
  SignalContext context{random};
  SignalStore store;
  signal_protocol_store_context* callbacks = nullptr;

  Fixture() {
    store.set_identity(Bytes(33, 0x05), Bytes(32, 0x01), 7);
    callbacks = store.attach(context.get());
    // Entries that exist before any transaction, with recognisable values.
    store.sessions[{"alice@example.org", 1}] = Bytes{0xA1};
    store.sessions[{"alice@example.org", 2}] = Bytes{0xA2};
    store.sessions[{"bob@example.org", 1}] = Bytes{0xB1};
    store.pre_keys[1] = Bytes{0x01};
    store.pre_keys[2] = Bytes{0x02};
    store.signed_pre_keys[1] = Bytes{0x51};
    store.identities[{"alice@example.org", 1}] = Bytes{0x1D};
  }

  signal_protocol_address address(const char* jid, int32_t device) {
    return {jid, std::strlen(jid), device};
  }

  void store_session(const char* jid, int32_t device) {
    SignalRef<session_record> record;
    REQUIRE(session_record_create(record.out(), nullptr, context.get()) == 0);
    signal_protocol_address where = address(jid, device);
    REQUIRE(signal_protocol_session_store_session(callbacks, &where, record.get()) == 0);
  }
  int delete_session(const char* jid, int32_t device) {
    signal_protocol_address where = address(jid, device);
    return signal_protocol_session_delete_session(callbacks, &where);
  }
  int delete_all_sessions(const char* jid) {
    return signal_protocol_session_delete_all_sessions(callbacks, jid, std::strlen(jid));
  }
  SignalRef<ec_key_pair> key_pair() {
    SignalRef<ec_key_pair> pair;
    REQUIRE(curve_generate_key_pair(context.get(), pair.out()) == 0);
    return pair;
  }
  void store_pre_key(std::uint32_t id) {
    SignalRef<session_pre_key> pre_key;
    REQUIRE(session_pre_key_create(pre_key.out(), id, key_pair().get()) == 0);
    REQUIRE(signal_protocol_pre_key_store_key(callbacks, pre_key.get()) == 0);
  }
  void remove_pre_key(std::uint32_t id) {
    REQUIRE(signal_protocol_pre_key_remove_key(callbacks, id) == 0);
  }
  void store_signed_pre_key(std::uint32_t id) {
    SignalRef<session_signed_pre_key> signed_pre_key;
    const Bytes signature(64, 0x5A);
    REQUIRE(session_signed_pre_key_create(signed_pre_key.out(), id, 0, key_pair().get(),
                                          signature.data(), signature.size()) == 0);
    REQUIRE(signal_protocol_signed_pre_key_store_key(callbacks, signed_pre_key.get()) == 0);
  }
  void remove_signed_pre_key(std::uint32_t id) {
    REQUIRE(signal_protocol_signed_pre_key_remove_key(callbacks, id) == 0);
  }
  void save_identity(const char* jid, int32_t device) {
    signal_protocol_address where = address(jid, device);
    SignalRef<ec_key_pair> pair = key_pair();
    REQUIRE(signal_protocol_identity_save_identity(callbacks, &where,
                                                   ec_key_pair_get_public(pair.get())) == 0);
  }
  void forget_identity(const char* jid, int32_t device) {
    signal_protocol_address where = address(jid, device);
    REQUIRE(signal_protocol_identity_save_identity(callbacks, &where, nullptr) == 0);
  }

  // Every callback kind, on entries that exist and on entries that do not.
  void write_everything() {
    store_session("alice@example.org", 1);  // replaces
    store_session("carol@example.org", 5);  // adds
    CHECK(delete_session("bob@example.org", 1) == 1);
    CHECK(delete_session("nobody@example.org", 1) == 0);
    store_session("bob@example.org", 1);  // re-adds what was just deleted
    CHECK(delete_all_sessions("alice@example.org") == 2);
    store_pre_key(1);  // replaces
    store_pre_key(3);  // adds
    remove_pre_key(2);
    remove_pre_key(99);  // absent
    store_signed_pre_key(1);
    store_signed_pre_key(2);
    remove_signed_pre_key(1);
    save_identity("alice@example.org", 1);   // replaces
    save_identity("carol@example.org", 5);   // adds
    forget_identity("dave@example.org", 1);  // absent
  }
};

}  // namespace

TEST_CASE("journal: a rollback undoes every kind of callback write", "[engine][legacy]") {
  Fixture fixture;
  const Bytes before = fixture.store.export_state();
  SignalStore::Mark mark = fixture.store.begin();
  fixture.write_everything();
  CHECK(fixture.store.export_state() != before);
  CHECK_FALSE(fixture.store.sessions.contains({"alice@example.org", 2}));
  CHECK(fixture.store.sessions.contains({"carol@example.org", 5}));
  CHECK(fixture.store.pre_keys.contains(3));
  CHECK(fixture.store.signed_pre_keys.size() == 1);
  CHECK(fixture.store.identities.size() == 2);
  fixture.store.rollback(mark);
  CHECK(fixture.store.export_state() == before);
  CHECK(fixture.store.sessions.at({"alice@example.org", 1}) == Bytes{0xA1});
  CHECK(fixture.store.open_transactions() == 0);
  CHECK(fixture.store.journal_size() == 0);
}

TEST_CASE("journal: a commit keeps the writes and ends the journal", "[engine][legacy]") {
  Fixture fixture;
  SignalStore::Mark mark = fixture.store.begin();
  fixture.write_everything();
  const Bytes written = fixture.store.export_state();
  CHECK(fixture.store.journal_size() > 0);
  fixture.store.commit(mark);
  CHECK(fixture.store.export_state() == written);
  CHECK(fixture.store.journal_size() == 0);
  CHECK(fixture.store.open_transactions() == 0);
}

TEST_CASE("journal: nothing is recorded outside a transaction", "[engine][legacy]") {
  Fixture fixture;
  fixture.write_everything();
  CHECK(fixture.store.journal_size() == 0);
}

TEST_CASE("journal: nested transactions", "[engine][legacy]") {
  Fixture fixture;
  const Bytes original = fixture.store.export_state();
  SignalStore::Mark outer = fixture.store.begin();
  fixture.store_session("alice@example.org", 1);
  fixture.remove_pre_key(1);
  const Bytes after_outer_writes = fixture.store.export_state();

  SECTION("an inner rollback undoes only the inner writes") {
    SignalStore::Mark inner = fixture.store.begin();
    fixture.store_session("alice@example.org", 1);  // the same entry again
    fixture.store_pre_key(1);                       // restores an entry the outer one removed
    fixture.save_identity("bob@example.org", 1);
    fixture.store.rollback(inner);
    CHECK(fixture.store.export_state() == after_outer_writes);
    CHECK(fixture.store.open_transactions() == 1);
    fixture.store.rollback(outer);
    CHECK(fixture.store.export_state() == original);
  }
  SECTION("an outer rollback undoes a committed inner transaction") {
    SignalStore::Mark inner = fixture.store.begin();
    fixture.delete_all_sessions("alice@example.org");
    fixture.store_signed_pre_key(4);
    fixture.store.commit(inner);
    CHECK(fixture.store.journal_size() > 0);  // kept for the outer transaction
    fixture.store.rollback(outer);
    CHECK(fixture.store.export_state() == original);
    CHECK(fixture.store.journal_size() == 0);
  }
  SECTION("an outer commit keeps a committed inner transaction") {
    SignalStore::Mark inner = fixture.store.begin();
    fixture.store_pre_key(8);
    fixture.store.commit(inner);
    const Bytes written = fixture.store.export_state();
    fixture.store.commit(outer);
    CHECK(fixture.store.export_state() == written);
    CHECK(fixture.store.pre_keys.contains(8));
    CHECK(fixture.store.journal_size() == 0);
  }
  SECTION("an outer commit keeps what an inner rollback left") {
    SignalStore::Mark inner = fixture.store.begin();
    fixture.store_pre_key(8);
    fixture.store.rollback(inner);
    fixture.store.commit(outer);
    CHECK(fixture.store.export_state() == after_outer_writes);
  }
  SECTION("transactions end innermost first") {
    fixture.store_pre_key(8);
    SignalStore::Mark inner = fixture.store.begin();
    fixture.store_pre_key(9);
    CHECK_THROWS_AS(fixture.store.commit(outer), std::logic_error);
    CHECK_THROWS_AS(fixture.store.rollback(outer), std::logic_error);
    fixture.store.rollback(inner);
    fixture.store.rollback(outer);
    CHECK(fixture.store.export_state() == original);
    CHECK_THROWS_AS(fixture.store.commit(outer), std::logic_error);
  }
}

TEST_CASE("journal: a core transaction restores the random stream and the store",
          "[engine][legacy]") {
  SessionCore alice(crypto::RandomSource::seeded(1), 1111, 20);
  SessionCore bob(crypto::RandomSource::seeded(2), 2222, 20);
  const RemoteAddress bob_address{"bob@example.org", 2222};
  BundleKeys bundle = bob.bundle_keys();
  const Bytes before = alice.export_state();
  {
    // build_session draws a base key and writes a session and an identity.
    SessionCore::Transaction transaction(alice);
    REQUIRE(alice.build_session(bob_address, bundle, bundle.pre_keys.front().first).has_value());
    CHECK(alice.export_state() != before);
    transaction.rollback();
  }
  CHECK(alice.export_state() == before);
  {
    SessionCore::Transaction transaction(alice);
    REQUIRE(alice.build_session(bob_address, bundle, bundle.pre_keys.front().first).has_value());
    // Destroyed without commit: rolled back.
  }
  CHECK(alice.export_state() == before);
  {
    SessionCore::Transaction transaction(alice);
    REQUIRE(alice.build_session(bob_address, bundle, bundle.pre_keys.front().first).has_value());
    transaction.commit();
  }
  CHECK(alice.has_session(bob_address));
  CHECK(alice.store().journal_size() == 0);
  CHECK(alice.store().open_transactions() == 0);
}
