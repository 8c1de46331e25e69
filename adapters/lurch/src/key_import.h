// import_keys (PROTOCOL.md §11) for axc: writes the given identity, registration id, prekeys and
// signed prekey into axc's SQLite store with axc's own store functions, in the records axc_install
// writes (libsignal serialisations), and marks the database initialised. Nothing is generated,
// checked or re-derived: axc_install does not check a signed-prekey signature either.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "stack_context.h"

namespace lurch_adapter {

// Throws LibraryFailure ("bad_data" for keys of the wrong length or form).
void install_keys(StackContext& stack, const nlohmann::json& keys, std::uint32_t device_id);

}  // namespace lurch_adapter
