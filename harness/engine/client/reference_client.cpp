#include "engine/client/reference_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <pugixml.hpp>
#include <sstream>

#include "codec/message.h"
#include "codec/pep.h"
#include "engine/client/stanzas.h"
#include "engine/state_codec.h"

namespace oi::engine::client {

namespace {

constexpr const char* kLegacyFallbackBody =
    "I sent you an OMEMO encrypted message but your client doesn't seem to support that.";
constexpr const char* kInjectedPlaintext = "plaintext beside the encrypted element";

bool has_misbehaviour(const DeviceSpec& spec, Misbehaviour knob) {
  return std::find(spec.misbehaviours.begin(), spec.misbehaviours.end(), knob) !=
         spec.misbehaviours.end();
}

bool is_valid_device_id(std::uint32_t id) {
  return id >= 1 && id <= 0x7FFFFFFF;
}

// The publish element with its item id replaced (misbehaviour pep-item-id-not-current).
std::string with_item_id(const std::string& publish_xml, const char* item_id) {
  pugi::xml_document document;
  document.load_buffer(publish_xml.data(), publish_xml.size());
  document.document_element().child("item").attribute("id").set_value(item_id);
  std::ostringstream out;
  document.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  return out.str();
}

SendOutcome failure(std::string error_class, std::string detail) {
  SendOutcome outcome;
  outcome.error_class = std::move(error_class);
  outcome.detail = std::move(detail);
  return outcome;
}

}  // namespace

std::string_view receive_kind_name(ReceiveOutcome::Kind kind) {
  switch (kind) {
    case ReceiveOutcome::Kind::message:
      return "message";
    case ReceiveOutcome::Kind::empty:
      return "empty";
    case ReceiveOutcome::Kind::error:
      return "error";
    case ReceiveOutcome::Kind::not_encrypted:
      return "not-encrypted";
    case ReceiveOutcome::Kind::pep_update:
      return "pep-update";
    case ReceiveOutcome::Kind::ignored:
      return "ignored";
  }
  return "?";
}

std::string ReferenceImplementation::version() const {
  return OMEMO_INTEROP_ENGINE_VERSION;
}

std::unique_ptr<ClientDevice> ReferenceImplementation::create_device(const DeviceSpec& spec,
                                                                     crypto::RandomSource random) {
  return std::make_unique<ReferenceClientDevice>(spec, std::move(random));
}

ReferenceClientDevice::ReferenceClientDevice(const DeviceSpec& spec, crypto::RandomSource random)
    : spec_(spec), random_(std::move(random)) {
  device_ = Device::create(device_options(spec_), random_.derive("device"));
  for (Misbehaviour knob : spec.misbehaviours) device_->misbehaviours().enable(knob);
}

ReferenceClientDevice::ReferenceClientDevice(const DeviceSpec& spec, crypto::RandomSource random,
                                             std::unique_ptr<Device> device)
    : spec_(spec), random_(std::move(random)), device_(std::move(device)), has_fixed_keys_(true) {
  for (Misbehaviour knob : spec.misbehaviours) device_->misbehaviours().enable(knob);
}

Result<std::unique_ptr<ReferenceClientDevice>> ReferenceClientDevice::from_keys(
    const DeviceSpec& spec, const DeviceKeys& keys, crypto::RandomSource random) {
  Result<std::unique_ptr<Device>> device =
      Device::create_from_keys(device_options(spec), keys, random.derive("device"));
  if (!device) return device.failure();
  return std::unique_ptr<ReferenceClientDevice>(
      new ReferenceClientDevice(spec, std::move(random), std::move(*device)));
}

DeviceOptions ReferenceClientDevice::device_options(const DeviceSpec& spec) {
  DeviceOptions options;
  options.profile = spec.profile;
  options.jid = spec.jid;
  options.device_id = spec.device_id;
  options.pre_key_count = spec.pre_key_count;
  options.trust_policy = spec.trust_policy;
  if (!spec.identity_kind.empty()) options.identity_kind = spec.identity_kind;
  return options;
}

std::string ReferenceClientDevice::next_id() {
  return fmt::format("{}-{}", device_->device_id(), ++stanza_counter_);
}

std::optional<codec::DeviceList> ReferenceClientDevice::fetch_device_list(const std::string& jid,
                                                                          ServerLink& link,
                                                                          std::string& error) {
  std::string reply =
      link.iq(items_request(next_id(), jid, codec::device_list_node(spec_.profile)));
  codec::DeviceList empty{spec_.profile, {}};
  if (!is_iq_result(reply)) {
    std::string condition = iq_error_condition(reply);
    if (condition == "item-not-found") return empty;  // no list published yet
    error = fmt::format("device list of {}: {}", jid, condition);
    return std::nullopt;
  }
  codec::Parsed<codec::PepNode> parsed = codec::parse_pep(reply);
  if (!parsed.value || parsed.value->items.empty()) return empty;
  // The newest item is the last one the server returned.
  const codec::PepItem& newest = parsed.value->items.back();
  if (!newest.device_list) {
    error = fmt::format("device list of {}: unreadable item", jid);
    return std::nullopt;
  }
  device_lists_[jid] = *newest.device_list;
  return newest.device_list;
}

SendOutcome ReferenceClientDevice::publish_with_options(const std::string& publish_xml,
                                                        const std::string& node,
                                                        std::vector<PublishOption> options,
                                                        ServerLink& link) {
  SendOutcome outcome;
  std::string reply = link.iq(publish_request(next_id(), publish_xml, options));
  if (is_iq_result(reply)) {
    outcome.ok = true;
    return outcome;
  }
  std::string condition = iq_error_condition(reply);
  if (condition == "feature-not-implemented") {
    // No publish-options on this server: publish plainly, then make the node what we need.
    reply = link.iq(publish_request(next_id(), publish_xml, {}));
    if (!is_iq_result(reply)) {
      return failure("bad_data", fmt::format("publish to {} refused without publish-options: {}",
                                             node, iq_error_condition(reply)));
    }
    std::string configured = link.iq(configure_request(next_id(), node, options));
    outcome.ok = true;
    if (!is_iq_result(configured)) {
      outcome.detail =
          fmt::format("node {} left unconfigured: {}", node, iq_error_condition(configured));
    }
    return outcome;
  }
  if (condition != "conflict") {
    return failure("bad_data", fmt::format("publish to {} refused: {}", node, condition));
  }
  // <precondition-not-met/>: reconfigure the node and retry (R-OM2-029); when 'max' is not
  // accepted, fall back to numbers.
  std::vector<std::string> max_items_fallbacks = {"", "1000", "100", "10"};
  for (const std::string& max_items : max_items_fallbacks) {
    std::vector<PublishOption> attempt = options;
    for (PublishOption& option : attempt) {
      if (option.var == "pubsub#max_items" && !max_items.empty()) option.value = max_items;
    }
    bool has_max = std::any_of(attempt.begin(), attempt.end(),
                               [](const PublishOption& o) { return o.var == "pubsub#max_items"; });
    if (!max_items.empty() && !has_max) break;
    // An existing node is reconfigured; a node the refused publish did not create is simply
    // published to again with the adjusted options.
    std::string configured = link.iq(configure_request(next_id(), node, attempt));
    if (!is_iq_result(configured) && iq_error_condition(configured) != "item-not-found") continue;
    reply = link.iq(publish_request(next_id(), publish_xml, attempt));
    if (is_iq_result(reply)) {
      outcome.ok = true;
      outcome.detail = fmt::format("node {} reconfigured before publishing", node);
      return outcome;
    }
  }
  return failure("bad_data", fmt::format("publish to {} refused: precondition-not-met, and "
                                         "reconfiguring the node did not help",
                                         node));
}

SendOutcome ReferenceClientDevice::publish_device_list(const codec::DeviceList& list,
                                                       ServerLink& link) {
  std::string publish = codec::serialize_device_list_publish(list);
  if (has_misbehaviour(spec_, Misbehaviour::pep_item_id_not_current)) {
    publish = with_item_id(publish, "1");
  }
  SendOutcome outcome = publish_with_options(publish, codec::device_list_node(spec_.profile),
                                             {{"pubsub#access_model", "open"}}, link);
  if (outcome.ok) {
    device_lists_[spec_.jid] = list;
    announced_ = true;
  }
  return outcome;
}

SendOutcome ReferenceClientDevice::publish_bundle(ServerLink& link) {
  std::string publish = codec::serialize_bundle_publish(device_->bundle(), device_->device_id());
  std::vector<PublishOption> options = {{"pubsub#access_model", "open"}};
  if (spec_.profile == codec::Profile::omemo2) options.push_back({"pubsub#max_items", "max"});
  return publish_with_options(publish, codec::bundle_node(spec_.profile, device_->device_id()),
                              options, link);
}

SendOutcome ReferenceClientDevice::start(ServerLink& link) {
  std::string error;
  std::optional<codec::DeviceList> list = fetch_device_list(spec_.jid, link, error);
  if (!list) return failure("bad_data", error);
  // R-LEG-003 / R-OM2-021: a new device whose id is already listed draws another before its
  // first publish.
  auto is_listed = [&](std::uint32_t id) {
    return std::any_of(list->devices.begin(), list->devices.end(),
                       [&](const codec::Device& d) { return d.id == id; });
  };
  for (int attempt = 0;
       !announced_ && !spec_.keep_device_id && !has_fixed_keys_ && is_listed(device_->device_id());
       ++attempt) {
    if (attempt == 16) return failure("bad_data", "no free device id after 16 draws");
    spec_.device_id = 0;
    device_ = Device::create(device_options(spec_),
                             random_.derive(fmt::format("regenerated-{}", attempt)));
    for (Misbehaviour knob : spec_.misbehaviours) device_->misbehaviours().enable(knob);
  }
  codec::DeviceList announced = has_misbehaviour(spec_, Misbehaviour::empty_device_list)
                                    ? codec::DeviceList{spec_.profile, {}}
                                    : merge_own_device_id(*list, device_->device_id());
  SendOutcome published = publish_device_list(announced, link);
  if (!published.ok) return published;
  return publish_bundle(link);
}

std::vector<DeviceAddress> ReferenceClientDevice::prepare_sessions(
    const std::vector<std::string>& jids, ServerLink& link, SendOutcome& outcome) {
  std::vector<DeviceAddress> usable;
  for (const std::string& jid : jids) {
    std::string error;
    auto cached = device_lists_.find(jid);
    std::optional<codec::DeviceList> list =
        cached != device_lists_.end() ? cached->second : fetch_device_list(jid, link, error);
    if (!list) {
      outcome.skipped_devices.push_back(error);
      continue;
    }
    for (const codec::Device& listed : list->devices) {
      DeviceAddress address{jid, listed.id};
      if (jid == spec_.jid && listed.id == device_->device_id()) continue;
      if (!is_valid_device_id(listed.id)) {
        outcome.skipped_devices.push_back(fmt::format("{}/{}: invalid device id", jid, listed.id));
        continue;
      }
      if (!device_->has_session(address)) {
        std::string node = codec::bundle_node(spec_.profile, listed.id);
        std::optional<std::string> item;
        if (spec_.profile == codec::Profile::omemo2) item = std::to_string(listed.id);
        std::string reply = link.iq(items_request(next_id(), jid, node, item));
        codec::Parsed<codec::PepNode> parsed = codec::parse_pep(reply);
        if (!is_iq_result(reply) || !parsed.value || parsed.value->items.empty() ||
            !parsed.value->items.back().bundle) {
          outcome.skipped_devices.push_back(
              fmt::format("{}/{}: no bundle ({})", jid, listed.id, iq_error_condition(reply)));
          continue;
        }
        Result<std::monostate> built =
            device_->build_session(address, *parsed.value->items.back().bundle);
        if (!built) {
          outcome.skipped_devices.push_back(fmt::format("{}/{}: {}: {}", jid, listed.id,
                                                        decrypt_error_name(built.error()),
                                                        built.failure().detail));
          continue;
        }
      }
      usable.push_back(address);
    }
  }
  return usable;
}

SendOutcome ReferenceClientDevice::send_to(const std::vector<DeviceAddress>& devices,
                                           const std::optional<std::string>& body,
                                           const std::string& to, const std::string& type,
                                           ServerLink& link, SendOutcome outcome) {
  StanzaContext stanza{spec_.jid, bare_jid(to), link.now()};
  Result<EncryptedOutput> output = device_->encrypt(body, devices, stanza);
  if (!output) {
    outcome.error_class = decrypt_error_name(output.error());
    outcome.detail = output.failure().detail;
    return outcome;
  }
  for (const DeviceAddress& skipped : output->skipped_untrusted) {
    outcome.skipped_devices.push_back(
        fmt::format("{}/{}: untrusted", skipped.jid, skipped.device_id));
  }
  OutgoingMessage message;
  message.to = to;
  message.id = next_id();
  message.type = type;
  message.encrypted_xml = output->xml;
  message.profile = spec_.profile;
  if (spec_.profile == codec::Profile::legacy && body) message.fallback_body = kLegacyFallbackBody;
  if (has_misbehaviour(spec_, Misbehaviour::plaintext_body_beside)) {
    message.fallback_body.reset();
    message.plaintext_body_beside = kInjectedPlaintext;
  }
  link.send(message_stanza(message));
  outcome.ok = true;
  return outcome;
}

SendOutcome ReferenceClientDevice::send(const SendRequest& request, ServerLink& link) {
  if (request.type == "groupchat") return send_groupchat(request, link);
  if (request.recipients.empty()) return failure("bad_data", "no recipients");
  std::vector<std::string> jids = request.recipients;
  if (std::find(jids.begin(), jids.end(), spec_.jid) == jids.end()) jids.push_back(spec_.jid);
  SendOutcome outcome;
  std::vector<DeviceAddress> devices = prepare_sessions(jids, link, outcome);
  if (devices.empty()) {
    outcome.error_class = "no_session";
    outcome.detail = "no device to encrypt for";
    return outcome;
  }
  std::string to = request.to.empty() ? request.recipients.front() : request.to;
  return send_to(devices, request.body, to, request.type, link, std::move(outcome));
}

ReceiveOutcome ReferenceClientDevice::receive_pep_event(const std::string& stanza_xml,
                                                        ServerLink& link) {
  ReceiveOutcome outcome;
  outcome.kind = ReceiveOutcome::Kind::pep_update;
  codec::Parsed<codec::PepNode> parsed = codec::parse_pep(stanza_xml);
  outcome.findings = parsed.findings;
  if (!parsed.value || parsed.value->node != codec::device_list_node(spec_.profile) ||
      parsed.value->items.empty() || !parsed.value->items.back().device_list) {
    outcome.kind = ReceiveOutcome::Kind::ignored;
    return outcome;
  }
  pugi::xml_document document;
  document.load_buffer(stanza_xml.data(), stanza_xml.size());
  std::string jid = bare_jid(document.document_element().attribute("from").value());
  if (jid.empty()) jid = spec_.jid;  // own-account events may come without 'from'
  const codec::DeviceList& list = *parsed.value->items.back().device_list;
  device_lists_[jid] = list;
  bool lists_me = std::any_of(list.devices.begin(), list.devices.end(),
                              [&](const codec::Device& d) { return d.id == device_->device_id(); });
  if (jid == spec_.jid && !lists_me && !has_misbehaviour(spec_, Misbehaviour::empty_device_list)) {
    SendOutcome republished =
        publish_device_list(merge_own_device_id(list, device_->device_id()), link);
    if (!republished.ok) outcome.detail = republished.detail;
  }
  return outcome;
}

ReceiveOutcome ReferenceClientDevice::receive(const std::string& stanza_xml, ServerLink& link) {
  ReceiveOutcome outcome;
  if (is_pep_event(stanza_xml)) {
    return receive_pep_event(stanza_xml, link);
  }
  if (stanza_xml.starts_with("<presence")) return receive_presence(stanza_xml, link);
  std::optional<IncomingMessage> incoming = unwrap_message(stanza_xml);
  if (!incoming) return outcome;  // not a message: ignored
  std::string wrapper = bare_jid(incoming->wrapper_from);
  if (incoming->is_carbon && wrapper != spec_.jid) {
    outcome.detail = fmt::format("carbon from {}, not from the own account: ignored", wrapper);
    return outcome;  // a forged carbon (XEP-0280 §11)
  }
  if (incoming->is_archived && !wrapper.empty() && wrapper != spec_.jid &&
      !rooms_.contains(wrapper)) {
    outcome.detail = fmt::format("archive result from {}: ignored", wrapper);
    return outcome;
  }
  if (incoming->type == "error") {
    outcome.detail = "message error";
    return outcome;
  }
  if (incoming->is_archived && wrapper == spec_.jid) {
    last_archive_id_ = incoming->archive_id;
  } else if (auto id = incoming->stanza_ids.find(spec_.jid); id != incoming->stanza_ids.end()) {
    last_archive_id_ = id->second;
  }

  // The sender's bare JID and the stanza's recipient, as the SCE affixes name them. A group
  // message comes from room/nick: the sender is the occupant's real JID and the recipient the
  // room.
  std::string sender = bare_jid(incoming->from);
  std::string recipient = bare_jid(incoming->to);
  auto room = rooms_.find(bare_jid(incoming->from));
  bool from_room = incoming->type == "groupchat" && room != rooms_.end();
  if (from_room) {
    for (int code : incoming->muc_status_codes) {
      if (code == 172) room->second.non_anonymous = true;
      if (code == 173) room->second.non_anonymous = false;
    }
  }
  codec::Parsed<codec::Message> parsed = codec::parse_message(incoming->message_xml);
  if (!parsed.value || !parsed.value->encrypted ||
      parsed.value->encrypted->profile != spec_.profile) {
    // A message without content (a room's subject, a status change, a chat state) is nothing
    // for the user.
    if (!incoming->has_body && (!parsed.value || !parsed.value->encrypted)) return outcome;
    outcome.kind = ReceiveOutcome::Kind::not_encrypted;
    outcome.findings = parsed.findings;
    return outcome;
  }
  const codec::Encrypted& encrypted = *parsed.value->encrypted;
  if (from_room) {
    std::string nick = jid_resource(incoming->from);
    auto occupant = room->second.occupants.find(nick);
    if (occupant == room->second.occupants.end() || occupant->second.empty()) {
      if (nick == room->second.nick && encrypted.sid == device_->device_id()) {
        return outcome;  // our own echo, before our presence came back
      }
      outcome.kind = ReceiveOutcome::Kind::error;
      outcome.error_class = "bad_data";
      outcome.detail = fmt::format("no real JID known for occupant {}", incoming->from);
      return outcome;
    }
    sender = bare_jid(occupant->second);
    recipient = room->first;
  }
  if (sender == spec_.jid && encrypted.sid == device_->device_id()) {
    return outcome;  // our own message reflected back (carbon, MUC echo): ignored (R-LEG-044)
  }
  StanzaContext stanza{sender, recipient,
                       incoming->delay_stamp.empty() ? link.now() : incoming->delay_stamp};
  Result<ReceivedMessage> received = device_->decrypt(encrypted, stanza);
  if (!received && received.error() == DecryptError::not_for_this_device && !encrypted.payload) {
    // An empty message / key transport for other devices (a session answer copied to us as a
    // carbon, or sent to the account's bare JID): nothing to show.
    outcome.detail = received.failure().detail;
    return outcome;
  }
  if (!received) {
    outcome.kind = ReceiveOutcome::Kind::error;
    outcome.error_class = decrypt_error_name(received.error());
    outcome.detail = received.failure().detail;
    return outcome;
  }
  outcome.kind = received->body ? ReceiveOutcome::Kind::message : ReceiveOutcome::Kind::empty;
  outcome.body = received->body;
  outcome.findings = received->envelope_findings;
  outcome.sender_trusted = received->sender_trusted;

  DeviceAddress sender_device{sender, encrypted.sid};
  // R-OM2-054: a sender device missing from the cached list means the list is stale: fetch the
  // sender's devices node directly (the fetch refreshes the cache).
  auto cached = device_lists_.find(sender);
  if (cached != device_lists_.end() &&
      std::none_of(cached->second.devices.begin(), cached->second.devices.end(),
                   [&](const codec::Device& d) { return d.id == encrypted.sid; })) {
    std::string error;
    if (!fetch_device_list(sender, link, error)) device_lists_.erase(sender);
  }
  if (received->was_key_exchange) {
    if (catching_up_) {
      // R-OM2-051: answered when the catch-up ends.
      if (std::find(postponed_key_exchanges_.begin(), postponed_key_exchanges_.end(),
                    sender_device) == postponed_key_exchanges_.end()) {
        postponed_key_exchanges_.push_back(sender_device);
      }
      return outcome;
    }
    answer_key_exchange(sender_device, link);
    return outcome;
  }
  if (received->heartbeat_due &&
      !device_->misbehaviours().is_enabled(Misbehaviour::suppress_heartbeat)) {
    send_to({sender_device}, std::nullopt, sender, "chat", link);  // R-OM2-053
  }
  return outcome;
}

void ReferenceClientDevice::answer_key_exchange(const DeviceAddress& sender, ServerLink& link) {
  device_->refresh_bundle();
  publish_bundle(link);
  if (spec_.profile == codec::Profile::omemo2) {
    send_to({sender}, std::nullopt, sender.jid, "chat", link);  // R-OM2-048
  }
}

ReceiveOutcome ReferenceClientDevice::receive_presence(const std::string& stanza_xml,
                                                       ServerLink& link) {
  ReceiveOutcome outcome;
  std::optional<MucPresence> presence = parse_muc_presence(stanza_xml);
  if (!presence) return outcome;
  auto found = rooms_.find(presence->room);
  if (found == rooms_.end()) return outcome;
  RoomState& room = found->second;
  if (presence->type == "error") {
    if (presence->nick == room.nick && !room.joined) {
      outcome.detail =
          fmt::format("join of {} refused: {}", presence->room, presence->error_condition);
      rooms_.erase(found);
    }
    return outcome;
  }
  auto has = [&](int code) {
    return std::find(presence->status_codes.begin(), presence->status_codes.end(), code) !=
           presence->status_codes.end();
  };
  bool self = has(110);
  if (presence->type == "unavailable") {
    if (self) {
      rooms_.erase(found);  // we left (or were removed: 301, 321)
      return outcome;
    }
    room.occupants.erase(presence->nick);
    return outcome;
  }
  room.occupants[presence->nick] = presence->real_jid;
  if (has(100) || has(172)) room.non_anonymous = true;
  if (self && !room.joined) {
    room.joined = true;
    refresh_affiliations(presence->room, room, link);  // on join (R-OM2-044)
  }
  return outcome;
}

void ReferenceClientDevice::refresh_affiliations(const std::string& room_jid, RoomState& room,
                                                 ServerLink& link) {
  std::set<std::string> affiliated;
  bool any = false;
  for (const char* affiliation : {"member", "admin", "owner"}) {
    std::string reply = link.iq(affiliation_list_request(next_id(), room_jid, affiliation));
    if (!is_iq_result(reply)) continue;
    any = true;
    for (std::string& jid : affiliation_list_jids(reply)) affiliated.insert(std::move(jid));
  }
  if (any) room.affiliated = std::move(affiliated);
}

SendOutcome ReferenceClientDevice::send_groupchat(const SendRequest& request, ServerLink& link) {
  std::string room_jid = bare_jid(request.to);
  auto found = rooms_.find(room_jid);
  if (found == rooms_.end() || !found->second.joined) {
    return failure(kNotJoined, fmt::format("{} has not joined {}", spec_.jid, room_jid));
  }
  RoomState& room = found->second;
  if (!room.non_anonymous) {
    return failure(kAnonymousRoom,
                   fmt::format("{} does not show real JIDs: no OMEMO in a semi-anonymous room "
                               "(R-OM2-043, R-LEG-045)",
                               room_jid));
  }
  refresh_affiliations(room_jid, room, link);  // affiliation changes (R-OM2-044)
  std::set<std::string> members = room.affiliated;
  for (const auto& [nick, real] : room.occupants) {
    if (!real.empty()) members.insert(bare_jid(real));
  }
  members.insert(spec_.jid);
  SendOutcome outcome;
  std::vector<DeviceAddress> devices =
      prepare_sessions(std::vector<std::string>(members.begin(), members.end()), link, outcome);
  if (devices.empty()) {
    outcome.error_class = "no_session";
    outcome.detail = fmt::format("no device to encrypt for in {}", room_jid);
    return outcome;
  }
  return send_to(devices, request.body, room_jid, "groupchat", link, std::move(outcome));
}

SendOutcome ReferenceClientDevice::join_room(const std::string& room, const std::string& nick,
                                             ServerLink& link) {
  std::string room_jid = bare_jid(room);
  RoomState state;
  state.nick = nick;
  std::vector<std::string> features =
      disco_features(link.iq(disco_info_request(next_id(), room_jid)));
  auto has = [&](std::string_view feature) {
    return std::find(features.begin(), features.end(), feature) != features.end();
  };
  state.non_anonymous = has("muc_nonanonymous");
  state.members_only = has("muc_membersonly");
  rooms_[room_jid] = std::move(state);
  link.send(join_presence(room_jid, nick));
  SendOutcome outcome;
  outcome.ok = true;
  return outcome;
}

SendOutcome ReferenceClientDevice::leave_room(const std::string& room, ServerLink& link) {
  auto found = rooms_.find(bare_jid(room));
  if (found == rooms_.end()) return failure(kNotJoined, fmt::format("not in {}", room));
  link.send(leave_presence(found->first, found->second.nick));
  SendOutcome outcome;
  outcome.ok = true;
  return outcome;
}

SendOutcome ReferenceClientDevice::begin_catch_up(const CatchUpRequest& request, ServerLink& link) {
  constexpr std::size_t kPageSize = 50;
  constexpr int kMaxPages = 100;  // a bound against a server that never says complete
  std::optional<std::string> after;
  if (!request.from_start && !last_archive_id_.empty()) after = last_archive_id_;
  catching_up_ = true;
  for (int page = 0; page < kMaxPages; ++page) {
    std::string queryid = next_id();
    std::string reply = link.iq(mam_query_request(next_id(), queryid, after, kPageSize));
    std::optional<MamFin> fin = parse_mam_fin(reply);
    if (!fin) {
      catching_up_ = false;
      return failure(kServerError, fmt::format("MAM query refused: {}", iq_error_condition(reply)));
    }
    if (fin->complete || fin->last.empty()) break;
    after = fin->last;
  }
  SendOutcome outcome;
  outcome.ok = true;
  return outcome;
}

void ReferenceClientDevice::end_catch_up(ServerLink& link) {
  catching_up_ = false;
  std::vector<DeviceAddress> postponed = std::move(postponed_key_exchanges_);
  postponed_key_exchanges_.clear();
  if (postponed.empty()) return;
  device_->refresh_bundle();
  publish_bundle(link);
  if (spec_.profile == codec::Profile::omemo2) {
    for (const DeviceAddress& sender : postponed) {
      send_to({sender}, std::nullopt, sender.jid, "chat", link);  // R-OM2-051
    }
  }
}

void ReferenceClientDevice::set_trust(const std::string& jid, std::uint32_t device_id,
                                      bool trusted) {
  DeviceAddress address{jid, device_id};
  if (std::optional<Bytes> identity = device_->remote_identity(address)) {
    device_->trust().set_trusted(address, *identity, trusted);
  }
}

SendOutcome ReferenceClientDevice::rotate_signed_pre_key(ServerLink& link) {
  device_->rotate_signed_pre_key();
  return publish_bundle(link);
}

bool ReferenceClientDevice::set_misbehaviour(Misbehaviour knob, bool on) {
  // The client-level knobs are read from the spec, the device-level ones from the switchboard.
  std::erase(spec_.misbehaviours, knob);
  if (on) {
    spec_.misbehaviours.push_back(knob);
    device_->misbehaviours().enable(knob);
  } else {
    device_->misbehaviours().disable(knob);
  }
  return true;
}

Bytes ReferenceClientDevice::export_state() const {
  StateWriter out;
  out.text("reference-client/2");
  out.blob(device_->export_state());
  out.u32(static_cast<std::uint32_t>(stanza_counter_));
  out.u32(static_cast<std::uint32_t>(device_lists_.size()));
  for (const auto& [jid, list] : device_lists_) {
    out.text(jid);
    out.text(codec::serialize_device_list(list));
  }
  out.text(last_archive_id_);
  out.u32(static_cast<std::uint32_t>(rooms_.size()));
  for (const auto& [jid, room] : rooms_) {
    out.text(jid);
    out.text(room.nick);
    out.u8(static_cast<std::uint8_t>((room.joined ? 1 : 0) | (room.non_anonymous ? 2 : 0) |
                                     (room.members_only ? 4 : 0)));
    out.u32(static_cast<std::uint32_t>(room.occupants.size()));
    for (const auto& [nick, real] : room.occupants) {
      out.text(nick);
      out.text(real);
    }
    out.u32(static_cast<std::uint32_t>(room.affiliated.size()));
    for (const std::string& member : room.affiliated) out.text(member);
  }
  return out.take();
}

bool ReferenceClientDevice::import_state(ByteView state) {
  StateReader in(state);
  auto tag = in.text();
  auto device = in.blob();
  auto counter = in.u32();
  auto lists = in.u32();
  if (!tag || *tag != "reference-client/2" || !device || !counter || !lists) return false;
  std::map<std::string, codec::DeviceList> restored;
  for (std::uint32_t i = 0; i < *lists; ++i) {
    auto jid = in.text();
    auto xml = in.text();
    if (!jid || !xml) return false;
    codec::Parsed<codec::DeviceList> parsed = codec::parse_device_list(*xml);
    if (!parsed.value) return false;
    restored[*jid] = *parsed.value;
  }
  auto archive_id = in.text();
  auto room_count = in.u32();
  if (!archive_id || !room_count) return false;
  std::map<std::string, RoomState> rooms;
  for (std::uint32_t i = 0; i < *room_count; ++i) {
    auto jid = in.text();
    auto nick = in.text();
    auto flags = in.u8();
    auto occupant_count = in.u32();
    if (!jid || !nick || !flags || !occupant_count) return false;
    RoomState room;
    room.nick = *nick;
    room.joined = (*flags & 1) != 0;
    room.non_anonymous = (*flags & 2) != 0;
    room.members_only = (*flags & 4) != 0;
    for (std::uint32_t k = 0; k < *occupant_count; ++k) {
      auto occupant = in.text();
      auto real = in.text();
      if (!occupant || !real) return false;
      room.occupants[*occupant] = *real;
    }
    auto member_count = in.u32();
    if (!member_count) return false;
    for (std::uint32_t k = 0; k < *member_count; ++k) {
      auto member = in.text();
      if (!member) return false;
      room.affiliated.insert(*member);
    }
    rooms[*jid] = std::move(room);
  }
  if (!in.at_end() || !device_->import_state(*device)) return false;
  stanza_counter_ = *counter;
  device_lists_ = std::move(restored);
  last_archive_id_ = *archive_id;
  rooms_ = std::move(rooms);
  return true;
}

}  // namespace oi::engine::client
