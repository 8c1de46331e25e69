// One account's roster with RFC 6121 presence subscription states.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace oi::net {

enum class Subscription { none, to, from, both };

// "none", "to", "from", "both".
std::string_view subscription_name(Subscription subscription);

struct RosterItem {
  std::string jid;  // bare JID of the contact
  Subscription subscription = Subscription::none;
  bool ask_subscribe = false;  // our subscription request is pending
  std::string name;
};

class Roster {
 public:
  const std::map<std::string, RosterItem>& items() const { return items_; }
  const RosterItem* find(std::string_view contact) const;
  RosterItem& ensure(std::string_view contact);
  bool remove(std::string_view contact);

  // True when `contact` receives our presence (subscription from or both): the contact may read
  // presence-model PEP nodes and gets auto-subscribed notifications.
  bool has_subscriber(std::string_view contact) const;
  // True when we receive `contact`'s presence (subscription to or both).
  bool is_subscribed_to(std::string_view contact) const;

  // State changes of RFC 6121 §3: `contact` now receives our presence (none->from, to->both)...
  void grant_from(std::string_view contact);
  // ...we now receive theirs (none->to, from->both; the pending ask is cleared)...
  void grant_to(std::string_view contact);
  // ...and the reverse transitions.
  void revoke_from(std::string_view contact);
  void revoke_to(std::string_view contact);

  // Inbound subscription requests not yet answered (bare JIDs).
  std::set<std::string>& pending_inbound() { return pending_inbound_; }
  const std::set<std::string>& pending_inbound() const { return pending_inbound_; }

  // Contacts that receive our presence, sorted.
  std::vector<std::string> subscribers() const;
  // Contacts whose presence we receive, sorted.
  std::vector<std::string> subscriptions() const;

 private:
  std::map<std::string, RosterItem> items_;
  std::set<std::string> pending_inbound_;
};

}  // namespace oi::net
