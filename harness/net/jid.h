// XMPP addresses: local@domain/resource (RFC 7622), without stringprep. The embedded service
// compares JIDs as plain strings after a light syntax check, which is enough for scripted
// scenarios and keeps every comparison exact and deterministic.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace oi::net {

class Jid {
 public:
  // nullopt when `text` is empty, has an empty domain, an empty local part before '@', an empty
  // resource after '/', or contains whitespace, '<', '>', '"' or '\''.
  static std::optional<Jid> parse(std::string_view text);

  const std::string& local() const { return local_; }
  const std::string& domain() const { return domain_; }
  const std::string& resource() const { return resource_; }

  bool has_resource() const { return !resource_.empty(); }
  // local@domain (or domain when there is no local part).
  std::string bare() const;
  // bare/resource, or bare when there is no resource.
  std::string full() const;
  Jid bare_jid() const;
  Jid with_resource(std::string_view resource) const;

  friend auto operator<=>(const Jid&, const Jid&) = default;

 private:
  std::string local_, domain_, resource_;
};

// The bare form of `text`, or `text` unchanged when it does not parse.
std::string bare_of(std::string_view text);

}  // namespace oi::net
