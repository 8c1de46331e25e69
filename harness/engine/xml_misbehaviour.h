// XML-level misbehaviours of an outgoing <encrypted> element: the deviations deployed clients
// send and invalid device ids. Both profiles.
#pragma once

#include <string>

#include "codec/encrypted.h"
#include "engine/misbehaviour.h"

namespace oi::engine {

// The element serialised canonically, then changed by every XML-level knob that is on:
// prekey-attribute-one, prekey-attribute-omitted, kex-attribute-one, base64-whitespace,
// shuffled-children, device-id-zero, device-id-too-large.
std::string serialize_with_misbehaviours(const codec::Encrypted& element,
                                         const Switchboard& switchboard);

}  // namespace oi::engine
