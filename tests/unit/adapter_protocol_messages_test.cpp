// The JSON forms of PROTOCOL.md §5.2/§5.3/§11: round trips, and strict reading that names the
// failing field.
#include <catch2/catch.hpp>

#include "adapter/protocol_messages.h"

using namespace oi::adapter;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace client = oi::engine::client;

TEST_CASE("device specs, send requests and outcomes survive a JSON round trip") {
  client::DeviceSpec spec;
  spec.profile = oi::codec::Profile::omemo2;
  spec.jid = "bob@example.org";
  spec.resource = "b1";
  spec.device_id = 42;
  spec.keep_device_id = true;
  spec.trust_policy = oi::engine::TrustPolicy::tofu;
  spec.identity_kind = "ed25519_seed";
  spec.pre_key_count = 30;
  json params;
  write_device_spec(spec, params);
  CHECK_FALSE(params.contains("misbehaviours"));
  client::DeviceSpec read = read_device_spec(params);
  CHECK(read.profile == spec.profile);
  CHECK(read.jid == spec.jid);
  CHECK(read.device_id == 42);
  CHECK(read.keep_device_id);
  CHECK(read.trust_policy == oi::engine::TrustPolicy::tofu);
  CHECK(read.pre_key_count == 30);

  client::SendRequest request;
  request.recipients = {"alice@example.org"};
  client::SendRequest key_transport = read_send_request(to_json(request));
  CHECK_FALSE(key_transport.body);  // null body: key transport
  request.body = "hi";
  CHECK(read_send_request(to_json(request)).body == "hi");

  client::ReceiveOutcome outcome;
  outcome.kind = client::ReceiveOutcome::Kind::error;
  outcome.error_class = "replay";
  outcome.findings.push_back({"R-OM2-027", oi::codec::Severity::should, {}, "late"});
  client::ReceiveOutcome back = read_receive_outcome(to_json(outcome));
  CHECK(back.kind == client::ReceiveOutcome::Kind::error);
  CHECK(back.error_class == "replay");
  REQUIRE(back.findings.size() == 1);
  CHECK(back.findings[0].severity == oi::codec::Severity::should);
}

TEST_CASE("strict reading names the field that is wrong") {
  auto error_of = [](auto read, const json& value) {
    try {
      read(value);
    } catch (const ProtocolDataError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  auto receive = [](const json& v) { return read_receive_outcome(v); };
  auto send = [](const json& v) { return read_send_outcome(v); };
  auto spec = [](const json& v) { return read_device_spec(v); };
  CHECK_THAT(error_of(receive, json{{"kind", "maybe"}}), Contains("result.kind: unknown kind"));
  CHECK_THAT(error_of(receive, json{{"kind", "message"}}), Contains("result.body"));
  CHECK_THAT(error_of(receive, json{{"kind", "error"}}), Contains("result.error_class: missing"));
  CHECK_THAT(error_of(send, json{{"ok", false}}), Contains("result.error_class: missing"));
  CHECK_THAT(error_of(send, json{{"ok", "yes"}}), Contains("result.ok: expected a boolean"));
  CHECK_THAT(error_of(spec, json{{"profile", "legacy"}, {"resource", "r"}}),
             Contains("params.jid: missing"));
  CHECK_THAT(
      error_of(spec,
               json{{"profile", "legacy"}, {"jid", "j"}, {"resource", "r"}, {"device_id", -1}}),
      Contains("params.device_id"));
  CHECK_THAT(error_of([](const json& v) { return read_device_identity(v); },
                      json{{"device_id", 0}, {"fingerprint", "x"}}),
             Contains("outside 1..2^31-1"));
  CHECK_THAT(error_of([](const json& v) { return read_key_material(v); },
                      json{{"identity", {{"private", "!!"}, {"public", "AA=="}}},
                           {"pre_keys", json::array()}}),
             Contains("params.keys.identity.private: not base64"));
}

TEST_CASE("error classes: the vocabulary and the JSON-RPC code defaults") {
  CHECK(is_omemo_error_class("bad_payload_mac"));
  CHECK(is_known_error_class("internal"));
  CHECK_FALSE(is_omemo_error_class("unsupported"));
  CHECK_FALSE(is_known_error_class("mystery"));
  CHECK(error_class_of(make_error(kOtherFailure, "bad_data", "x")) == "bad_data");
  CHECK(error_class_of(json{{"code", kMethodNotFound}}) == "unsupported");
  CHECK(error_class_of(json{{"code", kInvalidParams}}) == "bad_request");
  CHECK(error_class_of(json{{"code", 7}}) == "internal");
}
