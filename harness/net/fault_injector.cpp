#include "net/fault_injector.h"

#include <algorithm>

#include "net/jid.h"
#include "net/xml_tools.h"

namespace oi::net {

bool StanzaMatcher::matches(const InFlight& stanza) const {
  if (direction && *direction != stanza.direction) return false;
  if (!endpoint.empty() && stanza.endpoint != endpoint &&
      !(endpoint.find('/') == std::string::npos && bare_of(stanza.endpoint) == endpoint))
    return false;
  if (!contains_text.empty() && stanza.xml.find(contains_text) == std::string::npos) return false;
  // A namespace must be spelt out in the text to be declared: a cheap early miss.
  if (!contains_namespace.empty() && stanza.xml.find(contains_namespace) == std::string::npos)
    return false;
  if (!kind.empty() || !contains_namespace.empty()) {
    pugi::xml_document document;
    std::string error;
    if (!xml::load_stanza(document, stanza.xml, error)) return false;
    pugi::xml_node root = document.document_element();
    if (!kind.empty() && xml::local_name(root) != kind) return false;
    if (!contains_namespace.empty() && !xml::contains_namespace(root, contains_namespace))
      return false;
  }
  return !predicate || predicate(stanza);
}

std::string_view fault_action_name(FaultAction action) {
  switch (action) {
    case FaultAction::drop:
      return "drop";
    case FaultAction::duplicate:
      return "duplicate";
    case FaultAction::hold:
      return "hold";
    case FaultAction::delay:
      return "delay";
    case FaultAction::tamper:
      return "tamper";
  }
  return "?";
}

namespace {

FaultRule make_rule(std::string name, StanzaMatcher match, FaultAction action,
                    std::uint32_t count) {
  FaultRule rule;
  rule.name = std::move(name);
  rule.match = std::move(match);
  rule.action = action;
  rule.count = count;
  return rule;
}

}  // namespace

FaultRule drop_rule(std::string name, StanzaMatcher match, std::uint32_t count) {
  return make_rule(std::move(name), std::move(match), FaultAction::drop, count);
}

FaultRule duplicate_rule(std::string name, StanzaMatcher match, std::uint32_t count) {
  return make_rule(std::move(name), std::move(match), FaultAction::duplicate, count);
}

FaultRule hold_rule(std::string name, StanzaMatcher match, std::uint32_t count) {
  return make_rule(std::move(name), std::move(match), FaultAction::hold, count);
}

FaultRule delay_rule(std::string name, StanzaMatcher match, std::chrono::milliseconds delay,
                     std::uint32_t count) {
  FaultRule rule = make_rule(std::move(name), std::move(match), FaultAction::delay, count);
  rule.delay = delay;
  return rule;
}

FaultRule tamper_rule(std::string name, StanzaMatcher match, TamperFunction tamper,
                      std::uint32_t count) {
  FaultRule rule = make_rule(std::move(name), std::move(match), FaultAction::tamper, count);
  rule.tamper = std::move(tamper);
  return rule;
}

StanzaMatcher match_stanzas(Direction direction, std::string endpoint, std::string kind) {
  StanzaMatcher match;
  match.direction = direction;
  match.endpoint = std::move(endpoint);
  match.kind = std::move(kind);
  return match;
}

std::uint64_t FaultInjector::add(FaultRule rule) {
  std::uint64_t id = next_rule_++;
  rules_.push_back(Entry{id, std::move(rule)});
  return id;
}

bool FaultInjector::remove(std::uint64_t id) {
  return std::erase_if(rules_, [&](const Entry& e) { return e.id == id; }) > 0;
}

void FaultInjector::clear() {
  rules_.clear();
}

std::optional<FaultDecision> FaultInjector::decide(const InFlight& stanza) {
  for (Entry& entry : rules_) {
    const FaultRule& rule = entry.rule;
    if (rule.count != 0 && entry.applied >= rule.count) continue;
    if (!rule.match.matches(stanza)) continue;
    if (entry.seen++ < rule.skip) continue;
    ++entry.applied;
    return FaultDecision{rule.action, rule.name, rule.delay, rule.tamper};
  }
  return std::nullopt;
}

std::uint64_t FaultInjector::hold(InFlight stanza, std::optional<std::int64_t> due_ms,
                                  std::string rule) {
  std::uint64_t handle = next_handle_++;
  held_.push_back(HeldStanza{handle, std::move(stanza), due_ms, std::move(rule)});
  return handle;
}

std::optional<HeldStanza> FaultInjector::take(std::uint64_t handle) {
  auto it = std::find_if(held_.begin(), held_.end(),
                         [&](const HeldStanza& h) { return h.handle == handle; });
  if (it == held_.end()) return std::nullopt;
  HeldStanza out = std::move(*it);
  held_.erase(it);
  return out;
}

std::vector<HeldStanza> FaultInjector::take_due(std::int64_t now_ms) {
  std::vector<HeldStanza> due;
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->due_ms && *it->due_ms <= now_ms) {
      due.push_back(std::move(*it));
      it = held_.erase(it);
    } else {
      ++it;
    }
  }
  std::stable_sort(due.begin(), due.end(),
                   [](const HeldStanza& a, const HeldStanza& b) { return *a.due_ms < *b.due_ms; });
  return due;
}

TamperFunction xml_transform(std::function<void(pugi::xml_node stanza)> edit) {
  return [edit = std::move(edit)](std::string_view text) -> std::string {
    pugi::xml_document document;
    std::string error;
    if (!xml::load_stanza(document, text, error)) return std::string(text);
    edit(document.document_element());
    return xml::print(document.document_element());
  };
}

}  // namespace oi::net
