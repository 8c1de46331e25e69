// MAM queries (XEP-0313) over an account's or a room's archive: form filters with/start/end,
// RSM paging (max, after, before), results as <forwarded/> messages with <delay/>, then <fin/>.
#include <fmt/format.h>

#include <charconv>

#include "net/data_form.h"
#include "net/jid.h"
#include "net/namespaces.h"
#include "net/server_impl.h"

namespace oi::net {

void Server::Impl::mam_query(const std::string& from, pugi::xml_node iq, pugi::xml_node query,
                             const MessageArchive& archive, const std::string& archive_jid) {
  ArchiveQuery q;
  if (auto form = read_form(query)) {
    if (auto with = form->value("with"); with && !with->empty()) q.with = bare_of(*with);
    for (auto [var, target] : {std::pair{"start", &q.start_ms}, std::pair{"end", &q.end_ms}}) {
      auto value = form->value(var);
      if (!value || value->empty()) continue;
      *target = VirtualClock::parse_timestamp(*value);
      if (!*target)
        return reply_error(from, iq, {"modify", "bad-request", fmt::format("bad {}", var)});
    }
  }
  if (pugi::xml_node set = xml::child(query, "set", ns::kRsm)) {
    if (pugi::xml_node max = xml::child(set, "max", ns::kRsm)) {
      std::string text = xml::text_of(max);
      std::size_t value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size())
        return reply_error(from, iq, {"modify", "bad-request", "bad <max/>"});
      q.max = value;
    }
    if (pugi::xml_node after = xml::child(set, "after", ns::kRsm)) q.after_id = xml::text_of(after);
    if (pugi::xml_node before = xml::child(set, "before", ns::kRsm)) {
      std::string id = xml::text_of(before);
      if (id.empty())
        q.last_page = true;
      else
        q.before_id = id;
    }
  }
  std::string queryid = query.attribute("queryid").as_string();
  ArchivePage page = archive.query(q);
  for (const ArchivedMessage* m : page.messages) {
    pugi::xml_document stored;
    if (!stored.load_buffer(m->xml.data(), m->xml.size())) continue;
    Outgoing out("message");
    out.attribute("from", archive_jid);
    out.attribute("to", from);
    out.attribute("id", new_id("mam-result-"));
    pugi::xml_node result = out.stanza.append_child("result");
    result.append_attribute("xmlns") = std::string(ns::kMam).c_str();
    if (!queryid.empty()) result.append_attribute("queryid") = queryid.c_str();
    result.append_attribute("id") = m->id.c_str();
    pugi::xml_node forwarded = result.append_child("forwarded");
    forwarded.append_attribute("xmlns") = std::string(ns::kForward).c_str();
    xml::append_delay(forwarded, archive_jid, VirtualClock::format_timestamp(m->time_ms));
    xml::append_standalone(forwarded, stored.document_element(), true);
    to_client(from, out);
  }
  reply_result(from, iq, [&](pugi::xml_node reply) {
    pugi::xml_node fin = reply.append_child("fin");
    fin.append_attribute("xmlns") = std::string(ns::kMam).c_str();
    if (!queryid.empty()) fin.append_attribute("queryid") = queryid.c_str();
    if (page.complete) fin.append_attribute("complete") = "true";
    pugi::xml_node set = fin.append_child("set");
    set.append_attribute("xmlns") = std::string(ns::kRsm).c_str();
    if (!page.messages.empty()) {
      set.append_child("first").text() = page.messages.front()->id.c_str();
      set.append_child("last").text() = page.messages.back()->id.c_str();
    }
    set.append_child("count").text() = std::to_string(page.count).c_str();
  });
}

}  // namespace oi::net
