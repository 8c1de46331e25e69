// export_state / import_state (PROTOCOL.md §10): a device's whole state as one opaque blob,
// "OMEMO-INTEROP-LIBOMEMO-C/1\n" followed by canonical JSON (sorted keys, base64 bytes): the
// spec, the libomemo-c stores as the library serialised their records (identity, prekeys, signed
// prekeys, sessions, saved remote identities), the client's device lists, trust decisions and
// counters, and the position of the device's random stream.
#pragma once

#include <memory>

#include "base64.h"
#include "client_device.h"

namespace oi::libomemo_c {

struct StateCodec {
  static Bytes export_state(const ClientDevice& device);
  // Throws ProtocolError(bad_data) for a blob that is not ours, of another version, or corrupt.
  static std::unique_ptr<ClientDevice> import_state(const Bytes& blob);
};

}  // namespace oi::libomemo_c
