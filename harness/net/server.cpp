#include "net/server.h"

#include <fmt/format.h>

#include <exception>

#include "net/jid.h"
#include "net/namespaces.h"
#include "net/server_impl.h"

namespace oi::net {

// ---------------------------------------------------------------------------------------------
// Impl: lookups, the client boundary, dispatch.

std::string Server::Impl::new_id(std::string_view prefix) {
  return fmt::format("{}{}", prefix, next_id++);
}

Account* Server::Impl::account(std::string_view bare) {
  auto it = accounts.find(std::string(bare));
  return it == accounts.end() ? nullptr : &it->second;
}

Resource* Server::Impl::resource(std::string_view full) {
  Account* owner = account(bare_of(full));
  if (!owner) return nullptr;
  auto it = owner->resources.find(std::string(full));
  return it == owner->resources.end() ? nullptr : &it->second;
}

std::vector<std::string> Server::Impl::available_resources(std::string_view bare) {
  std::vector<std::string> out;
  if (Account* owner = account(bare))
    for (const auto& [full, r] : owner->resources)
      if (r.available) out.push_back(full);
  return out;
}

bool Server::Impl::is_local_domain(std::string_view domain) const {
  if (domain == config.muc_service) return true;
  for (const auto& [bare, a] : accounts) {
    std::string_view text = bare;
    if (text.size() > domain.size() && text.ends_with(domain) &&
        text[text.size() - domain.size() - 1] == '@')
      return true;
  }
  return false;
}

void Server::Impl::carry(Direction direction, const std::string& endpoint, std::string xml,
                         Disposition disposition, std::string note, std::string original) {
  TranscriptEntry entry;
  entry.direction = direction;
  entry.endpoint = endpoint;
  entry.time_ms = clock.now_ms();
  entry.step = step;
  entry.disposition = disposition;
  entry.xml = xml;
  entry.original = std::move(original);
  entry.note = std::move(note);
  std::uint64_t seq = transcript.append(std::move(entry)).seq;
  bool goes_on = disposition != Disposition::dropped && disposition != Disposition::held &&
                 disposition != Disposition::delayed && disposition != Disposition::rejected;
  if (!goes_on) return;
  if (direction == Direction::server_to_client)
    queues[endpoint].push_back(Delivery{std::move(xml), seq});
  else
    process(endpoint, xml, seq);
}

namespace {

// Applies one fault decision; `send` carries the stanza on with a disposition.
void apply_fault(Server::Impl& impl, InFlight stanza, const FaultDecision& decision) {
  switch (decision.action) {
    case FaultAction::drop:
      impl.carry(stanza.direction, stanza.endpoint, std::move(stanza.xml), Disposition::dropped,
                 decision.rule);
      return;
    case FaultAction::duplicate: {
      std::string copy = stanza.xml;
      impl.carry(stanza.direction, stanza.endpoint, std::move(stanza.xml), Disposition::delivered,
                 decision.rule);
      impl.carry(stanza.direction, stanza.endpoint, std::move(copy), Disposition::duplicated,
                 decision.rule);
      return;
    }
    case FaultAction::hold:
    case FaultAction::delay: {
      bool delayed = decision.action == FaultAction::delay;
      std::optional<std::int64_t> due;
      if (delayed) due = impl.clock.now_ms() + std::max<std::int64_t>(decision.delay.count(), 0);
      std::uint64_t handle = impl.faults.hold(stanza, due, decision.rule);
      impl.carry(stanza.direction, stanza.endpoint, std::move(stanza.xml),
                 delayed ? Disposition::delayed : Disposition::held,
                 fmt::format("{} handle={}", decision.rule, handle));
      return;
    }
    case FaultAction::tamper: {
      std::string rewritten;
      std::string note = decision.rule;
      try {
        rewritten = decision.tamper ? decision.tamper(stanza.xml) : stanza.xml;
      } catch (const std::exception& e) {
        rewritten = stanza.xml;
        note += fmt::format(" (tamper failed: {})", e.what());
      }
      impl.carry(stanza.direction, stanza.endpoint, std::move(rewritten), Disposition::tampered,
                 std::move(note), std::move(stanza.xml));
      return;
    }
  }
}

}  // namespace

void Server::Impl::from_client(const std::string& full, std::string xml) {
  InFlight stanza{Direction::client_to_server, full, std::move(xml)};
  if (auto decision = faults.decide(stanza))
    return apply_fault(*this, std::move(stanza), *decision);
  carry(Direction::client_to_server, full, std::move(stanza.xml), Disposition::delivered);
}

void Server::Impl::to_client(const std::string& full, std::string xml) {
  InFlight stanza{Direction::server_to_client, full, std::move(xml)};
  if (auto decision = faults.decide(stanza))
    return apply_fault(*this, std::move(stanza), *decision);
  carry(Direction::server_to_client, full, std::move(stanza.xml), Disposition::delivered);
}

void Server::Impl::release_held(HeldStanza held) {
  carry(held.stanza.direction, held.stanza.endpoint, std::move(held.stanza.xml),
        Disposition::released, fmt::format("{} handle={}", held.rule, held.handle));
}

void Server::Impl::reply_error(const std::string& from, pugi::xml_node request,
                               const xml::StanzaError& error) {
  std::string_view type = request.attribute("type").as_string();
  if (type == "error" || (xml::local_name(request) == "iq" && type == "result")) return;
  std::string name(xml::local_name(request));
  if (name != "iq" && name != "message" && name != "presence") name = "message";
  Outgoing out(name.c_str());
  out.attribute("type", "error");
  out.attribute("id", request.attribute("id").as_string());
  out.attribute("from", request.attribute("to").as_string());
  out.attribute("to", from);
  xml::append_error(out.stanza, error);
  to_client(from, out);
}

void Server::Impl::reply_result(const std::string& from, pugi::xml_node iq,
                                const std::function<void(pugi::xml_node)>& fill) {
  Outgoing out("iq");
  out.attribute("type", "result");
  out.attribute("id", iq.attribute("id").as_string());
  out.attribute("from", iq.attribute("to").as_string());
  out.attribute("to", from);
  if (fill) fill(out.stanza);
  to_client(from, out);
}

void Server::Impl::process(const std::string& from, std::string_view text, std::uint64_t seq) {
  pugi::xml_document document;
  std::string parse_error;
  if (!xml::load_stanza(document, text, parse_error)) {
    // Say which stanza kind it looked like, so the client can match the error.
    std::string_view head = text.substr(0, std::min<std::size_t>(text.size(), 16));
    const char* kind = head.find("<iq") != std::string_view::npos         ? "iq"
                       : head.find("<presence") != std::string_view::npos ? "presence"
                                                                          : "message";
    transcript.mark_rejected(seq, "malformed: " + parse_error);
    Outgoing out(kind);
    out.attribute("type", "error");
    out.attribute("to", from);
    xml::append_error(out.stanza, {"modify", "bad-request", "malformed stanza: " + parse_error});
    to_client(from, out);
    return;
  }
  pugi::xml_node stanza = document.document_element();
  try {
    if (!resource(from)) {
      reply_error(from, stanza, {"auth", "not-authorized", "resource is not bound"});
      return;
    }
    // Stamp the sender (RFC 6120 §8.1.2.1).
    if (pugi::xml_attribute attr = stanza.attribute("from"))
      attr.set_value(from.c_str());
    else
      stanza.append_attribute("from") = from.c_str();
    std::string_view name = xml::local_name(stanza);
    std::string ns = xml::namespace_of(stanza);
    if (ns != ns::kClient) {
      reply_error(from, stanza, {"modify", "bad-request", "stanza not in jabber:client"});
      return;
    }
    std::string_view to = stanza.attribute("to").as_string();
    if (!to.empty() && !Jid::parse(to)) {
      reply_error(from, stanza, {"modify", "jid-malformed", "malformed 'to'"});
      return;
    }
    if (name == "iq")
      handle_iq(from, stanza);
    else if (name == "message")
      handle_message(from, stanza);
    else if (name == "presence")
      handle_presence(from, stanza);
    else
      reply_error(from, stanza, {"cancel", "feature-not-implemented", "unsupported stanza type"});
  } catch (const std::exception& e) {
    reply_error(from, stanza, {"wait", "internal-server-error", e.what()});
  }
}

// ---------------------------------------------------------------------------------------------
// Server: the public API.

Server::Server(ServerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Server::~Server() = default;
Server::Server(Server&&) noexcept = default;
Server& Server::operator=(Server&&) noexcept = default;

const ServerConfig& Server::config() const {
  return impl_->config;
}
ServerConfig& Server::config() {
  return impl_->config;
}

Status Server::create_account(std::string_view bare) {
  auto jid = Jid::parse(bare);
  if (!jid || jid->has_resource() || jid->local().empty())
    return {fmt::format("'{}' is not a bare account JID", bare)};
  if (impl_->account(bare)) return {fmt::format("account {} exists", bare)};
  if (jid->domain() == impl_->config.muc_service)
    return {fmt::format("{} is the MUC service", jid->domain())};
  impl_->accounts.try_emplace(jid->bare(), jid->bare());
  return {};
}

bool Server::has_account(std::string_view bare) const {
  return impl_->accounts.contains(std::string(bare));
}

std::vector<std::string> Server::accounts() const {
  std::vector<std::string> out;
  for (const auto& [bare, a] : impl_->accounts) out.push_back(bare);
  return out;
}

Status Server::connect(std::string_view full, ResourceOptions options) {
  auto jid = Jid::parse(full);
  if (!jid || !jid->has_resource() || jid->local().empty())
    return {fmt::format("'{}' is not a full JID", full)};
  if (!impl_->account(jid->bare()))
    if (Status s = create_account(jid->bare()); !s) return s;
  Account& owner = *impl_->account(jid->bare());
  if (owner.resources.contains(jid->full())) return {fmt::format("{} is bound already", full)};
  Resource& r = owner.resources[jid->full()];
  r.full = jid->full();
  r.carbons = options.carbons;
  r.features.insert(options.features.begin(), options.features.end());
  if (options.available) submit(r.full, "<presence/>");
  return {};
}

Status Server::disconnect(std::string_view full) {
  Resource* r = impl_->resource(full);
  if (!r) return {fmt::format("{} is not bound", full)};
  if (r->available) {
    pugi::xml_document document;
    pugi::xml_node presence = document.append_child("presence");
    presence.append_attribute("type") = "unavailable";
    impl_->become_unavailable(*r, presence);
  }
  impl_->account(bare_of(full))->resources.erase(std::string(full));
  return {};
}

Status Server::set_features(std::string_view full, std::vector<std::string> features) {
  Resource* r = impl_->resource(full);
  if (!r) return {fmt::format("{} is not bound", full)};
  std::set<std::string> added;
  for (const auto& f : features)
    if (!r->features.contains(f)) added.insert(f);
  r->features = std::set<std::string>(features.begin(), features.end());
  if (r->available && !added.empty()) impl_->send_last_items(r->full, added);
  return {};
}

bool Server::is_connected(std::string_view full) const {
  return impl_->resource(full) != nullptr;
}

bool Server::is_available(std::string_view full) const {
  const Resource* r = impl_->resource(full);
  return r && r->available;
}

std::vector<std::string> Server::resources(std::string_view bare) const {
  std::vector<std::string> out;
  if (const Account* a = impl_->account(bare))
    for (const auto& [full, r] : a->resources) out.push_back(full);
  return out;
}

void Server::submit(std::string_view from_full, std::string_view xml) {
  try {
    impl_->from_client(std::string(from_full), std::string(xml));
  } catch (const std::exception& e) {
    // Only allocation failures can get here; record them rather than let them escape.
    impl_->transcript.append(TranscriptEntry{0,
                                             Direction::client_to_server,
                                             std::string(from_full),
                                             impl_->clock.now_ms(),
                                             impl_->step,
                                             Disposition::rejected,
                                             std::string(xml),
                                             {},
                                             std::string("internal error: ") + e.what()});
  }
}

std::vector<Delivery> Server::drain(std::string_view full) {
  std::vector<Delivery> out;
  auto it = impl_->queues.find(std::string(full));
  if (it == impl_->queues.end()) return out;
  out.assign(std::make_move_iterator(it->second.begin()),
             std::make_move_iterator(it->second.end()));
  it->second.clear();
  return out;
}

std::optional<Delivery> Server::pop(std::string_view full) {
  auto it = impl_->queues.find(std::string(full));
  if (it == impl_->queues.end() || it->second.empty()) return std::nullopt;
  Delivery out = std::move(it->second.front());
  it->second.pop_front();
  return out;
}

std::size_t Server::pending(std::string_view full) const {
  auto it = impl_->queues.find(std::string(full));
  return it == impl_->queues.end() ? 0 : it->second.size();
}

void Server::set_step(std::string step) {
  impl_->step = std::move(step);
}
const std::string& Server::step() const {
  return impl_->step;
}
const VirtualClock& Server::clock() const {
  return impl_->clock;
}

void Server::advance(std::chrono::milliseconds by) {
  impl_->clock.advance(by);
  for (HeldStanza& held : impl_->faults.take_due(impl_->clock.now_ms()))
    impl_->release_held(std::move(held));
}

FaultInjector& Server::faults() {
  return impl_->faults;
}

bool Server::release(std::uint64_t handle) {
  auto held = impl_->faults.take(handle);
  if (!held) return false;
  impl_->release_held(std::move(*held));
  return true;
}

std::size_t Server::release_all(const std::vector<std::uint64_t>& handles) {
  std::vector<std::uint64_t> order = handles;
  if (order.empty())
    for (const auto& h : impl_->faults.held()) order.push_back(h.handle);
  std::size_t released = 0;
  for (std::uint64_t handle : order) released += release(handle) ? 1 : 0;
  return released;
}

const std::vector<HeldStanza>& Server::held() const {
  return impl_->faults.held();
}
const Transcript& Server::transcript() const {
  return impl_->transcript;
}

Status Server::add_contacts(std::string_view a, std::string_view b) {
  if (Status s = add_subscription(a, b); !s) return s;
  return add_subscription(b, a);
}

Status Server::add_subscription(std::string_view subscriber, std::string_view contact) {
  Account* s = impl_->account(subscriber);
  Account* c = impl_->account(contact);
  if (!s || !c) return {fmt::format("unknown account {}", s ? contact : subscriber)};
  s->roster.grant_to(contact);
  c->roster.grant_from(subscriber);
  return {};
}

Status Server::create_room(std::string_view room, RoomConfig config, std::string_view owner,
                           const std::vector<std::string>& members) {
  auto jid = Jid::parse(room);
  if (!jid || jid->has_resource() || jid->local().empty() ||
      jid->domain() != impl_->config.muc_service)
    return {fmt::format("'{}' is not a room JID on {}", room, impl_->config.muc_service)};
  if (impl_->rooms.contains(jid->bare())) return {fmt::format("room {} exists", room)};
  MucRoom& created =
      impl_->rooms.try_emplace(jid->bare(), jid->bare(), std::move(config)).first->second;
  created.set_affiliation(owner, Affiliation::owner);
  for (const auto& m : members) created.set_affiliation(m, Affiliation::member);
  return {};
}

Status Server::set_affiliation(std::string_view room, std::string_view bare,
                               Affiliation affiliation) {
  auto it = impl_->rooms.find(std::string(room));
  if (it == impl_->rooms.end()) return {fmt::format("unknown room {}", room)};
  it->second.set_affiliation(bare, affiliation);
  return {};
}

Status Server::configure_node(std::string_view owner, std::string_view node, const DataForm& form) {
  Account* a = impl_->account(owner);
  if (!a) return {fmt::format("unknown account {}", owner)};
  a->pep.ensure(node, impl_->config.pep);
  if (auto error = a->pep.configure(node, form, impl_->config.pep))
    return {fmt::format("{}: {}", error->condition, error->text)};
  return {};
}

const PepService* Server::pep(std::string_view bare) const {
  const Account* a = impl_->account(bare);
  return a ? &a->pep : nullptr;
}

std::optional<NodeConfig> Server::node_config(std::string_view owner, std::string_view node) const {
  const PepService* service = pep(owner);
  const PubsubNode* found = service ? service->find(node) : nullptr;
  if (!found) return std::nullopt;
  return found->config;
}

std::vector<PubsubItem> Server::node_items(std::string_view owner, std::string_view node) const {
  const PepService* service = pep(owner);
  const PubsubNode* found = service ? service->find(node) : nullptr;
  return found ? found->items : std::vector<PubsubItem>{};
}

const Roster* Server::roster(std::string_view bare) const {
  const Account* a = impl_->account(bare);
  return a ? &a->roster : nullptr;
}

const MessageArchive* Server::archive(std::string_view bare) const {
  const Account* a = impl_->account(bare);
  return a ? &a->archive : nullptr;
}

std::vector<OfflineMessage> Server::offline_messages(std::string_view bare) const {
  const Account* a = impl_->account(bare);
  return a ? a->offline : std::vector<OfflineMessage>{};
}

const MucRoom* Server::room(std::string_view room) const {
  auto it = impl_->rooms.find(std::string(room));
  return it == impl_->rooms.end() ? nullptr : &it->second;
}

}  // namespace oi::net
