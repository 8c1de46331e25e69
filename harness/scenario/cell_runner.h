// Runs one cell on a fresh embedded XMPP service: binds roles to implementations, executes the
// steps in order, evaluates the expectations and records the transcript.
//
// Contract: never throws. A step that cannot run (an implementation refusing to create a device,
// an exception escaping an implementation) ends the cell with verdict `error` naming the step's
// file:line; the checks recorded so far are kept.
#pragma once

#include <map>
#include <string>

#include "engine/client/client_api.h"
#include "scenario/cell.h"

namespace oi::scenario {

using ImplementationMap = std::map<std::string, engine::client::Implementation*>;

CellResult run_cell(const Cell& cell, const ImplementationMap& implementations,
                    const RunSettings& settings);

}  // namespace oi::scenario
