// The in-memory stores libomemo-c reads and writes through its store callbacks (ours, as every
// client on libsignal/libomemo-c brings its own: Dino keeps them in SQLite, QXmpp in memory).
// One device speaks one profile, so sessions need no version in their key.
#pragma once

extern "C" {
#include <omemo/signal_protocol.h>
}

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "base64.h"

namespace oi::libomemo_c {

using RemoteDevice = std::pair<std::string, std::int32_t>;  // bare JID, device id

struct KeyStores {
  Bytes identity_public;   // 33 bytes, 0x05 || Curve25519 (what curve_decode_point reads)
  Bytes identity_private;  // 32 bytes
  std::uint32_t registration_id = 0;
  std::map<RemoteDevice, Bytes> sessions;           // serialised session_record
  std::map<std::uint32_t, Bytes> pre_keys;          // serialised session_pre_key
  std::map<std::uint32_t, Bytes> signed_pre_keys;   // serialised session_signed_pre_key
  std::map<RemoteDevice, Bytes> remote_identities;  // as libomemo-c saved them
  std::uint32_t pre_keys_removed = 0;               // counts remove_pre_key calls
};

// Registers the four stores on `context`; the callbacks read and write `stores`, which must
// outlive the context.
void register_stores(signal_protocol_store_context* context, KeyStores& stores);

}  // namespace oi::libomemo_c
