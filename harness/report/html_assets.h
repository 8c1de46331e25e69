// The inline stylesheet and script of index.html (no network: everything is in the page).
#pragma once

#include <string_view>

namespace oi::report {

std::string_view report_stylesheet();

// Filters (verdict chips, profile/implementation/area/requirement selects, a matrix cell's
// pair), the search box and the "N of M cases shown" counter. Reads only data-* attributes
// and textContent; writes only hidden/class/textContent, so no page text is ever parsed as
// HTML.
std::string_view report_script();

}  // namespace oi::report
