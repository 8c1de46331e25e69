// The transcript: every stanza that crossed the boundary between a client and the embedded
// service, in the order it happened, as the exact XML text on the wire.
//
// Contract: entries are appended only (sequence numbers start at 1 and increase by one); an
// entry records the direction, the full JID of the client end, the virtual time, the step
// marker the caller had set, and what happened to the stanza (delivered, or what a fault did to
// it). Nothing in an entry depends on wall-clock time or addresses, so two runs with the same
// inputs produce identical transcripts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace oi::net {

enum class Direction {
  client_to_server,
  server_to_client,
};

// "c2s" / "s2c".
std::string_view direction_name(Direction direction);

// What happened to the stanza at the moment of the entry.
enum class Disposition {
  delivered,   // handed to the service (c2s) or to the resource's queue (s2c)
  dropped,     // a fault dropped it; it goes nowhere
  held,        // a fault holds it until the caller releases it (reorder)
  delayed,     // a fault holds it until the virtual clock reaches the due time
  released,    // a held or delayed stanza goes on now (delivered at this entry)
  duplicated,  // the extra copy a duplicate fault delivers
  tampered,    // delivered after a tamper fault rewrote it; `original` has the text before
  rejected,    // the service could not parse it (c2s only); an error reply follows
};

// "delivered", "dropped", ...
std::string_view disposition_name(Disposition disposition);

struct TranscriptEntry {
  std::uint64_t seq = 0;
  Direction direction = Direction::client_to_server;
  std::string endpoint;  // full JID of the client end (sender for c2s, recipient for s2c)
  std::int64_t time_ms = 0;
  std::string step;
  Disposition disposition = Disposition::delivered;
  std::string xml;       // the stanza as it went on (or would have gone on) the wire
  std::string original;  // for `tampered`: the text before the fault rewrote it
  std::string note;      // the fault rule's name, a parse error, ...
};

class Transcript {
 public:
  const TranscriptEntry& append(TranscriptEntry entry);
  // The service marks the c2s entry `seq` `rejected` when its text did not parse; the entry
  // keeps its place and text. Unknown `seq` is ignored.
  void mark_rejected(std::uint64_t seq, std::string note);

  const std::vector<TranscriptEntry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  // Entries whose endpoint is `jid`, or whose endpoint's bare JID is `jid` when `jid` is bare.
  std::vector<const TranscriptEntry*> for_endpoint(std::string_view jid) const;
  // Entries recorded while the step marker was `step`.
  std::vector<const TranscriptEntry*> for_step(std::string_view step) const;

  // One line per entry: "#seq time step direction endpoint disposition [note] xml"; stable, so
  // that determinism checks and reports can compare it byte for byte.
  std::string to_text() const;

 private:
  std::vector<TranscriptEntry> entries_;
};

}  // namespace oi::net
