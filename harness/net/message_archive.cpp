#include "net/message_archive.h"

namespace oi::net {

const ArchivedMessage& MessageArchive::append(ArchivedMessage message) {
  messages_.push_back(std::move(message));
  return messages_.back();
}

const ArchivedMessage* MessageArchive::find(std::string_view id) const {
  for (const auto& m : messages_)
    if (m.id == id) return &m;
  return nullptr;
}

ArchivePage MessageArchive::query(const ArchiveQuery& query) const {
  std::vector<const ArchivedMessage*> matches;
  for (const auto& m : messages_) {
    if (query.with && m.with != *query.with) continue;
    if (query.start_ms && m.time_ms < *query.start_ms) continue;
    if (query.end_ms && m.time_ms > *query.end_ms) continue;
    matches.push_back(&m);
  }
  ArchivePage page;
  page.count = matches.size();
  auto position = [&](const std::string& id) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < matches.size(); ++i)
      if (matches[i]->id == id) return i;
    return std::nullopt;
  };
  std::size_t begin = 0, end = matches.size();
  if (query.after_id) {
    auto at = position(*query.after_id);
    if (!at) return page;
    begin = *at + 1;
  }
  if (query.before_id) {
    auto at = position(*query.before_id);
    if (!at) return page;
    end = *at;
  }
  if (begin > end) begin = end;
  bool backwards = query.last_page || query.before_id.has_value();
  if (query.max && end - begin > *query.max) {
    page.complete = false;
    if (backwards)
      begin = end - *query.max;
    else
      end = begin + *query.max;
  }
  page.messages.assign(matches.begin() + static_cast<std::ptrdiff_t>(begin),
                       matches.begin() + static_cast<std::ptrdiff_t>(end));
  return page;
}

}  // namespace oi::net
