// Internal to harness/net: the state behind Server and the handlers, split by area over
// server.cpp (sessions, the client boundary, dispatch), server_iq.cpp (disco, roster, carbons,
// ping), server_pubsub.cpp (PEP), server_message.cpp (routing, carbons, offline storage,
// archiving), server_archive.cpp (MAM queries), server_presence.cpp (presence and
// subscriptions) and server_muc.cpp (rooms).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "net/server.h"
#include "net/xml_tools.h"

namespace oi::net {

struct Resource {
  std::string full;
  bool available = false;
  bool carbons = false;
  std::set<std::string> features;
  std::string presence;                      // the last available presence as broadcast
  std::map<std::string, std::string> rooms;  // room bare JID -> nick
};

struct Account {
  explicit Account(std::string bare_jid) : bare(bare_jid), pep(std::move(bare_jid)) {}
  std::string bare;
  Roster roster;
  PepService pep;
  MessageArchive archive;
  std::vector<OfflineMessage> offline;
  std::map<std::string, Resource> resources;  // by full JID
};

// Builds one outgoing stanza.
struct Outgoing {
  pugi::xml_document document;
  pugi::xml_node stanza;
  explicit Outgoing(const char* name) { stanza = document.append_child(name); }
  void attribute(const char* name, std::string_view value) {
    if (!value.empty()) stanza.append_attribute(name) = std::string(value).c_str();
  }
};

class Server::Impl {
 public:
  explicit Impl(ServerConfig server_config)
      : config(std::move(server_config)), clock(config.clock_start_ms) {}

  ServerConfig config;
  VirtualClock clock;
  Transcript transcript;
  FaultInjector faults;
  std::string step;
  std::map<std::string, Account> accounts;
  std::map<std::string, MucRoom> rooms;
  std::map<std::string, std::deque<Delivery>> queues;
  std::uint64_t next_id = 1;

  // --- server.cpp ---
  std::string new_id(std::string_view prefix);
  Account* account(std::string_view bare);
  Resource* resource(std::string_view full);
  // Full JIDs of the available resources of `bare`, sorted (empty for unknown accounts).
  std::vector<std::string> available_resources(std::string_view bare);
  // True for domains of accounts and the MUC service.
  bool is_local_domain(std::string_view domain) const;

  // The boundary: faults, transcript, then processing (c2s) or the queue (s2c).
  void from_client(const std::string& full, std::string xml);
  void to_client(const std::string& full, std::string xml);
  void to_client(const std::string& full, const Outgoing& out) {
    to_client(full, xml::print(out.stanza));
  }
  void release_held(HeldStanza held);
  void carry(Direction direction, const std::string& endpoint, std::string xml,
             Disposition disposition, std::string note = {}, std::string original = {});

  // Parses and dispatches the stanza of transcript entry `seq`.
  void process(const std::string& from, std::string_view text, std::uint64_t seq);
  // Error reply to a stanza from `from` (skipped for stanzas of type error).
  void reply_error(const std::string& from, pugi::xml_node request, const xml::StanzaError& error);
  // IQ result to `from`; `fill` adds the payload.
  void reply_result(const std::string& from, pugi::xml_node iq,
                    const std::function<void(pugi::xml_node)>& fill = {});

  // --- server_iq.cpp ---
  void handle_iq(const std::string& from, pugi::xml_node iq);
  void disco_info(const std::string& from, pugi::xml_node iq, std::string_view target);
  void disco_items(const std::string& from, pugi::xml_node iq, std::string_view target);
  void roster_query(const std::string& from, pugi::xml_node iq, pugi::xml_node query);
  void carbons_toggle(const std::string& from, pugi::xml_node iq, bool enable);

  // --- server_pubsub.cpp ---
  void handle_pubsub(const std::string& from, pugi::xml_node iq, pugi::xml_node pubsub,
                     const std::string& owner);
  void handle_pubsub_owner(const std::string& from, pugi::xml_node iq, pugi::xml_node pubsub,
                           const std::string& owner);
  Requester requester_for(std::string_view requester_full, const std::string& owner);
  // Full JIDs that get event notifications of `node` of `owner` (sorted).
  std::vector<std::string> notification_recipients(const std::string& owner,
                                                   const PubsubNode& node);
  void notify_items(const std::string& owner, const PubsubNode& node, const PubsubItem& item);
  void notify_retract(const std::string& owner, const PubsubNode& node, const std::string& id);
  void notify_delete(const std::string& owner, const std::vector<std::string>& recipients,
                     const std::string& node);
  void send_item_event(const std::string& to, const std::string& owner, const std::string& node,
                       const PubsubItem& item, bool with_payload);
  // The last item of every node `full` is interested in (own nodes and those of accounts
  // whose presence it receives) whose "+notify" feature is in `features`.
  void send_last_items(const std::string& full, const std::set<std::string>& features,
                       const std::string& only_owner = {});

  // --- server_message.cpp ---
  void handle_message(const std::string& from, pugi::xml_node message);
  void deliver_chat(const std::string& from, pugi::xml_node message, const Jid& to);
  void send_carbon(const std::string& to, const std::string& account, const char* kind,
                   pugi::xml_node message);
  // Archives `message` in `owner`'s archive (when MAM applies) and returns the archive id.
  std::optional<std::string> archive_message(Account& owner, pugi::xml_node message,
                                             const std::string& with);
  void deliver_offline(Account& owner, const std::string& full);

  // --- server_archive.cpp ---
  void mam_query(const std::string& from, pugi::xml_node iq, pugi::xml_node query,
                 const MessageArchive& archive, const std::string& archive_jid);

  // --- server_presence.cpp ---
  void handle_presence(const std::string& from, pugi::xml_node presence);
  void become_available(Resource& resource, pugi::xml_node presence);
  void become_unavailable(Resource& resource, pugi::xml_node presence);
  void subscription_presence(const std::string& from, pugi::xml_node presence, const Jid& to,
                             std::string_view type);
  // Each available resource of `contact` sends its presence to `full`.
  void probe(const std::string& contact, const std::string& full);

  // --- server_muc.cpp ---
  bool is_muc_jid(const Jid& jid) const;
  void muc_presence(const std::string& from, pugi::xml_node presence, const Jid& to);
  void muc_message(const std::string& from, pugi::xml_node message, const Jid& to);
  void muc_iq(const std::string& from, pugi::xml_node iq, const Jid& to);
  void muc_leave(const std::string& full, const std::string& room, pugi::xml_node presence);
  // The occupant presence of `occupant` as seen by `viewer`.
  void send_occupant_presence(const MucRoom& room, const Occupant& occupant,
                              const std::string& viewer, std::vector<int> statuses,
                              bool unavailable);
};

}  // namespace oi::net
