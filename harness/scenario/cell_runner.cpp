#include "scenario/cell_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <pugixml.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "codec/message.h"
#include "codec/omemo2_messages.h"
#include "codec/profile.h"
#include "codec/signal_messages.h"
#include "engine/client/stanzas.h"
#include "engine/decrypt_error.h"
#include "net/server.h"
#include "scenario/server_link.h"

namespace oi::scenario {

namespace {

using engine::client::ClientDevice;
using engine::client::ReceiveOutcome;

// Thrown by a step that cannot run; the cell ends with verdict `error`.
struct StepError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Thrown when an implementation fails an operation the scenario cannot go on without, with an
// OMEMO outcome (a device that cannot start because the server refused its publish): the cell
// ends with verdict `fail`, the implementation's failure, not the harness's.
struct StepFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct DeviceRuntime {
  std::string name, role, jid, full_jid;
  std::string implementation;
  codec::Profile profile = codec::Profile::legacy;
  std::unique_ptr<ClientDevice> client;
  std::unique_ptr<CellServerLink> link;
  std::vector<ReceiveOutcome> outcomes;  // content outcomes (message, empty, error, not-encrypted)
  std::vector<std::string> routes;       // per outcome: how its stanza came (route_of)
  std::size_t cursor = 0;                // next outcome an expectation consumes
  std::string last_delivered;            // the last message stanza delivered (for replay)
};

bool parse_bool(const std::string& value, bool fallback) {
  if (value.empty()) return fallback;
  return value == "true" || value == "1";
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// "N", ">=N", "<=N", ">N", "<N", "==N": true when `actual` satisfies it.
bool count_matches(const std::string& expression, std::size_t actual, std::string& error) {
  static const std::regex kPattern(R"((>=|<=|==|>|<)?\s*(\d+))");
  std::smatch match;
  if (!std::regex_match(expression, match, kPattern)) {
    error = fmt::format("count '{}' is not N, >=N, <=N, >N, <N or ==N", expression);
    return false;
  }
  std::size_t n = std::stoul(match[2]);
  std::string op = match[1];
  if (op == ">=") return actual >= n;
  if (op == "<=") return actual <= n;
  if (op == ">") return actual > n;
  if (op == "<") return actual < n;
  return actual == n;
}

// How a delivered stanza reached the device, from the stanza itself (the same for every
// implementation): "carbon" (XEP-0280 wrapper), "archive" (a MAM result), "delayed" (a
// <delay/>: offline storage) or "live".
std::string route_of(const std::string& stanza) {
  std::optional<engine::client::IncomingMessage> incoming = engine::client::unwrap_message(stanza);
  if (!incoming) return "live";
  if (incoming->is_carbon) return "carbon";
  if (incoming->is_archived) return "archive";
  if (!incoming->delay_stamp.empty()) return "delayed";
  return "live";
}

// True when a client shows the outcome to its user: content, a plaintext message, or a failure
// other than a duplicate (a duplicate is dropped silently, R-OM2-050, R-LEG-043).
bool is_displayed(const ReceiveOutcome& outcome) {
  using Kind = ReceiveOutcome::Kind;
  return outcome.kind == Kind::message || outcome.kind == Kind::not_encrypted ||
         (outcome.kind == Kind::error && outcome.error_class != "replay");
}

class CellExecution {
 public:
  CellExecution(const Cell& cell, const ImplementationMap& implementations,
                const RunSettings& settings)
      : cell_(cell),
        implementations_(implementations),
        settings_(settings),
        random_(crypto::RandomSource::seeded(settings.seed).derive(cell.id())),
        server_(server_config(*cell.scenario)) {}

  CellResult run() {
    auto started = std::chrono::steady_clock::now();
    CellResult result;
    result.id = cell_.id();
    const Step* current = nullptr;
    std::vector<engine::client::Implementation*> bound = bound_implementations();
    bool step_could_not_run = false;  // a StepError (not an implementation fault) ended it
    try {
      for (engine::client::Implementation* implementation : bound) implementation->begin_case();
      for (std::size_t index = 0; index < cell_.scenario->steps.size(); ++index) {
        current = &cell_.scenario->steps[index];
        server_.set_step(fmt::format("{} {}", index + 1, current->kind));
        execute(*current);
      }
      result.verdict = verdict_from_checks(checks_);
    } catch (const StepFailed& failed) {
      result.verdict = Verdict::fail;
      error_ = fmt::format("{}:{}: <{}>: {}", current->place.file, current->place.line,
                           current->kind, failed.what());
    } catch (const engine::client::ImplementationFault& fault) {
      result.verdict = fault_verdict(fault.kind());
      result.unsupported_by_declaration =
          fault.kind() == engine::client::ImplementationFault::Kind::undeclared;
      error_ = current != nullptr ? fmt::format("{}:{}: <{}>: {}", current->place.file,
                                                current->place.line, current->kind, fault.what())
                                  : fault.what();
    } catch (const std::exception& e) {
      step_could_not_run = true;
      result.verdict = Verdict::error;
      error_ = current != nullptr ? fmt::format("{}:{}: <{}>: {}", current->place.file,
                                                current->place.line, current->kind, e.what())
                                  : e.what();
    }
    for (engine::client::Implementation* implementation : bound) {
      std::string log = implementation->end_case();
      if (!log.empty())
        result.adapter_log += fmt::format("== {} ==\n{}", implementation->name(), log);
    }
    result.checks = checks_;
    // A step that could not run after a MUST already failed (a replay of a message that never
    // arrived) is a consequence of that failure: the verdict is the failure's.
    if (step_could_not_run && !checks_.empty() && verdict_from_checks(checks_) == Verdict::fail) {
      result.verdict = Verdict::fail;
      for (const Check& check : checks_) {
        if (!check.held && check.level == "must") {
          error_ = fmt::format("{} (then: {})", check.message, error_);
          break;
        }
      }
    }
    if (!error_.empty()) {
      result.message = error_;
    } else {
      for (const Check& check : checks_) {
        if (!check.held) {
          result.message = check.message;
          break;
        }
      }
      if (checks_.empty()) result.message = "the scenario has no expectation";
    }
    result.transcript = server_.transcript().to_text();
    result.decrypted = std::move(decrypted_);
    result.duration_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return result;
  }

 private:
  static net::ServerConfig server_config(const Scenario& scenario) {
    net::ServerConfig config;
    apply_server_attributes(config, scenario.server);
    return config;
  }

  static void apply_server_attributes(net::ServerConfig& config,
                                      const std::map<std::string, std::string>& attributes) {
    for (const auto& [name, value] : attributes) {
      if (name == "publish-options") {
        config.pep.publish_options = value == "ignored"    ? net::PublishOptionsSupport::ignored
                                     : value == "rejected" ? net::PublishOptionsSupport::rejected
                                                           : net::PublishOptionsSupport::honoured;
      } else if (name == "default-access-model") {
        config.pep.default_access_model = value == "open"        ? net::AccessModel::open
                                          : value == "whitelist" ? net::AccessModel::whitelist
                                                                 : net::AccessModel::presence;
      } else if (name == "default-max-items") {
        config.pep.default_max_items =
            value == "max" ? std::nullopt : std::optional<std::uint32_t>(std::stoul(value));
      } else if (name == "max-items-cap") {
        config.pep.max_items_cap = std::stoul(value);
      } else if (name == "accepts-max") {
        config.pep.accepts_max_keyword = parse_bool(value, true);
      } else if (name == "owner-configure") {
        config.pep.owner_configure = parse_bool(value, true);
      } else if (name == "carbons") {
        config.carbons = parse_bool(value, true);
      } else if (name == "offline") {
        config.offline_storage = parse_bool(value, true);
      } else if (name == "mam") {
        config.mam = parse_bool(value, true);
      }
    }
  }

  // ---- references ----
  DeviceRuntime& device(const std::string& name) {
    auto found = devices_.find(name);
    if (found == devices_.end()) throw StepError(fmt::format("no device '{}'", name));
    return found->second;
  }

  std::string role_jid(const std::string& name_or_jid) const {
    for (const Role& role : cell_.scenario->roles) {
      if (role.name == name_or_jid) return role.jid;
    }
    return name_or_jid;  // a literal JID
  }

  // Replaces {device.id}, {device.jid}, {device.full} and {ROLE.jid}.
  std::string substitute(const std::string& text) const {
    static const std::regex kReference(R"(\{([A-Za-z0-9_-]+)\.(id|jid|full)\})");
    std::string out;
    auto begin = std::sregex_iterator(text.begin(), text.end(), kReference);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const std::smatch& match = *it;
      out.append(text, last, static_cast<std::size_t>(match.position()) - last);
      std::string name = match[1], field = match[2];
      auto found = devices_.find(name);
      if (found != devices_.end()) {
        if (field == "id") out += std::to_string(found->second.client->device_id());
        if (field == "jid") out += found->second.jid;
        if (field == "full") out += found->second.full_jid;
      } else {
        out += role_jid(name);
      }
      last = static_cast<std::size_t>(match.position() + match.length());
    }
    out.append(text, last);
    return out;
  }

  void check(const Step& step, bool held, const std::string& what) {
    Check result;
    result.requirement = step.get("requirement");
    result.level = step.get("level", "must");
    result.held = held;
    result.message = fmt::format("{}:{}: {}{}{}", step.place.file, step.place.line,
                                 result.requirement.empty() ? "" : result.requirement,
                                 result.requirement.empty() ? "" : ": ", what);
    checks_.push_back(std::move(result));
  }

  // ---- steps ----
  void execute(const Step& step) {
    const std::string& kind = step.kind;
    if (kind == "device") return add_device(step);
    if (kind == "contacts") {
      net::Status status = server_.add_contacts(role_jid(step.get("a")), role_jid(step.get("b")));
      if (!status) throw StepError(status.error);
      return;
    }
    if (kind == "send") return send(step);
    if (kind == "deliver") return deliver(device(step.get("to")));
    if (kind == "drop") {
      device(step.get("to")).link->take_pending();
      return;
    }
    if (kind == "replay") return replay(device(step.get("to")));
    if (kind == "fault") return add_fault(step);
    if (kind == "release") {
      std::vector<std::uint64_t> handles;
      for (const net::HeldStanza& held : server_.held()) handles.push_back(held.handle);
      if (step.get("order") == "reverse") std::reverse(handles.begin(), handles.end());
      server_.release_all(handles);
      return;
    }
    if (kind == "offline") {
      net::Status status = server_.disconnect(device(step.get("device")).full_jid);
      if (!status) throw StepError(status.error);
      return;
    }
    if (kind == "online") return connect(device(step.get("device")));
    if (kind == "start") return start(device(step.get("device")));
    if (kind == "advance") {
      server_.advance(std::chrono::milliseconds(std::stoll(step.get("ms"))));
      return;
    }
    if (kind == "rotate") {
      DeviceRuntime& target = device(step.get("device"));
      engine::client::SendOutcome rotated = target.client->rotate_signed_pre_key(*target.link);
      if (!rotated.ok) {
        throw StepError(fmt::format("{} could not rotate its signed prekey: {} {}", target.name,
                                    rotated.error_class, rotated.detail));
      }
      return;
    }
    if (kind == "knob") {
      std::optional<engine::Misbehaviour> knob = engine::misbehaviour_from_name(step.get("name"));
      if (!knob) throw StepError(fmt::format("unknown knob '{}'", step.get("name")));
      DeviceRuntime& target = device(step.get("device"));
      if (!target.client->set_misbehaviour(*knob, parse_bool(step.get("on"), true))) {
        throw StepError(fmt::format("{} has no misbehaviour switchboard", target.implementation));
      }
      return;
    }
    if (kind == "save") {
      saved_[step.get("as")] = device(step.get("device")).client->export_state();
      return;
    }
    if (kind == "restore") {
      auto found = saved_.find(step.get("from"));
      if (found == saved_.end())
        throw StepError(fmt::format("nothing saved as '{}'", step.get("from")));
      if (!device(step.get("device")).client->import_state(found->second)) {
        throw StepError("the implementation refused its own exported state");
      }
      return;
    }
    if (kind == "trust") {
      DeviceRuntime& peer = device(step.get("peer"));
      device(step.get("device"))
          .client->set_trust(peer.jid, peer.client->device_id(),
                             parse_bool(step.get("trusted"), true));
      return;
    }
    if (kind == "publish-list") return publish_list(step);
    if (kind == "room") return create_room(step);
    if (kind == "join") return join(step);
    if (kind == "leave") {
      DeviceRuntime& target = device(step.get("device"));
      engine::client::SendOutcome left =
          target.client->leave_room(substitute(step.get("room")), *target.link);
      if (!left.ok) throw StepError(fmt::format("{} {}", left.error_class, left.detail));
      deliver(target);
      return;
    }
    if (kind == "affiliation") return change_affiliation(step);
    if (kind == "catch-up") return catch_up(step);
    if (kind == "server") {
      apply_server_attributes(server_.config(), step.attributes);
      return;
    }
    if (kind == "expect-received") return expect_received(step);
    if (kind == "expect-no-message") return expect_no_message(step);
    if (kind == "expect-no-display") return expect_no_display(step);
    if (kind == "expect-wire") return expect_wire(step);
    if (kind == "expect-node") return expect_node(step);
    if (kind == "expect-prekeys") return expect_prekeys(step);
    throw StepError(fmt::format("the runner does not know <{}>", kind));
  }

  void connect(DeviceRuntime& runtime) {
    net::ResourceOptions options;
    options.features = {codec::device_list_node(runtime.profile) + "+notify"};
    options.carbons = true;
    net::Status status = server_.connect(runtime.full_jid, options);
    if (!status) throw StepError(status.error);
  }

  void add_device(const Step& step) {
    DeviceRuntime runtime;
    runtime.name = step.get("name");
    runtime.role = step.get("role");
    runtime.jid = role_jid(runtime.role);
    runtime.full_jid = runtime.jid + "/" + step.get("resource", runtime.name);
    runtime.implementation = cell_.roles.at(runtime.role);
    runtime.profile = cell_.profile;
    if (step.has("profile")) {
      std::optional<codec::Profile> profile = codec::profile_from_name(step.get("profile"));
      if (!profile) throw StepError(fmt::format("unknown profile '{}'", step.get("profile")));
      runtime.profile = *profile;
    }
    engine::client::Implementation* implementation = implementations_.at(runtime.implementation);
    engine::client::DeviceSpec spec;
    spec.profile = runtime.profile;
    spec.jid = runtime.jid;
    spec.resource = runtime.full_jid.substr(runtime.jid.size() + 1);
    spec.device_id =
        step.has("id") ? static_cast<std::uint32_t>(std::stoul(substitute(step.get("id")))) : 0;
    spec.keep_device_id = parse_bool(step.get("keep-id"), false);
    if (step.has("trust")) {
      std::optional<engine::TrustPolicy> policy = engine::trust_policy_from_name(step.get("trust"));
      if (!policy) throw StepError(fmt::format("unknown trust policy '{}'", step.get("trust")));
      spec.trust_policy = *policy;
    }
    spec.identity_kind = step.get("identity");
    if (step.has("prekeys")) spec.pre_key_count = std::stoul(step.get("prekeys"));
    for (const std::string& name : split_words(step.get("knobs"))) {
      std::optional<engine::Misbehaviour> knob = engine::misbehaviour_from_name(name);
      if (!knob) throw StepError(fmt::format("unknown knob '{}'", name));
      spec.misbehaviours.push_back(*knob);
    }
    if (runtime.implementation == "reference") {
      for (engine::Misbehaviour knob : settings_.global_knobs) spec.misbehaviours.push_back(knob);
    }
    runtime.client = implementation->create_device(spec, random_.derive(runtime.name));
    runtime.link = std::make_unique<CellServerLink>(server_, runtime.full_jid);
    if (parse_bool(step.get("online"), true)) connect(runtime);
    auto [slot, inserted] = devices_.emplace(runtime.name, std::move(runtime));
    if (parse_bool(step.get("start"), true)) start(slot->second);
  }

  void start(DeviceRuntime& runtime) {
    engine::client::SendOutcome started = runtime.client->start(*runtime.link);
    if (!started.ok) {
      throw StepFailed(fmt::format("device {} could not start: {} {}", runtime.name,
                                   started.error_class, started.detail));
    }
  }

  void send(const Step& step) {
    DeviceRuntime& sender = device(step.get("from"));
    engine::client::SendRequest request;
    std::string to = role_jid(substitute(step.get("to")));
    request.recipients = {to};
    request.to = to;
    request.type = step.get("type", "chat");
    if (!parse_bool(step.get("empty"), false)) request.body = step.get("body", "hello");
    engine::client::SendOutcome outcome = sender.client->send(request, *sender.link);
    std::string expect = step.get("expect", "ok");
    std::string summary =
        outcome.ok ? "sent"
                   : fmt::format("send failed: {} {}", outcome.error_class, outcome.detail);
    decrypted_.push_back(fmt::format("{} send to {}: {}", sender.name, to, summary));
    if (expect == "ok") {
      check(step, outcome.ok, fmt::format("{} sends to {}: {}", sender.name, to, summary));
    } else {
      bool refused = !outcome.ok;
      if (expect.starts_with("error:"))
        refused = refused && outcome.error_class == expect.substr(6);
      check(step, refused,
            fmt::format("{} must refuse to send ({}): {}", sender.name, expect, summary));
    }
  }

  void record(DeviceRuntime& target, const std::string& stanza, const ReceiveOutcome& outcome) {
    using Kind = ReceiveOutcome::Kind;
    if (outcome.kind == Kind::ignored || outcome.kind == Kind::pep_update) return;
    if (stanza.find("<message") != std::string::npos) target.last_delivered = stanza;
    std::string line =
        fmt::format("{} received {}", target.name, engine::client::receive_kind_name(outcome.kind));
    if (outcome.body) line += fmt::format(" body={:?}", *outcome.body);
    if (!outcome.error_class.empty())
      line += fmt::format(" error={} ({})", outcome.error_class, outcome.detail);
    for (const codec::Finding& finding : outcome.findings) {
      line += fmt::format(" [{} {}]", finding.requirement, finding.message);
    }
    std::string route = route_of(stanza);
    if (route != "live") line += fmt::format(" (via {})", route);
    decrypted_.push_back(std::move(line));
    target.outcomes.push_back(outcome);
    target.routes.push_back(std::move(route));
  }

  // A step that may be expected to fail (`expect` = ok, error or error:CLASS): checked when the
  // step names an expectation or a requirement; otherwise a failure is a step error.
  void check_outcome(const Step& step, bool ok, const std::string& error_class,
                     const std::string& what) {
    if (!step.has("expect") && !step.has("requirement")) {
      if (!ok) throw StepError(what);
      return;
    }
    std::string expect = step.get("expect", "ok");
    if (expect == "ok") {
      check(step, ok, what);
      return;
    }
    bool refused = !ok;
    if (expect.starts_with("error:")) refused = refused && error_class == expect.substr(6);
    check(step, refused, fmt::format("expected {}: {}", expect, what));
  }

  void create_room(const Step& step) {
    std::string jid = substitute(step.get("jid"));
    net::RoomConfig config;
    config.non_anonymous = parse_bool(step.get("non-anonymous"), true);
    config.members_only = parse_bool(step.get("members-only"), true);
    config.persistent = parse_bool(step.get("persistent"), true);
    config.name = step.get("name");
    std::vector<std::string> members;
    for (const std::string& member : split_words(substitute(step.get("members")))) {
      members.push_back(role_jid(member));
    }
    net::Status status =
        server_.create_room(jid, config, role_jid(substitute(step.get("owner"))), members);
    if (!status) throw StepError(status.error);
    for (const std::string& admin : split_words(substitute(step.get("admins")))) {
      status = server_.set_affiliation(jid, role_jid(admin), net::Affiliation::admin);
      if (!status) throw StepError(status.error);
    }
  }

  // The device joins (its client sends the join presence) and gets everything queued for it,
  // so that it learns the occupants. Joined = the service lists it as an occupant.
  void join(const Step& step) {
    DeviceRuntime& target = device(step.get("device"));
    std::string room = substitute(step.get("room"));
    engine::client::SendOutcome outcome =
        target.client->join_room(room, step.get("nick", target.name), *target.link);
    if (outcome.ok) deliver(target);
    const net::MucRoom* state = server_.room(room);
    bool joined =
        outcome.ok && state != nullptr && state->occupant_by_real_jid(target.full_jid) != nullptr;
    std::string summary =
        joined       ? "joined"
        : outcome.ok ? "the room did not let it in"
                     : fmt::format("join failed: {} {}", outcome.error_class, outcome.detail);
    decrypted_.push_back(fmt::format("{} join {}: {}", target.name, room, summary));
    check_outcome(step, joined, outcome.error_class,
                  fmt::format("{} joins {}: {}", target.name, room, summary));
  }

  // The device's user changes an affiliation (XEP-0045 §9/§10 admin IQ, through the device's
  // connection); the room's presences are queued as the service sends them.
  void change_affiliation(const Step& step) {
    DeviceRuntime& target = device(step.get("device"));
    std::string room = substitute(step.get("room"));
    std::string reply = target.link->iq(engine::client::affiliation_set_request(
        fmt::format("harness-affiliation-{}", step.place.line), room,
        role_jid(substitute(step.get("jid"))), step.get("affiliation")));
    if (!engine::client::is_iq_result(reply)) {
      throw StepError(fmt::format("the room refused the affiliation change: {}",
                                  engine::client::iq_error_condition(reply)));
    }
  }

  // MAM catch-up: the client queries its archive, gets every result (and whatever else is
  // queued for it), then ends the catch-up.
  void catch_up(const Step& step) {
    DeviceRuntime& target = device(step.get("device"));
    engine::client::CatchUpRequest request;
    std::string from = step.get("from", "last-seen");
    if (from != "last-seen" && from != "start") {
      throw StepError(fmt::format("from='{}' (last-seen, start)", from));
    }
    request.from_start = from == "start";
    engine::client::SendOutcome outcome = target.client->begin_catch_up(request, *target.link);
    if (outcome.ok) {
      deliver(target);
      target.client->end_catch_up(*target.link);
    }
    std::string summary =
        outcome.ok ? "caught up"
                   : fmt::format("catch-up failed: {} {}", outcome.error_class, outcome.detail);
    decrypted_.push_back(fmt::format("{} catch-up: {}", target.name, summary));
    check_outcome(step, outcome.ok, outcome.error_class,
                  fmt::format("{} catches up: {}", target.name, summary));
  }

  void deliver(DeviceRuntime& target) {
    // Bounded: a device answering every stanza with new stanzas to itself cannot loop forever.
    for (int round = 0; round < 64; ++round) {
      std::deque<std::string> pending = target.link->take_pending();
      if (pending.empty()) return;
      for (const std::string& stanza : pending) {
        record(target, stanza, target.client->receive(stanza, *target.link));
      }
    }
    throw StepError(fmt::format("{} kept receiving after 64 rounds", target.name));
  }

  void replay(DeviceRuntime& target) {
    if (target.last_delivered.empty())
      throw StepError(fmt::format("{} has received no message", target.name));
    std::string stanza = target.last_delivered;
    record(target, stanza, target.client->receive(stanza, *target.link));
  }

  void add_fault(const Step& step) {
    net::FaultRule rule;
    rule.name = fmt::format("{}:{}", step.place.file, step.place.line);
    std::string action = step.get("action");
    if (action == "drop")
      rule.action = net::FaultAction::drop;
    else if (action == "duplicate")
      rule.action = net::FaultAction::duplicate;
    else if (action == "hold")
      rule.action = net::FaultAction::hold;
    else if (action == "delay")
      rule.action = net::FaultAction::delay;
    else
      throw StepError(fmt::format("unknown fault action '{}'", action));
    if (step.has("from")) {
      rule.match.direction = net::Direction::client_to_server;
      rule.match.endpoint = device(step.get("from")).full_jid;
    } else if (step.has("to")) {
      rule.match.direction = net::Direction::server_to_client;
      rule.match.endpoint = device(step.get("to")).full_jid;
    }
    rule.match.kind = step.get("kind", "message");
    rule.match.contains_text = step.get("contains");
    rule.count = static_cast<std::uint32_t>(std::stoul(step.get("count", "1")));
    rule.skip = static_cast<std::uint32_t>(std::stoul(step.get("skip", "0")));
    rule.delay = std::chrono::milliseconds(std::stoll(step.get("delay-ms", "0")));
    server_.faults().add(std::move(rule));
  }

  void publish_list(const Step& step) {
    std::string jid = role_jid(step.get("role"));
    std::string full = jid + "/harness-publisher";
    if (!server_.is_connected(full)) {
      net::ResourceOptions options;
      options.available = false;
      server_.connect(full, options);
    }
    std::string items;
    codec::Profile profile = cell_.profile;
    std::string element = profile == codec::Profile::legacy ? "list" : "devices";
    for (const std::string& id : split_words(substitute(step.get("ids")))) {
      items += fmt::format("<device id='{}'/>", id);
    }
    std::string iq = fmt::format(
        "<iq type='set' id='harness-publish'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
        "<publish node='{}'><item id='{}'><{} xmlns='{}'>{}</{}></item></publish></pubsub></iq>",
        codec::device_list_node(profile), step.get("item-id", "current"), element,
        codec::profile_namespace(profile), items, element);
    server_.submit(full, iq);
    server_.drain(full);
  }

  // ---- expectations ----
  void expect_received(const Step& step) {
    DeviceRuntime& target = device(step.get("device"));
    if (target.cursor >= target.outcomes.size()) {
      check(step, false, fmt::format("{} expected a message, received nothing", target.name));
      return;
    }
    const std::string& route = target.routes[target.cursor];
    const ReceiveOutcome& outcome = target.outcomes[target.cursor++];
    std::string kind = step.get("kind", step.has("error") ? "error" : "message");
    std::string actual = std::string(engine::client::receive_kind_name(outcome.kind));
    std::string got = actual;
    if (outcome.body) got += fmt::format(" body={:?}", *outcome.body);
    if (!outcome.error_class.empty())
      got += fmt::format(" error={} ({})", outcome.error_class, outcome.detail);
    bool held = true;
    std::string expected = kind;
    if (step.has("finding")) {
      // "alert or reject": an error, or a finding naming the requirement.
      std::string id = step.get("finding");
      bool alerted = std::any_of(outcome.findings.begin(), outcome.findings.end(),
                                 [&](const codec::Finding& f) { return f.requirement == id; });
      held = outcome.kind == ReceiveOutcome::Kind::error || alerted;
      expected = fmt::format("a rejection or an alert {}", id);
    } else {
      held = actual == kind;
      if (step.has("body")) {
        held = held && outcome.body == step.get("body");
        expected += fmt::format(" body={:?}", step.get("body"));
      }
      if (step.has("error")) {
        held = held && outcome.error_class == step.get("error");
        expected += fmt::format(" error={}", step.get("error"));
      }
    }
    if (step.has("trusted")) {
      bool trusted = parse_bool(step.get("trusted"), true);
      held = held && outcome.sender_trusted == trusted;
      expected += fmt::format(" trusted={}", trusted);
    }
    if (step.has("no-finding")) {
      // No finding naming any of the listed requirements ("*": no finding at all).
      std::vector<std::string> ids = split_words(step.get("no-finding"));
      for (const codec::Finding& finding : outcome.findings) {
        bool named = std::find(ids.begin(), ids.end(), "*") != ids.end() ||
                     std::find(ids.begin(), ids.end(), finding.requirement) != ids.end();
        if (named) {
          held = false;
          got += fmt::format(" [{} {}]", finding.requirement, finding.message);
        }
      }
      expected += fmt::format(" without findings {}", step.get("no-finding"));
    }
    if (step.has("via")) {
      held = held && route == step.get("via");
      expected += fmt::format(" via {}", step.get("via"));
    }
    got += fmt::format(" via {}", route);
    check(step, held, fmt::format("{} expected {}, got {}", target.name, expected, got));
  }

  void expect_no_message(const Step& step) {
    DeviceRuntime& target = device(step.get("device"));
    std::size_t messages = 0;
    for (std::size_t i = target.cursor; i < target.outcomes.size(); ++i) {
      if (target.outcomes[i].kind == ReceiveOutcome::Kind::message) ++messages;
    }
    target.cursor = target.outcomes.size();
    check(step, messages == 0,
          fmt::format("{} expected no chat message, got {}", target.name, messages));
  }

  void expect_no_display(const Step& step) {
    DeviceRuntime& target = device(step.get("device"));
    std::vector<std::string> shown;
    for (std::size_t i = target.cursor; i < target.outcomes.size(); ++i) {
      const ReceiveOutcome& outcome = target.outcomes[i];
      if (!is_displayed(outcome)) continue;
      std::string what(engine::client::receive_kind_name(outcome.kind));
      if (outcome.body) what += fmt::format(" body={:?}", *outcome.body);
      if (!outcome.error_class.empty()) what += fmt::format(" error={}", outcome.error_class);
      shown.push_back(std::move(what));
    }
    target.cursor = target.outcomes.size();
    std::string list;
    for (const std::string& what : shown) list += (list.empty() ? "" : ", ") + what;
    check(step, shown.empty(),
          fmt::format("{} expected nothing shown to the user, got {}", target.name,
                      shown.empty() ? std::string("nothing") : list));
  }

  // A compiled query; a StepError naming the expression when it does not compile.
  static std::unique_ptr<pugi::xpath_query> compile_xpath(const std::string& xpath) {
    std::unique_ptr<pugi::xpath_query> query;
    try {
      query = std::make_unique<pugi::xpath_query>(xpath.c_str());
    } catch (const pugi::xpath_exception& e) {
      throw StepError(fmt::format("bad xpath '{}': {}", xpath, e.what()));
    }
    if (!query->result()) {
      throw StepError(fmt::format("bad xpath '{}': {}", xpath, query->result().description()));
    }
    return query;
  }

  static std::size_t count_xpath(const std::string& xml, const pugi::xpath_query& query) {
    pugi::xml_document document;
    if (!document.load_buffer(xml.data(), xml.size())) return 0;
    return query.evaluate_node_set(document).size();
  }

  // True for the transcript entry that shows a stanza as its endpoint sees it, once: what a
  // client sent counts when it was sent (a held stanza's later release and a fault's duplicate
  // are not sent again by the client); what a client received counts when it reached its queue.
  static bool is_first_sight(const net::TranscriptEntry& entry) {
    using net::Disposition;
    if (entry.direction == net::Direction::client_to_server) {
      return entry.disposition != Disposition::released &&
             entry.disposition != Disposition::duplicated;
    }
    return entry.disposition != Disposition::held && entry.disposition != Disposition::delayed &&
           entry.disposition != Disposition::dropped;
  }

  void expect_wire(const Step& step) {
    std::string xpath = substitute(step.get("xpath"));
    std::unique_ptr<pugi::xpath_query> query = compile_xpath(xpath);
    std::string from = step.has("from") ? device(step.get("from")).full_jid : "";
    std::string to = step.has("to") ? device(step.get("to")).full_jid : "";
    std::size_t matches = 0;
    for (const net::TranscriptEntry& entry : server_.transcript().entries()) {
      bool direction_ok = (!from.empty() && entry.direction == net::Direction::client_to_server &&
                           entry.endpoint == from) ||
                          (!to.empty() && entry.direction == net::Direction::server_to_client &&
                           entry.endpoint == to) ||
                          (from.empty() && to.empty());
      if (!direction_ok || !is_first_sight(entry)) continue;
      matches += count_xpath(entry.xml, *query);
    }
    std::string count = step.get("count", ">=1");
    std::string error;
    bool held = count_matches(count, matches, error);
    if (!error.empty()) throw StepError(error);
    check(step, held, fmt::format("wire: {} matches of {} (expected {})", matches, xpath, count));
  }

  // The one-time prekey id a <key> element's key exchange names, or nullopt when the key is no
  // key exchange or does not decode (legacy PreKeySignalMessage field 1, OMEMO 2 pk_id).
  static std::optional<std::uint32_t> key_exchange_prekey_id(const codec::KeyElement& key,
                                                             codec::Profile profile) {
    if (!key.kex) return std::nullopt;
    if (profile == codec::Profile::legacy) {
      codec::Parsed<codec::PreKeySignalMessage> parsed =
          codec::parse_pre_key_signal_message(key.data);
      return parsed.value ? parsed.value->pre_key_id : std::nullopt;
    }
    codec::Parsed<codec::OmemoKeyExchange> parsed = codec::parse_omemo_key_exchange(key.data);
    if (!parsed.value) return std::nullopt;
    return parsed.value->pk_id;
  }

  // Counts the distinct one-time prekey ids named by the key exchanges that reached `to`'s
  // device id on the wire (R-LEG-016, R-OM2-032: a random prekey is chosen per session).
  void expect_prekeys(const Step& step) {
    DeviceRuntime& target = device(step.get("to"));
    std::uint32_t rid = target.client->device_id();
    std::set<std::uint32_t> prekey_ids;
    for (const net::TranscriptEntry& entry : server_.transcript().entries()) {
      if (entry.direction != net::Direction::client_to_server || !is_first_sight(entry)) continue;
      if (entry.xml.find("<message") != 0) continue;
      codec::Parsed<codec::Message> message = codec::parse_message(entry.xml, false);
      if (!message.value || !message.value->encrypted) continue;
      const codec::Encrypted& encrypted = *message.value->encrypted;
      for (const codec::KeyElement* key : codec::keys_for(encrypted, rid, target.jid)) {
        if (auto id = key_exchange_prekey_id(*key, encrypted.profile)) prekey_ids.insert(*id);
      }
    }
    std::string count = step.get("count", ">=2");
    std::string error;
    bool held = count_matches(count, prekey_ids.size(), error);
    if (!error.empty()) throw StepError(error);
    std::string ids;
    for (std::uint32_t id : prekey_ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
    check(step, held,
          fmt::format("key exchanges to {} named {} distinct prekeys [{}] (expected {})",
                      target.name, prekey_ids.size(), ids, count));
  }

  void expect_node(const Step& step) {
    std::string owner = role_jid(step.get("owner"));
    std::string node = substitute(step.get("node"));
    std::vector<net::PubsubItem> items = server_.node_items(owner, node);
    std::size_t matches = 0;
    if (step.has("xpath")) {
      std::unique_ptr<pugi::xpath_query> query = compile_xpath(substitute(step.get("xpath")));
      for (const net::PubsubItem& item : items) {
        if (!step.has("item") || item.id == substitute(step.get("item"))) {
          matches += count_xpath(item.payload, *query);
        }
      }
    } else {
      for (const net::PubsubItem& item : items) {
        if (!step.has("item") || item.id == substitute(step.get("item"))) ++matches;
      }
    }
    std::string count = step.get("count", ">=1");
    std::string error;
    bool held = count_matches(count, matches, error);
    if (!error.empty()) throw StepError(error);
    check(step, held,
          fmt::format("node {} of {}: {} matches (expected {})", node, owner, matches, count));
  }

  // The implementations the cell's roles bind, each once.
  std::vector<engine::client::Implementation*> bound_implementations() const {
    std::vector<engine::client::Implementation*> bound;
    for (const auto& [role, name] : cell_.roles) {
      engine::client::Implementation* implementation = implementations_.at(name);
      if (std::find(bound.begin(), bound.end(), implementation) == bound.end())
        bound.push_back(implementation);
    }
    return bound;
  }

  static Verdict fault_verdict(engine::client::ImplementationFault::Kind kind) {
    using Kind = engine::client::ImplementationFault::Kind;
    switch (kind) {
      case Kind::crash:
        return Verdict::crash;
      case Kind::timeout:
        return Verdict::timeout;
      case Kind::undeclared:
      case Kind::unsupported:
        return Verdict::unsupported;
      case Kind::refused:
        return Verdict::fail;  // declared, then refused (PROTOCOL.md §8)
      case Kind::error:
        break;
    }
    return Verdict::error;
  }

  const Cell& cell_;
  const ImplementationMap& implementations_;
  const RunSettings& settings_;
  crypto::RandomSource random_;
  net::Server server_;
  std::map<std::string, DeviceRuntime> devices_;
  std::map<std::string, Bytes> saved_;
  std::vector<Check> checks_;
  std::vector<std::string> decrypted_;
  std::string error_;
};

}  // namespace

CellResult run_cell(const Cell& cell, const ImplementationMap& implementations,
                    const RunSettings& settings) {
  try {
    return CellExecution(cell, implementations, settings).run();
  } catch (const std::exception& e) {
    CellResult result;
    result.id = cell.id();
    result.verdict = Verdict::error;
    result.message = fmt::format("harness error: {}", e.what());
    return result;
  }
}

}  // namespace oi::scenario
