#include "engine/legacy/ratchet_steps.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/random_source.h"
#include "engine/legacy/signal_context.h"
#include "engine/legacy/signal_ref.h"

extern "C" {
#include <curve.h>
#include <hkdf.h>
#include <ratchet.h>
#include <session_state.h>
}

namespace oi::engine::legacy {
namespace {

void check(int code, const char* what) {
  if (code < 0) throw std::runtime_error(fmt::format("libsignal: {} failed ({})", what, code));
}

Key32 key_from(signal_buffer* buffer, const char* what) {
  if (buffer == nullptr || signal_buffer_len(buffer) != 32) {
    throw std::runtime_error(fmt::format("libsignal: {} is not 32 bytes", what));
  }
  Key32 key;
  std::copy_n(signal_buffer_data(buffer), 32, key.begin());
  return key;
}

Key32 chain_key_bytes(const ratchet_chain_key* chain_key) {
  SignalBuffer buffer;
  check(ratchet_chain_key_get_key(chain_key, buffer.out()), "ratchet_chain_key_get_key");
  return key_from(buffer.get(), "chain key");
}

Key32 root_key_bytes(ratchet_root_key* root_key) {
  SignalBuffer buffer;
  check(ratchet_root_key_get_key(root_key, buffer.out()), "ratchet_root_key_get_key");
  return key_from(buffer.get(), "root key");
}

// One context per call; its random source is never used unless a script is armed (and the
// context is always scripted here), so a fixed seed keeps even a bug reproducible.
struct Context {
  Context() : random(crypto::RandomSource::seeded(0)), signal(random) {
    signal.arm_random_script({});
  }
  crypto::RandomSource random;
  SignalContext signal;
};

void key_pair(SignalRef<ec_key_pair>& pair, const Key32& private_key, signal_context* context) {
  SignalRef<ec_private_key> priv;
  check(curve_decode_private_point(priv.out(), private_key.data(), private_key.size(), context),
        "curve_decode_private_point");
  SignalRef<ec_public_key> pub;
  check(curve_generate_public_key(pub.out(), priv.get()), "curve_generate_public_key");
  check(ec_key_pair_create(pair.out(), pub.get(), priv.get()), "ec_key_pair_create");
}

void identity_pair(SignalRef<ratchet_identity_key_pair>& identity, const Key32& private_key,
                   signal_context* context) {
  SignalRef<ec_key_pair> pair;
  key_pair(pair, private_key, context);
  check(ratchet_identity_key_pair_create(identity.out(), ec_key_pair_get_public(pair.get()),
                                         ec_key_pair_get_private(pair.get())),
        "ratchet_identity_key_pair_create");
}

}  // namespace

Bytes legacy_public_key(const Key32& private_key) {
  Context context;
  SignalRef<ec_key_pair> pair;
  key_pair(pair, private_key, context.signal.get());
  SignalBuffer buffer;
  check(ec_public_key_serialize(buffer.out(), ec_key_pair_get_public(pair.get())),
        "ec_public_key_serialize");
  return Bytes(buffer.data(), buffer.data() + buffer.size());
}

Signature64 legacy_sign(const Key32& identity_private, ByteView message,
                        const ByteArray<64>& random) {
  Context context;
  SignalRef<ec_private_key> priv;
  check(curve_decode_private_point(priv.out(), identity_private.data(), identity_private.size(),
                                   context.signal.get()),
        "curve_decode_private_point");
  context.signal.arm_random_script(random);
  SignalBuffer signature;
  check(curve_calculate_signature(context.signal.get(), signature.out(), priv.get(), message.data(),
                                  message.size()),
        "curve_calculate_signature");
  if (signature.size() != 64) throw std::runtime_error("libsignal: signature is not 64 bytes");
  Signature64 out;
  std::copy_n(signature.data(), 64, out.begin());
  return out;
}

bool legacy_verify(ByteView identity_public, ByteView message, ByteView signature) {
  Context context;
  SignalRef<ec_public_key> key;
  if (identity_public.size() != 33 ||
      curve_decode_point(key.out(), identity_public.data(), identity_public.size(),
                         context.signal.get()) != 0) {
    return false;
  }
  return curve_verify_signature(key.get(), message.data(), message.size(), signature.data(),
                                signature.size()) == 1;
}

LegacyChainStep legacy_chain_step(const Key32& chain_key) {
  Context context;
  SignalRef<hkdf_context> kdf;
  check(hkdf_create(kdf.out(), 3, context.signal.get()), "hkdf_create");
  SignalRef<ratchet_chain_key> chain;
  check(ratchet_chain_key_create(chain.out(), kdf.get(), chain_key.data(), chain_key.size(), 0,
                                 context.signal.get()),
        "ratchet_chain_key_create");
  ratchet_message_keys keys{};
  check(ratchet_chain_key_get_message_keys(chain.get(), &keys),
        "ratchet_chain_key_get_message_keys");
  SignalRef<ratchet_chain_key> next;
  check(ratchet_chain_key_create_next(chain.get(), next.out()), "ratchet_chain_key_create_next");
  LegacyChainStep step;
  std::copy_n(keys.cipher_key, 32, step.cipher_key.begin());
  std::copy_n(keys.mac_key, 32, step.mac_key.begin());
  std::copy_n(keys.iv, 16, step.iv.begin());
  step.next_chain_key = chain_key_bytes(next.get());
  return step;
}

LegacyRootStep legacy_root_step(const Key32& root_key, ByteView their_public33,
                                const Key32& our_private) {
  Context context;
  SignalRef<ec_public_key> their;
  if (their_public33.size() != 33 ||
      curve_decode_point(their.out(), their_public33.data(), their_public33.size(),
                         context.signal.get()) != 0) {
    throw std::invalid_argument("their ratchet key is not a 33-byte 0x05-prefixed key");
  }
  SignalRef<ec_private_key> ours;
  check(curve_decode_private_point(ours.out(), our_private.data(), our_private.size(),
                                   context.signal.get()),
        "curve_decode_private_point");
  SignalRef<hkdf_context> kdf;
  check(hkdf_create(kdf.out(), 3, context.signal.get()), "hkdf_create");
  SignalRef<ratchet_root_key> root;
  check(ratchet_root_key_create(root.out(), kdf.get(), root_key.data(), root_key.size(),
                                context.signal.get()),
        "ratchet_root_key_create");
  SignalRef<ratchet_root_key> new_root;
  SignalRef<ratchet_chain_key> new_chain;
  check(ratchet_root_key_create_chain(root.get(), new_root.out(), new_chain.out(), their.get(),
                                      ours.get()),
        "ratchet_root_key_create_chain");
  return LegacyRootStep{root_key_bytes(new_root.get()), chain_key_bytes(new_chain.get())};
}

LegacyBobSession legacy_x3dh_bob(const LegacyX3dhKeys& keys) {
  Context context;
  signal_context* ctx = context.signal.get();
  SignalRef<ratchet_identity_key_pair> bob_identity;
  identity_pair(bob_identity, keys.bob_identity_private, ctx);
  SignalRef<ec_key_pair> alice_identity, alice_base, signed_pre_key, one_time_pre_key;
  key_pair(alice_identity, keys.alice_identity_private, ctx);
  key_pair(alice_base, keys.alice_base_private, ctx);
  key_pair(signed_pre_key, keys.bob_signed_pre_key_private, ctx);
  if (keys.bob_one_time_pre_key_private)
    key_pair(one_time_pre_key, *keys.bob_one_time_pre_key_private, ctx);
  SignalRef<bob_signal_protocol_parameters> parameters;
  // Bob's ratchet key is his signed prekey (as session_builder does).
  check(bob_signal_protocol_parameters_create(
            parameters.out(), bob_identity.get(), signed_pre_key.get(), one_time_pre_key.get(),
            signed_pre_key.get(), ec_key_pair_get_public(alice_identity.get()),
            ec_key_pair_get_public(alice_base.get())),
        "bob_signal_protocol_parameters_create");
  SignalRef<session_state> state;
  check(session_state_create(state.out(), ctx), "session_state_create");
  check(ratcheting_session_bob_initialize(state.get(), parameters.get(), ctx),
        "ratcheting_session_bob_initialize");
  return LegacyBobSession{root_key_bytes(session_state_get_root_key(state.get())),
                          chain_key_bytes(session_state_get_sender_chain_key(state.get()))};
}

LegacyAliceSession legacy_x3dh_alice(const LegacyX3dhKeys& keys) {
  Context context;
  signal_context* ctx = context.signal.get();
  SignalRef<ratchet_identity_key_pair> alice_identity;
  identity_pair(alice_identity, keys.alice_identity_private, ctx);
  SignalRef<ec_key_pair> alice_base, bob_identity, signed_pre_key, one_time_pre_key;
  key_pair(alice_base, keys.alice_base_private, ctx);
  key_pair(bob_identity, keys.bob_identity_private, ctx);
  key_pair(signed_pre_key, keys.bob_signed_pre_key_private, ctx);
  if (keys.bob_one_time_pre_key_private)
    key_pair(one_time_pre_key, *keys.bob_one_time_pre_key_private, ctx);
  ec_public_key* their_signed_pre_key = ec_key_pair_get_public(signed_pre_key.get());
  SignalRef<alice_signal_protocol_parameters> parameters;
  check(alice_signal_protocol_parameters_create(
            parameters.out(), alice_identity.get(), alice_base.get(),
            ec_key_pair_get_public(bob_identity.get()), their_signed_pre_key,
            one_time_pre_key.get() ? ec_key_pair_get_public(one_time_pre_key.get()) : nullptr,
            their_signed_pre_key),
        "alice_signal_protocol_parameters_create");
  SignalRef<session_state> state;
  check(session_state_create(state.out(), ctx), "session_state_create");
  // The one draw: Alice's first sending ratchet key.
  context.signal.arm_random_script(keys.alice_ratchet_private);
  check(ratcheting_session_alice_initialize(state.get(), parameters.get(), ctx),
        "ratcheting_session_alice_initialize");
  ratchet_chain_key* receiving =
      session_state_get_receiver_chain_key(state.get(), their_signed_pre_key);
  if (receiving == nullptr) throw std::runtime_error("libsignal: no receiver chain for the SPK");
  return LegacyAliceSession{chain_key_bytes(receiving),
                            root_key_bytes(session_state_get_root_key(state.get())),
                            chain_key_bytes(session_state_get_sender_chain_key(state.get()))};
}

}  // namespace oi::engine::legacy
