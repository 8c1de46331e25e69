#include "net/jid.h"

namespace oi::net {

namespace {

bool is_allowed_character(char c) {
  return !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '<' || c == '>' || c == '"' ||
           c == '\'' || c == '\0');
}

}  // namespace

std::optional<Jid> Jid::parse(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (char c : text)
    if (!is_allowed_character(c)) return std::nullopt;
  Jid jid;
  std::string_view rest = text;
  if (std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
    jid.resource_ = std::string(rest.substr(slash + 1));
    if (jid.resource_.empty()) return std::nullopt;
    rest = rest.substr(0, slash);
  }
  if (std::size_t at = rest.find('@'); at != std::string_view::npos) {
    jid.local_ = std::string(rest.substr(0, at));
    if (jid.local_.empty()) return std::nullopt;
    rest = rest.substr(at + 1);
    if (rest.find('@') != std::string_view::npos) return std::nullopt;
  }
  if (rest.empty()) return std::nullopt;
  jid.domain_ = std::string(rest);
  return jid;
}

std::string Jid::bare() const {
  return local_.empty() ? domain_ : local_ + "@" + domain_;
}

std::string Jid::full() const {
  return resource_.empty() ? bare() : bare() + "/" + resource_;
}

Jid Jid::bare_jid() const {
  Jid out = *this;
  out.resource_.clear();
  return out;
}

Jid Jid::with_resource(std::string_view resource) const {
  Jid out = *this;
  out.resource_ = std::string(resource);
  return out;
}

std::string bare_of(std::string_view text) {
  auto jid = Jid::parse(text);
  return jid ? jid->bare() : std::string(text);
}

}  // namespace oi::net
