#include "client_device.h"

#include <fmt/format.h>

#include <algorithm>

#include "sce_envelope.h"
#include "signal_objects.h"

namespace oi::libomemo_c {
namespace {

// Dino's plaintext fallback for legacy messages; OMEMO 2 sends none (SCE 0.5.0, R-OM2-038).
constexpr const char* kLegacyFallbackBody = "[This message is OMEMO encrypted]";
constexpr int kDeviceIdDraws = 16;
constexpr std::uint32_t kHeartbeatCounter = 53;

std::string bare(const std::string& jid) {
  return jid.substr(0, jid.find('/'));
}

bool contains(const std::vector<std::uint32_t>& ids, std::uint32_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

Bytes utf8(const std::string& text) {
  return Bytes(text.begin(), text.end());
}

}  // namespace

ClientDevice::ClientDevice(ClientSpec spec, std::unique_ptr<OmemoDevice> device)
    : spec_(std::move(spec)), device_(std::move(device)), trust_(spec_.trust_policy) {}

std::string ClientDevice::next_stanza_id() {
  return fmt::format("{}-{}", spec_.device_id, ++stanza_counter_);
}

std::optional<std::vector<std::uint32_t>> ClientDevice::fetch_device_list(const std::string& jid,
                                                                          ServerLink& link,
                                                                          std::string& error) {
  const std::string reply =
      link.iq(items_request(next_stanza_id(), jid, device_list_node(spec_.profile), std::nullopt));
  std::vector<std::uint32_t> ids;
  if (!is_iq_result(reply)) {
    const std::string condition = iq_error_condition(reply);
    if (condition != "item-not-found") {
      error = fmt::format("device list of {}: {}", jid, condition);
      return std::nullopt;
    }
  } else if (std::optional<PepItems> items = pep_items(reply); items && items->newest_item_xml) {
    std::optional<std::vector<std::uint32_t>> parsed =
        parse_device_list(spec_.profile, *items->newest_item_xml);
    if (!parsed) {
      error = fmt::format("device list of {}: unreadable item", jid);
      return std::nullopt;
    }
    ids = *parsed;
  }
  device_lists_[jid] = ids;
  return ids;
}

SendOutcome ClientDevice::publish(const std::string& node, const std::string& item_id,
                                  const std::string& item_xml, bool max_items, ServerLink& link) {
  std::vector<PublishOption> options = {{"pubsub#access_model", "open"}};
  if (max_items) options.push_back({"pubsub#max_items", "max"});
  auto attempt = [&](const std::vector<PublishOption>& with) {
    return link.iq(publish_request(next_stanza_id(), node, item_id, item_xml, with));
  };
  SendOutcome outcome;
  std::string reply = attempt(options);
  if (is_iq_result(reply)) {
    outcome.ok = true;
    return outcome;
  }
  std::string condition = iq_error_condition(reply);
  if (condition == "feature-not-implemented") {
    // No publish-options on this server: publish plainly, then make the node public (Dino's
    // try_make_node_public).
    reply = attempt({});
    if (!is_iq_result(reply))
      return send_failure(
          "bad_data", fmt::format("publish to {} refused: {}", node, iq_error_condition(reply)));
    const std::string configured = link.iq(configure_request(next_stanza_id(), node, options));
    outcome.ok = true;
    if (!is_iq_result(configured))
      outcome.detail =
          fmt::format("node {} left unconfigured: {}", node, iq_error_condition(configured));
    return outcome;
  }
  if (condition == "conflict") {
    // precondition-not-met: reconfigure the node and publish again (XEP-0384 §5.3.2); where
    // 'max' is refused, QXmpp's numbers 1000, 100, 10.
    for (const char* value : {"max", "1000", "100", "10"}) {
      std::vector<PublishOption> adjusted = options;
      if (!max_items && std::string_view(value) != "max") break;
      if (max_items) adjusted.back().value = value;
      link.iq(configure_request(next_stanza_id(), node, adjusted));
      reply = attempt(adjusted);
      if (is_iq_result(reply)) {
        outcome.ok = true;
        outcome.detail = fmt::format("node {} reconfigured before publishing", node);
        return outcome;
      }
    }
    condition = iq_error_condition(reply);
  }
  return send_failure("bad_data", fmt::format("publish to {} refused: {}", node, condition));
}

SendOutcome ClientDevice::publish_device_list(std::vector<std::uint32_t> ids, ServerLink& link) {
  if (!contains(ids, spec_.device_id)) ids.push_back(spec_.device_id);
  SendOutcome outcome = publish(device_list_node(spec_.profile), "current",
                                device_list_xml(spec_.profile, ids), false, link);
  if (outcome.ok) {
    device_lists_[spec_.jid] = ids;
    announced_ = true;
  }
  return outcome;
}

SendOutcome ClientDevice::publish_bundle(ServerLink& link) {
  std::optional<Bundle> bundle = device_->bundle();
  if (!bundle) {  // an imported device without a signed prekey only initiates
    SendOutcome outcome;
    outcome.ok = true;
    outcome.detail = "no signed prekey: no bundle published";
    return outcome;
  }
  const bool omemo2 = spec_.profile == Profile::omemo2;
  return publish(bundle_node(spec_.profile, spec_.device_id),
                 omemo2 ? std::to_string(spec_.device_id) : "current",
                 bundle_xml(spec_.profile, *bundle), omemo2, link);
}

SendOutcome ClientDevice::start(ServerLink& link) {
  std::string error;
  std::optional<std::vector<std::uint32_t>> own = fetch_device_list(spec_.jid, link, error);
  if (!own) return send_failure("bad_data", error);
  // R-LEG-003 / R-OM2-021: a new device draws another id while its id is taken.
  for (int draw = 0; !announced_ && !spec_.keep_device_id && contains(*own, spec_.device_id);
       ++draw) {
    if (draw == kDeviceIdDraws) return send_failure("bad_data", "no free device id");
    spec_.device_id = device_->random().uniform(0x7fffffffu) + 1;
  }
  SendOutcome listed = publish_device_list(*own, link);
  if (!listed.ok) return listed;
  return publish_bundle(link);
}

std::vector<RemoteDevice> ClientDevice::prepare_targets(const std::vector<std::string>& jids,
                                                        bool require_trust, SendOutcome& outcome,
                                                        ServerLink& link) {
  std::vector<RemoteDevice> targets;
  for (const std::string& jid : jids) {
    std::string error;
    auto cached = device_lists_.find(jid);
    std::optional<std::vector<std::uint32_t>> ids =
        cached != device_lists_.end() ? cached->second : fetch_device_list(jid, link, error);
    if (!ids) {
      outcome.skipped_devices.push_back(error);
      continue;
    }
    for (std::uint32_t id : *ids) {
      if (jid == spec_.jid && id == spec_.device_id) continue;
      const RemoteDevice remote{jid, static_cast<std::int32_t>(id)};
      if (!device_->has_session(remote)) {
        const std::optional<std::string> item = spec_.profile == Profile::omemo2
                                                    ? std::optional<std::string>(std::to_string(id))
                                                    : std::nullopt;
        const std::string reply =
            link.iq(items_request(next_stanza_id(), jid, bundle_node(spec_.profile, id), item));
        std::optional<PepItems> items = is_iq_result(reply) ? pep_items(reply) : std::nullopt;
        std::optional<Bundle> bundle = items && items->newest_item_xml
                                           ? parse_bundle(spec_.profile, *items->newest_item_xml)
                                           : std::nullopt;
        if (!bundle) {
          outcome.skipped_devices.push_back(
              fmt::format("{}/{}: no usable bundle ({})", jid, id,
                          is_iq_result(reply) ? "unreadable" : iq_error_condition(reply)));
          continue;
        }
        if (std::optional<ClassifiedError> refused = device_->build_session(remote, *bundle)) {
          outcome.skipped_devices.push_back(
              fmt::format("{}/{}: {}: {}", jid, id, refused->error_class, refused->detail));
          continue;
        }
      }
      const Bytes identity = device_->remote_identity(remote);
      trust_.observe(remote, identity);
      // Empty messages carry no content and are exempt from the trust decision (R-OM2-056).
      if (require_trust && !trust_.is_trusted(remote, identity)) {
        outcome.skipped_devices.push_back(fmt::format("{}/{}: untrusted", jid, id));
        continue;
      }
      targets.push_back(remote);
    }
  }
  return targets;
}

void ClientDevice::send_encrypted(const std::vector<RemoteDevice>& targets,
                                  const std::optional<std::string>& body,
                                  const std::string& stanza_to, ServerLink& link) {
  EncryptedElement element;
  element.sid = spec_.device_id;
  Bytes key_material;
  if (spec_.profile == Profile::legacy) {
    SealedPayload sealed = seal_legacy_payload(utf8(body.value_or("")), device_->random());
    key_material = sealed.key_material;
    element.iv = sealed.iv;
    if (body) element.payload = sealed.ciphertext;  // key transport: header only (R-LEG-026)
  } else if (body) {
    const EnvelopeContext context{spec_.jid, bare(stanza_to), link.now()};
    SealedPayload sealed =
        seal_omemo2_payload(build_envelope(*body, context, device_->random()), device_->random());
    key_material = sealed.key_material;
    element.payload = sealed.ciphertext;
  } else {
    key_material = omemo2_empty_key_material();
  }
  for (const RemoteDevice& target : targets) {
    OmemoDevice::Encrypted encrypted = device_->encrypt(target, key_material);
    element.keys.push_back(KeyElement{target.first, static_cast<std::uint32_t>(target.second),
                                      encrypted.key_exchange, std::move(encrypted.data)});
  }
  OutgoingMessage message{stanza_to, next_stanza_id(), "chat",
                          encrypted_xml(spec_.profile, element), std::nullopt};
  if (spec_.profile == Profile::legacy && body) message.fallback_body = kLegacyFallbackBody;
  link.send(message_xml(spec_.profile, message));
}

SendOutcome ClientDevice::send(const std::vector<std::string>& recipients,
                               const std::optional<std::string>& body, const std::string& to,
                               ServerLink& link) {
  if (recipients.empty()) return send_failure("bad_data", "no recipients");
  std::vector<std::string> jids = recipients;
  if (std::find(jids.begin(), jids.end(), spec_.jid) == jids.end()) jids.push_back(spec_.jid);
  SendOutcome outcome;
  const std::vector<RemoteDevice> targets = prepare_targets(jids, body.has_value(), outcome, link);
  if (targets.empty()) {
    const bool any_untrusted =
        std::any_of(outcome.skipped_devices.begin(), outcome.skipped_devices.end(),
                    [](const std::string& skipped) { return skipped.ends_with(": untrusted"); });
    outcome.error_class = any_untrusted ? "untrusted" : "no_session";
    outcome.detail = "no device to encrypt for";
    return outcome;
  }
  send_encrypted(targets, body, to.empty() ? recipients.front() : to, link);
  outcome.ok = true;
  return outcome;
}

ReceiveOutcome ClientDevice::receive_pep_event(const std::string& stanza_xml,
                                               const std::string& from, ServerLink& link) {
  ReceiveOutcome outcome;
  std::optional<PepItems> items = pep_items(stanza_xml);
  if (!items || items->node != device_list_node(spec_.profile)) return outcome;  // ignored
  std::vector<std::uint32_t> ids;
  if (items->newest_item_xml) {
    std::optional<std::vector<std::uint32_t>> parsed =
        parse_device_list(spec_.profile, *items->newest_item_xml);
    if (!parsed) return outcome;
    ids = *parsed;
  }
  const std::string owner = from.empty() ? spec_.jid : bare(from);
  device_lists_[owner] = ids;
  outcome.kind = "pep_update";
  // R-LEG-007 / R-OM2-026: the own list lost this device: announce it again, keeping the others.
  if (owner == spec_.jid && announced_ && !contains(ids, spec_.device_id)) {
    SendOutcome republished = publish_device_list(ids, link);
    if (!republished.ok) outcome.detail = republished.detail;
  }
  return outcome;
}

ReceiveOutcome ClientDevice::receive(const std::string& stanza_xml, ServerLink& link) {
  std::optional<IncomingMessage> message = parse_message(spec_.profile, stanza_xml);
  if (!message) return ReceiveOutcome{};  // presence, iq, unparsable: nothing for OMEMO
  if (message->has_event) return receive_pep_event(stanza_xml, message->from, link);
  // The archive position, kept for failed messages too (client bookkeeping, not OMEMO state).
  if (!message->archive_id.empty() && bare(message->archive_owner) == spec_.jid) {
    last_archive_id_ = message->archive_id;
  } else if (auto id = message->stanza_ids.find(spec_.jid); id != message->stanza_ids.end()) {
    last_archive_id_ = id->second;
  }
  if (!message->encrypted) {
    if (!message->encrypted_error.empty())
      return receive_error("bad_data", message->encrypted_error);
    ReceiveOutcome outcome;
    outcome.kind = "not_encrypted";
    outcome.body = message->body;
    return outcome;
  }
  const EncryptedElement& element = *message->encrypted;
  const std::string sender_jid = bare(message->from);
  const RemoteDevice sender{sender_jid, static_cast<std::int32_t>(element.sid)};
  if (sender_jid == spec_.jid && element.sid == spec_.device_id) {
    return ReceiveOutcome{};  // our own message reflected back (carbon copy): R-LEG-044
  }
  std::vector<const KeyElement*> candidates;
  for (const KeyElement& key : element.keys) {
    if (key.rid != spec_.device_id) continue;
    if (spec_.profile == Profile::omemo2 && bare(key.jid) != spec_.jid) continue;
    candidates.push_back(&key);
  }
  if (candidates.empty()) {
    ReceiveOutcome outcome = receive_error("not_for_this_device",
                                           fmt::format("no <key> for device {}", spec_.device_id));
    // An empty message / key transport for other devices (a session answer to the account's
    // bare JID, a carbon): nothing to show.
    if (!element.payload) outcome.kind = "ignored";
    return outcome;
  }

  std::optional<std::string> body;
  const EnvelopeContext received{sender_jid, bare(message->to), ""};
  auto open_payload = [&](const Bytes& key_material) -> ClassifiedError {
    body.reset();
    if (!element.payload) return {};  // key transport / empty message: no content
    OpenedPayload opened = spec_.profile == Profile::legacy
                               ? open_legacy_payload(key_material, element.iv, *element.payload)
                               : open_omemo2_payload(key_material, *element.payload);
    if (!opened.plaintext) return {opened.error_class, opened.detail};
    if (spec_.profile == Profile::legacy) {
      body = std::string(opened.plaintext->begin(), opened.plaintext->end());
      return {};
    }
    OpenedEnvelope envelope = open_envelope(*opened.plaintext, received);
    if (!envelope.body) return {"bad_data", envelope.error};
    body = envelope.body;
    return {};
  };
  // Several <key>s for this device id (a clash across JIDs in legacy): try each (R-LEG-028).
  OmemoDevice::Decrypted decrypted;
  for (const KeyElement* key : candidates) {
    decrypted = device_->decrypt(sender, *key, open_payload);
    if (decrypted.key_material) break;
  }
  if (!decrypted.key_material)
    return receive_error(decrypted.error.error_class, decrypted.error.detail);

  ReceiveOutcome outcome;
  const Bytes identity = device_->remote_identity(sender);
  trust_.observe(sender, identity);
  outcome.sender_trusted = trust_.is_trusted(sender, identity);
  if (element.payload) {
    outcome.kind = "message";
    outcome.body = body;
  } else {
    outcome.kind = "empty";
  }
  // A sender whose device is not in the cached list: fetch that account's list directly
  // (R-OM2-054, R-LEG-005), so that replies reach it.
  auto cached = device_lists_.find(sender_jid);
  if (cached == device_lists_.end() || !contains(cached->second, element.sid)) {
    std::string error;
    fetch_device_list(sender_jid, link, error);
  }
  if (decrypted.consumed_pre_key && device_->replenish_pre_keys()) {
    if (catching_up_) {
      republish_postponed_ = true;
    } else {
      SendOutcome republished = publish_bundle(link);
      if (!republished.ok) outcome.detail = republished.detail;
    }
  }
  if (spec_.profile == Profile::omemo2) {
    if (catching_up_ && decrypted.consumed_pre_key) {
      if (std::find(postponed_answers_.begin(), postponed_answers_.end(), sender) ==
          postponed_answers_.end())
        postponed_answers_.push_back(sender);
    } else {
      answer_with_empty_message(sender, decrypted, link);
    }
  }
  return outcome;
}

void ClientDevice::answer_with_empty_message(const RemoteDevice& sender,
                                             const OmemoDevice::Decrypted& decrypted,
                                             ServerLink& link) {
  // QXmpp's OMEMO 2 behaviour: an empty message completes a session built from a key exchange
  // (R-OM2-048), and one heartbeat goes back on the first message of a chain with n >= 53
  // (R-OM2-053).
  const bool completes_session = decrypted.consumed_pre_key;
  const bool heartbeat = decrypted.counter >= kHeartbeatCounter &&
                         heartbeat_chains_.insert({sender, decrypted.ratchet_key}).second;
  if (!completes_session && !heartbeat) return;
  send_encrypted({sender}, std::nullopt, sender.first, link);
}

SendOutcome ClientDevice::begin_catch_up(bool from_start, ServerLink& link) {
  constexpr std::size_t kPageSize = 50;
  constexpr int kMaxPages = 100;  // a bound against a server that never says complete
  std::optional<std::string> after;
  if (!from_start && !last_archive_id_.empty()) after = last_archive_id_;
  catching_up_ = true;
  for (int page = 0; page < kMaxPages; ++page) {
    const std::string query_id = next_stanza_id();
    const std::string reply =
        link.iq(mam_query_request(next_stanza_id(), query_id, after, kPageSize));
    std::optional<MamFin> fin = parse_mam_fin(reply);
    if (!fin) {
      catching_up_ = false;
      return send_failure("server_error",
                          fmt::format("MAM query refused: {}", iq_error_condition(reply)));
    }
    if (fin->complete || fin->last.empty()) break;
    after = fin->last;
  }
  SendOutcome outcome;
  outcome.ok = true;
  return outcome;
}

void ClientDevice::end_catch_up(ServerLink& link) {
  catching_up_ = false;
  if (republish_postponed_) {
    republish_postponed_ = false;
    publish_bundle(link);
  }
  std::vector<RemoteDevice> answers = std::move(postponed_answers_);
  postponed_answers_.clear();
  for (const RemoteDevice& sender : answers)
    send_encrypted({sender}, std::nullopt, sender.first, link);
}

SendOutcome ClientDevice::rotate(ServerLink& link) {
  device_->rotate_signed_pre_key();
  return publish_bundle(link);
}

void ClientDevice::set_trust(const std::string& jid, std::uint32_t device_id, bool trusted) {
  const RemoteDevice remote{jid, static_cast<std::int32_t>(device_id)};
  const Bytes identity = device_->remote_identity(remote);
  if (identity.empty()) return;  // no identity known yet: nothing to decide on
  trust_.set_trusted(remote, identity, trusted);
}

}  // namespace oi::libomemo_c
