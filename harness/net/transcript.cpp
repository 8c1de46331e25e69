#include "net/transcript.h"

#include <fmt/format.h>

#include "net/jid.h"
#include "net/virtual_clock.h"

namespace oi::net {

std::string_view direction_name(Direction direction) {
  return direction == Direction::client_to_server ? "c2s" : "s2c";
}

std::string_view disposition_name(Disposition disposition) {
  switch (disposition) {
    case Disposition::delivered:
      return "delivered";
    case Disposition::dropped:
      return "dropped";
    case Disposition::held:
      return "held";
    case Disposition::delayed:
      return "delayed";
    case Disposition::released:
      return "released";
    case Disposition::duplicated:
      return "duplicated";
    case Disposition::tampered:
      return "tampered";
    case Disposition::rejected:
      return "rejected";
  }
  return "?";
}

const TranscriptEntry& Transcript::append(TranscriptEntry entry) {
  entry.seq = entries_.size() + 1;
  entries_.push_back(std::move(entry));
  return entries_.back();
}

void Transcript::mark_rejected(std::uint64_t seq, std::string note) {
  if (seq == 0 || seq > entries_.size()) return;
  TranscriptEntry& entry = entries_[seq - 1];
  entry.disposition = Disposition::rejected;
  entry.note = entry.note.empty() ? std::move(note) : entry.note + "; " + note;
}

std::vector<const TranscriptEntry*> Transcript::for_endpoint(std::string_view jid) const {
  bool match_bare = jid.find('/') == std::string_view::npos;
  std::vector<const TranscriptEntry*> out;
  for (const auto& entry : entries_)
    if (entry.endpoint == jid || (match_bare && bare_of(entry.endpoint) == jid))
      out.push_back(&entry);
  return out;
}

std::vector<const TranscriptEntry*> Transcript::for_step(std::string_view step) const {
  std::vector<const TranscriptEntry*> out;
  for (const auto& entry : entries_)
    if (entry.step == step) out.push_back(&entry);
  return out;
}

std::string Transcript::to_text() const {
  std::string out;
  for (const auto& e : entries_) {
    out += fmt::format("#{} {} [{}] {} {} {}", e.seq, VirtualClock::format_timestamp(e.time_ms),
                       e.step, direction_name(e.direction), e.endpoint,
                       disposition_name(e.disposition));
    if (!e.note.empty()) out += fmt::format(" ({})", e.note);
    out += " " + e.xml + "\n";
  }
  return out;
}

}  // namespace oi::net
