// What the console may use: a terminal gets colour (unless NO_COLOR is set and not empty,
// https://no-color.org) and a progress bar; a pipe or file gets plain lines.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace oi::report {

bool is_terminal(std::FILE* stream);
bool colour_enabled(std::FILE* stream);

// `text` wrapped in the ANSI SGR `code` ("31" red, "32" green, "33" yellow, "1" bold) when
// `colour` is on; `text` unchanged otherwise.
std::string paint(std::string_view text, std::string_view code, bool colour);

}  // namespace oi::report
