#include "net/roster.h"

namespace oi::net {

std::string_view subscription_name(Subscription subscription) {
  switch (subscription) {
    case Subscription::none:
      return "none";
    case Subscription::to:
      return "to";
    case Subscription::from:
      return "from";
    case Subscription::both:
      return "both";
  }
  return "none";
}

const RosterItem* Roster::find(std::string_view contact) const {
  auto it = items_.find(std::string(contact));
  return it == items_.end() ? nullptr : &it->second;
}

RosterItem& Roster::ensure(std::string_view contact) {
  auto [it, inserted] = items_.try_emplace(std::string(contact));
  if (inserted) it->second.jid = std::string(contact);
  return it->second;
}

bool Roster::remove(std::string_view contact) {
  return items_.erase(std::string(contact)) > 0;
}

bool Roster::has_subscriber(std::string_view contact) const {
  const RosterItem* item = find(contact);
  return item &&
         (item->subscription == Subscription::from || item->subscription == Subscription::both);
}

bool Roster::is_subscribed_to(std::string_view contact) const {
  const RosterItem* item = find(contact);
  return item &&
         (item->subscription == Subscription::to || item->subscription == Subscription::both);
}

void Roster::grant_from(std::string_view contact) {
  RosterItem& item = ensure(contact);
  if (item.subscription == Subscription::none) item.subscription = Subscription::from;
  if (item.subscription == Subscription::to) item.subscription = Subscription::both;
  pending_inbound_.erase(std::string(contact));
}

void Roster::grant_to(std::string_view contact) {
  RosterItem& item = ensure(contact);
  if (item.subscription == Subscription::none) item.subscription = Subscription::to;
  if (item.subscription == Subscription::from) item.subscription = Subscription::both;
  item.ask_subscribe = false;
}

void Roster::revoke_from(std::string_view contact) {
  auto it = items_.find(std::string(contact));
  if (it == items_.end()) return;
  if (it->second.subscription == Subscription::from) it->second.subscription = Subscription::none;
  if (it->second.subscription == Subscription::both) it->second.subscription = Subscription::to;
}

void Roster::revoke_to(std::string_view contact) {
  auto it = items_.find(std::string(contact));
  if (it == items_.end()) return;
  if (it->second.subscription == Subscription::to) it->second.subscription = Subscription::none;
  if (it->second.subscription == Subscription::both) it->second.subscription = Subscription::from;
  it->second.ask_subscribe = false;
}

std::vector<std::string> Roster::subscribers() const {
  std::vector<std::string> out;
  for (const auto& [jid, item] : items_)
    if (has_subscriber(jid)) out.push_back(jid);
  return out;
}

std::vector<std::string> Roster::subscriptions() const {
  std::vector<std::string> out;
  for (const auto& [jid, item] : items_)
    if (is_subscribed_to(jid)) out.push_back(jid);
  return out;
}

}  // namespace oi::net
