// The embedded XMPP service: one in-process, deterministic server that OMEMO clients (the
// reference engine, adapters) talk to through stanza strings.
//
// How a caller drives it:
// - create accounts (bare JIDs), connect resources (full JIDs) and make them available;
// - submit() each stanza a client sends (iq, message, presence; XML text, jabber:client);
// - drain() each resource's queue to get what the service sent to it: IQ results and errors,
//   messages, carbons, notifications, presences. Nothing is pushed anywhere: the caller decides
//   when and whether a client sees its queue, which is how delivery is held, dropped or
//   reordered on the client side;
// - set_step() before each scenario step, advance() the virtual clock, add fault rules;
// - read the transcript and inspect state (nodes, archives, rooms) for expectations.
//
// Contracts:
// - Deterministic: the same sequence of calls yields the same transcript and the same
//   queues, byte for byte (ids the service assigns come from counters; times from the virtual
//   clock). No threads, sockets or wall-clock time.
// - submit() never throws and never crashes on bad input: text that is not one well-formed
//   stanza element gets a <bad-request/> error reply to the sender and a transcript entry with
//   disposition `rejected`; an element other than iq/message/presence gets
//   <feature-not-implemented/>, a stanza outside jabber:client <bad-request/>.
// - The service stamps 'from' with the sender's full JID (a client-supplied 'from' is replaced).
// - Every stanza crossing the client/service boundary goes through the fault rules and the
//   transcript: c2s when submitted (or released), s2c when put into a resource's queue.
// - Setup helpers and inspection helpers act directly on the state: no stanzas, no transcript.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/fault_injector.h"
#include "net/message_archive.h"
#include "net/muc_room.h"
#include "net/pep_service.h"
#include "net/roster.h"
#include "net/server_config.h"
#include "net/transcript.h"
#include "net/virtual_clock.h"

namespace oi::net {

// The result of a setup call: empty `error` means success.
struct Status {
  std::string error;
  bool ok() const { return error.empty(); }
  explicit operator bool() const { return ok(); }
};

// A stanza the service put into a resource's queue.
struct Delivery {
  std::string xml;
  std::uint64_t transcript_seq = 0;  // the transcript entry that recorded it
};

struct ResourceOptions {
  // Disco features the client's entity capabilities advertise; PEP notifications are filtered
  // by "<node>+notify" among them (XEP-0163 §4 filtered notifications).
  std::vector<std::string> features;
  // Send initial presence right away (through submit(), so it is in the transcript).
  bool available = true;
  // Carbons enabled from the start (as if the client had sent the enable IQ, without it).
  bool carbons = false;
};

// A stored offline message (inspection).
struct OfflineMessage {
  std::string xml;  // the message as it will be delivered, without the <delay/>
  std::int64_t stored_ms = 0;
};

class Server {
 public:
  explicit Server(ServerConfig config = {});
  ~Server();
  Server(Server&&) noexcept;
  Server& operator=(Server&&) noexcept;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The behaviour switches; changes take effect for later stanzas (a scenario step may change
  // server behaviour mid-run).
  const ServerConfig& config() const;
  ServerConfig& config();

  // --- accounts and sessions ---
  // An error for a malformed JID, a JID with a resource, or an account that exists.
  Status create_account(std::string_view bare);
  bool has_account(std::string_view bare) const;
  std::vector<std::string> accounts() const;

  // Binds a resource (creating the account when missing). With options.available the client's
  // initial <presence/> is submitted, which delivers offline messages and the last PEP items.
  Status connect(std::string_view full, ResourceOptions options = {});
  // Unavailable presence is broadcast (when the resource was available), the resource leaves
  // its rooms and is unbound. Its queue stays drainable.
  Status disconnect(std::string_view full);
  // Replaces the advertised features; newly added "+notify" features of an available resource
  // get the last item of matching nodes (as servers do on a caps change).
  Status set_features(std::string_view full, std::vector<std::string> features);
  bool is_connected(std::string_view full) const;
  bool is_available(std::string_view full) const;
  // Bound resources of an account (full JIDs, sorted).
  std::vector<std::string> resources(std::string_view bare) const;

  // --- stanzas ---
  // A stanza the client bound to `from_full` sends. An unbound sender is answered with
  // <not-authorized/> (recorded, queued to that JID).
  void submit(std::string_view from_full, std::string_view xml);
  // Removes and returns everything queued for `full`, oldest first.
  std::vector<Delivery> drain(std::string_view full);
  // Removes and returns the oldest queued stanza.
  std::optional<Delivery> pop(std::string_view full);
  std::size_t pending(std::string_view full) const;

  // --- steps, time, faults, transcript ---
  // The marker recorded with every later transcript entry.
  void set_step(std::string step);
  const std::string& step() const;
  const VirtualClock& clock() const;
  // Advances virtual time and releases delayed stanzas that became due (in due order).
  void advance(std::chrono::milliseconds by);
  FaultInjector& faults();
  // Sends a held or delayed stanza on now (transcript disposition `released`). False for an
  // unknown handle.
  bool release(std::uint64_t handle);
  // Releases everything held, in `handles` order (reordering), or in hold order when empty.
  std::size_t release_all(const std::vector<std::uint64_t>& handles = {});
  const std::vector<HeldStanza>& held() const;
  const Transcript& transcript() const;

  // --- setup without stanzas ---
  // Mutual presence subscription (both rosters get subscription 'both').
  Status add_contacts(std::string_view a, std::string_view b);
  // One way: `subscriber` receives `contact`'s presence (contact's roster: 'from').
  Status add_subscription(std::string_view subscriber, std::string_view contact);
  // A room with `owner` as owner; members get affiliation member.
  Status create_room(std::string_view room, RoomConfig config, std::string_view owner,
                     const std::vector<std::string>& members = {});
  Status set_affiliation(std::string_view room, std::string_view bare, Affiliation affiliation);
  // Changes a node's configuration as an owner would (XEP-0060 §8.2), creating the node when
  // missing; the same validation as the stanza path.
  Status configure_node(std::string_view owner, std::string_view node, const DataForm& form);

  // --- inspection ---
  const PepService* pep(std::string_view bare) const;
  std::optional<NodeConfig> node_config(std::string_view owner, std::string_view node) const;
  std::vector<PubsubItem> node_items(std::string_view owner, std::string_view node) const;
  const Roster* roster(std::string_view bare) const;
  const MessageArchive* archive(std::string_view bare) const;
  std::vector<OfflineMessage> offline_messages(std::string_view bare) const;
  const MucRoom* room(std::string_view room) const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace oi::net
