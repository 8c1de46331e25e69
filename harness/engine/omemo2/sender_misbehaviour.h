// The OMEMO 2 sender's ratchet- and payload-level misbehaviours (misbehaviour.h), applied to what
// a correct Session and payload produced. The device decides when a knob applies; these only
// build the deviant bytes.
#pragma once

#include "crypto/bytes.h"
#include "crypto/random_source.h"
#include "engine/decrypt_error.h"
#include "engine/omemo2/identity.h"
#include "engine/omemo2/payload.h"
#include "engine/omemo2/session.h"
#include "engine/omemo2/x3dh.h"

namespace oi::engine::omemo2 {

// wrong-ratchet-mac flips one bit of the 16-byte MAC; truncated-ratchet-mac keeps its first 8
// bytes (R-OM2-015). Inside an OMEMOKeyExchange the embedded message's MAC is changed.
void damage_ratchet_mac(OutgoingKey& key, bool wrong_mac, bool truncated_mac);

// stop-kex-early: the OMEMOAuthenticatedMessage inside an OMEMOKeyExchange, sent on its own with
// kex false although the peer has not answered yet (R-OM2-016). No-op for a plain message.
void strip_key_exchange(OutgoingKey& key);

// key-exchange-without-prekey: an initiator session from the three-DH X3DH without a one-time
// prekey (IKM = 0xFF*32 || DH1 || DH2 || DH3), whose OMEMOKeyExchange says pk_id 0. An OMEMO 2
// receiver must refuse it (R-OM2-005, A-27); one that treated pk_id 0 as "none" the way libsignal
// treats a missing preKeyId would decrypt it, which is what the knob probes. Verifies the signed
// prekey signature first (bad_signature); draws EK and the first ratchet key from `random`.
Result<Session> initiate_without_prekey(const IdentityKey& own, const BundleKeys& bundle,
                                        crypto::RandomSource& random);

// pre-0.7-key-material: the payload key followed by the untruncated 32-byte HMAC over
// `ciphertext`, 64 bytes as drafts before 0.7 described it.
Bytes pre_0_7_key_material(const KeyMaterial& key_material, ByteView ciphertext);

}  // namespace oi::engine::omemo2
