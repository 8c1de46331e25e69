#include "net/muc_room.h"

#include "net/jid.h"

namespace oi::net {

std::string_view affiliation_name(Affiliation affiliation) {
  switch (affiliation) {
    case Affiliation::none:
      return "none";
    case Affiliation::member:
      return "member";
    case Affiliation::admin:
      return "admin";
    case Affiliation::owner:
      return "owner";
    case Affiliation::outcast:
      return "outcast";
  }
  return "none";
}

std::optional<Affiliation> affiliation_from_name(std::string_view name) {
  if (name == "none") return Affiliation::none;
  if (name == "member") return Affiliation::member;
  if (name == "admin") return Affiliation::admin;
  if (name == "owner") return Affiliation::owner;
  if (name == "outcast") return Affiliation::outcast;
  return std::nullopt;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::none:
      return "none";
    case Role::visitor:
      return "visitor";
    case Role::participant:
      return "participant";
    case Role::moderator:
      return "moderator";
  }
  return "none";
}

Affiliation MucRoom::affiliation_of(std::string_view bare) const {
  auto it = affiliations_.find(std::string(bare));
  return it == affiliations_.end() ? Affiliation::none : it->second;
}

void MucRoom::set_affiliation(std::string_view bare, Affiliation affiliation) {
  if (affiliation == Affiliation::none)
    affiliations_.erase(std::string(bare));
  else
    affiliations_[std::string(bare)] = affiliation;
  for (auto& [nick, occupant] : occupants_) {
    if (bare_of(occupant.real_jid) != bare) continue;
    occupant.affiliation = affiliation;
    occupant.role = affiliation == Affiliation::owner || affiliation == Affiliation::admin
                        ? Role::moderator
                        : Role::participant;
  }
}

std::vector<std::string> MucRoom::with_affiliation(Affiliation affiliation) const {
  std::vector<std::string> out;
  for (const auto& [jid, a] : affiliations_)
    if (a == affiliation) out.push_back(jid);
  return out;
}

bool MucRoom::is_member_or_above(std::string_view bare) const {
  Affiliation a = affiliation_of(bare);
  return a == Affiliation::member || a == Affiliation::admin || a == Affiliation::owner;
}

const Occupant* MucRoom::occupant(std::string_view nick) const {
  auto it = occupants_.find(std::string(nick));
  return it == occupants_.end() ? nullptr : &it->second;
}

const Occupant* MucRoom::occupant_by_real_jid(std::string_view full) const {
  for (const auto& [nick, occupant] : occupants_)
    if (occupant.real_jid == full) return &occupant;
  return nullptr;
}

const Occupant& MucRoom::join(std::string nick, std::string real_jid) {
  Occupant occupant;
  occupant.nick = nick;
  occupant.affiliation = affiliation_of(bare_of(real_jid));
  occupant.real_jid = std::move(real_jid);
  occupant.role =
      occupant.affiliation == Affiliation::owner || occupant.affiliation == Affiliation::admin
          ? Role::moderator
          : Role::participant;
  auto& slot = occupants_[nick];
  slot = std::move(occupant);
  return slot;
}

void MucRoom::leave(std::string_view nick) {
  occupants_.erase(std::string(nick));
}

}  // namespace oi::net
