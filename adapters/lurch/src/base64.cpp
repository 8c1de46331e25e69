#include "base64.h"

#include <glib.h>

namespace lurch_adapter {

std::optional<std::vector<std::uint8_t>> decode_base64(const std::string& text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/';
    if (c == '=') {
      if (i + 2 < text.size()) return std::nullopt;  // only the last two characters
      ++padding;
    } else if (!alphabet || padding > 0) {
      return std::nullopt;
    }
  }
  gsize length = 0;
  guchar* decoded = g_base64_decode(text.c_str(), &length);
  std::vector<std::uint8_t> out(decoded, decoded + length);
  g_free(decoded);
  return out;
}

}  // namespace lurch_adapter
