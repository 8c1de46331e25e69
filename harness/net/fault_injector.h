// Fault injection on stanzas in flight between a client and the service, in either direction:
// drop, duplicate, hold (released by the caller: reordering), delay (released by the virtual
// clock) and tamper (a callback, or an XML transform).
//
// Contract: rules are tried in the order they were added and the first matching rule with
// applications left acts on the stanza; a rule can let `skip` matches pass before it acts and
// acts on `count` matches (0 = every match). The injector only decides and keeps held stanzas;
// the Server applies the decision and writes the transcript. Released stanzas do not pass the
// rules again.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "net/transcript.h"

namespace oi::net {

struct InFlight {
  Direction direction = Direction::client_to_server;
  std::string endpoint;  // full JID of the client end
  std::string xml;
};

// Every set criterion must hold; an empty matcher matches every stanza.
struct StanzaMatcher {
  std::optional<Direction> direction;
  // A full JID, or a bare JID that matches each of its resources.
  std::string endpoint;
  // Local name of the stanza element: "message", "iq", "presence".
  std::string kind;
  // Some element at or below the stanza is in this namespace (e.g. "urn:xmpp:omemo:2").
  std::string contains_namespace;
  // The XML text contains this substring.
  std::string contains_text;
  std::function<bool(const InFlight&)> predicate;

  bool matches(const InFlight& stanza) const;
};

enum class FaultAction { drop, duplicate, hold, delay, tamper };

// "drop", "duplicate", ...
std::string_view fault_action_name(FaultAction action);

// Returns the rewritten stanza text. An exception thrown by the callback leaves the stanza
// unchanged (the transcript notes it).
using TamperFunction = std::function<std::string(std::string_view xml)>;

struct FaultRule {
  std::string name;  // shown in the transcript note
  StanzaMatcher match;
  FaultAction action = FaultAction::drop;
  std::chrono::milliseconds delay{0};  // for `delay`
  TamperFunction tamper;               // for `tamper`
  std::uint32_t skip = 0;              // matching stanzas let through before acting
  std::uint32_t count = 1;             // applications; 0 = unlimited
};

// Rule builders; `count` = applications (0 = unlimited), as in FaultRule.
FaultRule drop_rule(std::string name, StanzaMatcher match, std::uint32_t count = 1);
FaultRule duplicate_rule(std::string name, StanzaMatcher match, std::uint32_t count = 1);
FaultRule hold_rule(std::string name, StanzaMatcher match, std::uint32_t count = 1);
FaultRule delay_rule(std::string name, StanzaMatcher match, std::chrono::milliseconds delay,
                     std::uint32_t count = 1);
FaultRule tamper_rule(std::string name, StanzaMatcher match, TamperFunction tamper,
                      std::uint32_t count = 1);

// Matcher builders: stanzas of `kind` ("message", "iq", "presence", "" = any) in `direction`
// for `endpoint` (full JID, bare JID for all its resources, "" = any).
StanzaMatcher match_stanzas(Direction direction, std::string endpoint = {}, std::string kind = {});

struct FaultDecision {
  FaultAction action;
  std::string rule;
  std::chrono::milliseconds delay{0};
  TamperFunction tamper;
};

struct HeldStanza {
  std::uint64_t handle = 0;
  InFlight stanza;
  std::optional<std::int64_t> due_ms;  // set for delayed stanzas
  std::string rule;
};

class FaultInjector {
 public:
  // Returns an id for remove().
  std::uint64_t add(FaultRule rule);
  bool remove(std::uint64_t id);
  void clear();
  std::size_t rule_count() const { return rules_.size(); }

  // Consumes one application of the first rule that acts on `stanza`; nullopt lets it pass.
  std::optional<FaultDecision> decide(const InFlight& stanza);

  // The holding area. Handles start at 1 and are never reused.
  std::uint64_t hold(InFlight stanza, std::optional<std::int64_t> due_ms, std::string rule);
  std::optional<HeldStanza> take(std::uint64_t handle);
  // Delayed stanzas due at `now_ms`, ordered by due time then by handle; removed from the area.
  std::vector<HeldStanza> take_due(std::int64_t now_ms);
  // Everything held (caller-released and delayed), by handle.
  const std::vector<HeldStanza>& held() const { return held_; }

 private:
  struct Entry {
    std::uint64_t id;
    FaultRule rule;
    std::uint32_t seen = 0;
    std::uint32_t applied = 0;
  };
  std::vector<Entry> rules_;
  std::vector<HeldStanza> held_;
  std::uint64_t next_rule_ = 1;
  std::uint64_t next_handle_ = 1;
};

// A tamper function that parses the stanza, lets `edit` change the stanza element, and prints
// it compactly. Text that does not parse is returned unchanged.
TamperFunction xml_transform(std::function<void(pugi::xml_node stanza)> edit);

}  // namespace oi::net
