#include "report/terminal.h"

#include <unistd.h>

#include <cstdlib>

namespace oi::report {

bool is_terminal(std::FILE* stream) {
  return isatty(fileno(stream)) != 0;
}

bool colour_enabled(std::FILE* stream) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  return is_terminal(stream);
}

std::string paint(std::string_view text, std::string_view code, bool colour) {
  if (!colour) return std::string(text);
  return "\x1b[" + std::string(code) + "m" + std::string(text) + "\x1b[0m";
}

}  // namespace oi::report
