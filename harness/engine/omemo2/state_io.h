// Export and import of an OMEMO 2 session as bytes, so that a scenario can fork a device (replay
// tests) and a test can compare the state before and after a failed decrypt.
//
// The format is private to the engine (a protobuf-encoded record, versioned by field 1); it is
// stable within one harness version only. Importing returns nullopt for anything it did not
// write: wrong field types, wrong key lengths, unknown fields, an unknown version.
#pragma once

#include <optional>

#include "crypto/bytes.h"
#include "engine/omemo2/ratchet.h"
#include "engine/omemo2/session.h"

namespace oi::engine::omemo2 {

Bytes export_ratchet_state(const RatchetState& state);
std::optional<RatchetState> import_ratchet_state(ByteView bytes);

Bytes export_session(const Session& session);
std::optional<Session> import_session(ByteView bytes);

}  // namespace oi::engine::omemo2
