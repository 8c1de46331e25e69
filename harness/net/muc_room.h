// One MUC room (XEP-0045): configuration, affiliations, occupants and the room archive. Pure
// state; the protocol lives in server_muc.cpp.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/message_archive.h"

namespace oi::net {

enum class Affiliation { none, member, admin, owner, outcast };
enum class Role { none, visitor, participant, moderator };

std::string_view affiliation_name(Affiliation affiliation);
std::optional<Affiliation> affiliation_from_name(std::string_view name);
std::string_view role_name(Role role);

struct RoomConfig {
  bool members_only = true;   // muc#roomconfig_membersonly
  bool non_anonymous = true;  // muc#roomconfig_whois = anyone
  bool persistent = true;     // muc#roomconfig_persistentroom
  std::string name;           // muc#roomconfig_roomname
};

struct Occupant {
  std::string nick;
  std::string real_jid;  // full JID
  Affiliation affiliation = Affiliation::none;
  Role role = Role::participant;
};

class MucRoom {
 public:
  MucRoom(std::string jid, RoomConfig config) : jid_(std::move(jid)), config_(std::move(config)) {}

  const std::string& jid() const { return jid_; }
  const RoomConfig& config() const { return config_; }
  RoomConfig& config() { return config_; }

  Affiliation affiliation_of(std::string_view bare) const;
  // Affiliation::none removes the entry.
  void set_affiliation(std::string_view bare, Affiliation affiliation);
  // Bare JIDs with exactly `affiliation`, sorted.
  std::vector<std::string> with_affiliation(Affiliation affiliation) const;
  // True when `bare` is a member, admin or owner.
  bool is_member_or_above(std::string_view bare) const;

  const std::map<std::string, Occupant>& occupants() const { return occupants_; }
  const Occupant* occupant(std::string_view nick) const;
  const Occupant* occupant_by_real_jid(std::string_view full) const;
  // Adds or replaces the occupant under its nick; the role follows the affiliation.
  const Occupant& join(std::string nick, std::string real_jid);
  void leave(std::string_view nick);

  MessageArchive& archive() { return archive_; }
  const MessageArchive& archive() const { return archive_; }

 private:
  std::string jid_;
  RoomConfig config_;
  std::map<std::string, Affiliation> affiliations_;
  std::map<std::string, Occupant> occupants_;  // by nick
  MessageArchive archive_;
};

}  // namespace oi::net
