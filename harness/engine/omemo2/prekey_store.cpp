#include "engine/omemo2/prekey_store.h"

#include <algorithm>

#include "engine/omemo2/x3dh.h"
#include "engine/state_codec.h"

namespace oi::engine::omemo2 {
namespace {

constexpr std::uint32_t kMaxId = 0x7FFFFFFF;  // 2^31-1
constexpr std::string_view kFormat = "omemo2-prekeys/1";

std::uint32_t next_id(std::uint32_t id) {
  return id >= kMaxId ? 1 : id + 1;
}

SignedPrekey make_signed_prekey(std::uint32_t id, const IdentityKey& identity,
                                crypto::RandomSource& random) {
  SignedPrekey out;
  out.id = id;
  out.key_pair = crypto::curve25519_generate(random);
  out.signature = sign_signed_prekey(identity, out.key_pair.public_key, random);
  return out;
}

void write_key_pair(StateWriter& out, const crypto::CurveKeyPair& pair) {
  out.blob(pair.private_key);
}

std::optional<crypto::CurveKeyPair> read_key_pair(StateReader& in) {
  std::optional<Bytes> secret = in.blob();
  if (!secret || secret->size() != 32) return std::nullopt;
  Key32 key;
  std::copy(secret->begin(), secret->end(), key.begin());
  crypto::CurveKeyPair pair = crypto::curve25519_from_private(key);
  if (pair.private_key != key) return std::nullopt;  // not a clamped scalar: not ours
  return pair;
}

void write_signed_prekey(StateWriter& out, const SignedPrekey& spk) {
  out.u32(spk.id);
  write_key_pair(out, spk.key_pair);
  out.blob(spk.signature);
}

std::optional<SignedPrekey> read_signed_prekey(StateReader& in) {
  auto id = in.u32();
  auto pair = read_key_pair(in);
  auto signature = in.blob();
  if (!id || *id == 0 || *id > kMaxId || !pair || !signature || signature->size() != 64)
    return std::nullopt;
  SignedPrekey out;
  out.id = *id;
  out.key_pair = *pair;
  std::copy(signature->begin(), signature->end(), out.signature.begin());
  return out;
}

}  // namespace

bool operator==(const SignedPrekey& a, const SignedPrekey& b) {
  return a.id == b.id && a.key_pair.private_key == b.key_pair.private_key &&
         a.key_pair.public_key == b.key_pair.public_key && a.signature == b.signature;
}

PrekeyStore PrekeyStore::generate(const IdentityKey& identity, std::size_t count,
                                  crypto::RandomSource& random) {
  PrekeyStore store;
  store.current_ = make_signed_prekey(1, identity, random);
  store.refill(count, random);
  return store;
}

PrekeyStore PrekeyStore::from_keys(SignedPrekey signed_prekey,
                                   std::map<std::uint32_t, crypto::CurveKeyPair> prekeys) {
  PrekeyStore store;
  store.current_ = std::move(signed_prekey);
  if (!prekeys.empty()) store.next_prekey_id_ = next_id(prekeys.rbegin()->first);
  store.prekeys_ = std::move(prekeys);
  return store;
}

std::optional<crypto::CurveKeyPair> PrekeyStore::signed_prekey(std::uint32_t id) const {
  if (id == current_.id) return current_.key_pair;
  if (previous_ && id == previous_->id) return previous_->key_pair;
  return std::nullopt;
}

std::optional<crypto::CurveKeyPair> PrekeyStore::prekey(std::uint32_t id) const {
  auto found = prekeys_.find(id);
  if (found == prekeys_.end()) return std::nullopt;
  return found->second;
}

bool PrekeyStore::consume(std::uint32_t id) {
  return prekeys_.erase(id) == 1;
}

std::size_t PrekeyStore::refill(std::size_t target, crypto::RandomSource& random) {
  std::size_t generated = 0;
  while (prekeys_.size() < target && prekeys_.size() < kMaxId) {
    while (prekeys_.contains(next_prekey_id_)) next_prekey_id_ = next_id(next_prekey_id_);
    prekeys_.emplace(next_prekey_id_, crypto::curve25519_generate(random));
    next_prekey_id_ = next_id(next_prekey_id_);
    ++generated;
  }
  return generated;
}

void PrekeyStore::rotate(const IdentityKey& identity, crypto::RandomSource& random) {
  SignedPrekey fresh = make_signed_prekey(next_id(current_.id), identity, random);
  previous_ = std::move(current_);
  current_ = std::move(fresh);
}

Bytes PrekeyStore::export_state() const {
  StateWriter out;
  out.text(kFormat);
  write_signed_prekey(out, current_);
  out.u8(previous_ ? 1 : 0);
  if (previous_) write_signed_prekey(out, *previous_);
  out.u32(next_prekey_id_);
  out.u32(static_cast<std::uint32_t>(prekeys_.size()));
  for (const auto& [id, pair] : prekeys_) {
    out.u32(id);
    write_key_pair(out, pair);
  }
  return out.take();
}

std::optional<PrekeyStore> PrekeyStore::import_state(ByteView state) {
  StateReader in(state);
  PrekeyStore store;
  auto format = in.text();
  if (!format || *format != kFormat) return std::nullopt;
  auto current = read_signed_prekey(in);
  auto has_previous = in.u8();
  if (!current || !has_previous || *has_previous > 1) return std::nullopt;
  store.current_ = std::move(*current);
  if (*has_previous == 1) {
    store.previous_ = read_signed_prekey(in);
    if (!store.previous_) return std::nullopt;
  }
  auto next = in.u32();
  auto count = in.u32();
  if (!next || *next == 0 || *next > kMaxId || !count) return std::nullopt;
  store.next_prekey_id_ = *next;
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto id = in.u32();
    auto pair = read_key_pair(in);
    if (!id || *id == 0 || *id > kMaxId || !pair || !store.prekeys_.emplace(*id, *pair).second)
      return std::nullopt;
  }
  if (!in.at_end()) return std::nullopt;
  return store;
}

}  // namespace oi::engine::omemo2
