// Turns finished cells into results-model cases: the verdict, the first failed check, every
// check, the decrypted view (what each device reported), adapter stderr and the stanza
// transcript, with the scenario's description and area.
#pragma once

#include <vector>

#include "report/results.h"
#include "scenario/cell.h"

namespace oi::report {

CaseResult cell_case(const scenario::Cell& cell, const scenario::CellResult& result);

}  // namespace oi::report
