// A message archive (an account's or a room's): what XEP-0313 queries page through. Entries
// keep the stanza exactly as routed, so the full <encrypted> element survives (R-SRV-019).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oi::net {

struct ArchivedMessage {
  std::string id;  // the archive id, also the <stanza-id/> of the delivered copy
  std::int64_t time_ms = 0;
  std::string with;  // bare JID of the other party (the occupant's room JID in a room archive)
  std::string xml;   // the <message> as routed
};

struct ArchiveQuery {
  std::optional<std::string> with;  // bare JID filter
  std::optional<std::int64_t> start_ms, end_ms;
  std::optional<std::string> after_id;   // RSM <after/>
  std::optional<std::string> before_id;  // RSM <before/> with an id
  bool last_page = false;                // RSM empty <before/>: the newest page
  std::optional<std::size_t> max;        // RSM <max/>
};

struct ArchivePage {
  std::vector<const ArchivedMessage*> messages;  // oldest first
  bool complete = true;   // false when `max` cut results off in the paging direction
  std::size_t count = 0;  // matches before paging
};

class MessageArchive {
 public:
  // Appends and returns the entry; ids must be unique across the service (the caller assigns).
  const ArchivedMessage& append(ArchivedMessage message);
  const std::vector<ArchivedMessage>& messages() const { return messages_; }
  const ArchivedMessage* find(std::string_view id) const;
  // Filters, then pages. An unknown after/before id gives an empty page with complete = true.
  ArchivePage query(const ArchiveQuery& query) const;

 private:
  std::vector<ArchivedMessage> messages_;  // archive order = time order
};

}  // namespace oi::net
