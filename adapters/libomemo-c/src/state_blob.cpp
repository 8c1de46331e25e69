#include "state_blob.h"

#include <nlohmann/json.hpp>
#include <string_view>

#include "protocol_error.h"

namespace oi::libomemo_c {
namespace {

using Json = nlohmann::json;
constexpr std::string_view kMarker = "OMEMO-INTEROP-LIBOMEMO-C/1\n";

std::string b64(const Bytes& bytes) {
  return to_base64(bytes);
}

Bytes unb64(const Json& value) {
  std::optional<Bytes> bytes = from_base64(value.get<std::string>());
  if (!bytes) throw std::runtime_error("not base64");
  return *bytes;
}

Json remote_json(const RemoteDevice& remote) {
  return Json::array({remote.first, remote.second});
}

RemoteDevice remote_of(const Json& value) {
  return {value.at(0).get<std::string>(), value.at(1).get<std::int32_t>()};
}

template <class Key>
Json records_json(const std::map<Key, Bytes>& records) {
  Json out = Json::array();
  for (const auto& [key, record] : records) {
    if constexpr (std::is_same_v<Key, RemoteDevice>) {
      out.push_back(Json::array({remote_json(key), b64(record)}));
    } else {
      out.push_back(Json::array({key, b64(record)}));
    }
  }
  return out;
}

template <class Key>
std::map<Key, Bytes> records_of(const Json& value) {
  std::map<Key, Bytes> out;
  for (const Json& entry : value) {
    if constexpr (std::is_same_v<Key, RemoteDevice>) {
      out[remote_of(entry.at(0))] = unb64(entry.at(1));
    } else {
      out[entry.at(0).get<Key>()] = unb64(entry.at(1));
    }
  }
  return out;
}

}  // namespace

Bytes StateCodec::export_state(const ClientDevice& client) {
  const OmemoDevice& device = *client.device_;
  const KeyStores& stores = device.library_->key_stores();
  Json trust_decisions = Json::array();
  for (const auto& [key, trusted] : client.trust_.decisions_)
    trust_decisions.push_back(Json::array({remote_json(key.first), b64(key.second), trusted}));
  Json heartbeats = Json::array();
  for (const auto& [remote, chain] : client.heartbeat_chains_)
    heartbeats.push_back(Json::array({remote_json(remote), b64(chain)}));
  Json postponed = Json::array();
  for (const RemoteDevice& remote : client.postponed_answers_)
    postponed.push_back(remote_json(remote));
  Json state = {{"spec",
                 {{"profile", client.spec_.profile == Profile::legacy ? "legacy" : "omemo2"},
                  {"jid", client.spec_.jid},
                  {"resource", client.spec_.resource},
                  {"device_id", client.spec_.device_id},
                  {"keep_device_id", client.spec_.keep_device_id},
                  {"trust_policy", static_cast<int>(client.spec_.trust_policy)}}},
                {"client",
                 {{"announced", client.announced_},
                  {"stanza_counter", client.stanza_counter_},
                  {"device_lists", client.device_lists_},
                  {"heartbeat_chains", heartbeats},
                  {"last_archive_id", client.last_archive_id_},
                  {"catching_up", client.catching_up_},
                  {"postponed_answers", postponed},
                  {"republish_postponed", client.republish_postponed_}}},
                {"trust",
                 {{"first_seen", records_json(client.trust_.first_seen_)},
                  {"decisions", trust_decisions},
                  {"verified_jids", client.trust_.verified_jids_}}},
                {"device",
                 {{"signed_pre_key_id", device.signed_pre_key_id_},
                  {"next_pre_key_id", device.next_pre_key_id_},
                  {"pre_keys_removed_seen", device.pre_keys_removed_seen_},
                  {"random", b64(device.library_->random().export_state())}}},
                {"stores",
                 {{"identity_public", b64(stores.identity_public)},
                  {"identity_private", b64(stores.identity_private)},
                  {"registration_id", stores.registration_id},
                  {"sessions", records_json(stores.sessions)},
                  {"pre_keys", records_json(stores.pre_keys)},
                  {"signed_pre_keys", records_json(stores.signed_pre_keys)},
                  {"remote_identities", records_json(stores.remote_identities)},
                  {"pre_keys_removed", stores.pre_keys_removed}}}};
  const std::string text = std::string(kMarker) + state.dump();
  return Bytes(text.begin(), text.end());
}

std::unique_ptr<ClientDevice> StateCodec::import_state(const Bytes& blob) {
  const std::string_view text(reinterpret_cast<const char*>(blob.data()), blob.size());
  if (!text.starts_with(kMarker))
    throw ProtocolError(-32000, "bad_data", "not a libomemo-c adapter state blob (version 1)");
  try {
    const Json state = Json::parse(text.substr(kMarker.size()));
    const Json& spec_json = state.at("spec");
    ClientSpec spec;
    spec.profile = spec_json.at("profile") == "legacy" ? Profile::legacy : Profile::omemo2;
    spec.jid = spec_json.at("jid");
    spec.resource = spec_json.at("resource");
    spec.device_id = spec_json.at("device_id");
    spec.keep_device_id = spec_json.at("keep_device_id");
    spec.trust_policy = static_cast<TrustPolicy>(spec_json.at("trust_policy").get<int>());

    const Json& device_json = state.at("device");
    std::optional<crypto::RandomSource> random =
        crypto::RandomSource::import_state(unb64(device_json.at("random")));
    if (!random) throw std::runtime_error("random stream state unreadable");
    std::unique_ptr<OmemoDevice> device(new OmemoDevice(spec.profile, std::move(*random)));
    device->signed_pre_key_id_ = device_json.at("signed_pre_key_id");
    device->next_pre_key_id_ = device_json.at("next_pre_key_id");
    device->pre_keys_removed_seen_ = device_json.at("pre_keys_removed_seen");
    const Json& stores_json = state.at("stores");
    KeyStores& stores = device->library_->key_stores();
    stores.identity_public = unb64(stores_json.at("identity_public"));
    stores.identity_private = unb64(stores_json.at("identity_private"));
    stores.registration_id = stores_json.at("registration_id");
    stores.sessions = records_of<RemoteDevice>(stores_json.at("sessions"));
    stores.pre_keys = records_of<std::uint32_t>(stores_json.at("pre_keys"));
    stores.signed_pre_keys = records_of<std::uint32_t>(stores_json.at("signed_pre_keys"));
    stores.remote_identities = records_of<RemoteDevice>(stores_json.at("remote_identities"));
    stores.pre_keys_removed = stores_json.at("pre_keys_removed");

    auto client = std::make_unique<ClientDevice>(spec, std::move(device));
    const Json& client_json = state.at("client");
    client->announced_ = client_json.at("announced");
    client->stanza_counter_ = client_json.at("stanza_counter");
    client->device_lists_ =
        client_json.at("device_lists").get<std::map<std::string, std::vector<std::uint32_t>>>();
    for (const Json& entry : client_json.at("heartbeat_chains"))
      client->heartbeat_chains_.insert({remote_of(entry.at(0)), unb64(entry.at(1))});
    client->last_archive_id_ = client_json.at("last_archive_id");
    client->catching_up_ = client_json.at("catching_up");
    for (const Json& entry : client_json.at("postponed_answers"))
      client->postponed_answers_.push_back(remote_of(entry));
    client->republish_postponed_ = client_json.at("republish_postponed");
    const Json& trust_json = state.at("trust");
    client->trust_.first_seen_ = records_of<RemoteDevice>(trust_json.at("first_seen"));
    for (const Json& entry : trust_json.at("decisions"))
      client->trust_.decisions_[{remote_of(entry.at(0)), unb64(entry.at(1))}] =
          entry.at(2).get<bool>();
    client->trust_.verified_jids_ = trust_json.at("verified_jids").get<std::set<std::string>>();
    return client;
  } catch (const ProtocolError&) {
    throw;
  } catch (const std::exception& error) {
    throw ProtocolError(-32000, "bad_data", std::string("corrupt state blob: ") + error.what());
  }
}

}  // namespace oi::libomemo_c
