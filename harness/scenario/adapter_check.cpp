#include "scenario/adapter_check.h"

#include <fmt/format.h>

#include <functional>
#include <regex>

#include "adapter/protocol_messages.h"
#include "codec/device_list.h"
#include "crypto/bytes.h"
#include "net/server.h"
#include "scenario/server_link.h"

namespace oi::scenario {

namespace {

using adapter::AdapterImplementation;
using engine::client::ClientDevice;
using engine::client::ImplementationFault;
using engine::client::ReceiveOutcome;

// A failed expectation of the check itself.
struct CheckFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Two accounts on a fresh embedded service, one device each, driven by hand.
class Conversation {
 public:
  Conversation(AdapterImplementation& implementation, codec::Profile profile,
               const std::string& seed_label)
      : implementation_(implementation), profile_(profile) {
    crypto::RandomSource random = crypto::RandomSource::seeded(to_bytes(seed_label));
    // Contacts, as two people who write to each other are: the devices learn each other's
    // device lists from PEP notifications too, not only by fetching them.
    for (const char* full : {"alice@check.example/a1", "bob@check.example/b1"}) {
      net::ResourceOptions options;
      options.features = {codec::device_list_node(profile_) + "+notify"};
      if (net::Status status = server_.connect(full, options); !status) {
        throw CheckFailure(status.error);
      }
    }
    net::Status contacts = server_.add_contacts("alice@check.example", "bob@check.example");
    if (!contacts) throw CheckFailure(contacts.error);
    alice_ = add("alice@check.example", "a1", random.derive("alice"));
    bob_ = add("bob@check.example", "b1", random.derive("bob"));
    // What the server pushed meanwhile (device-list and bundle notifications) reaches the devices
    // before anyone sends.
    deliver(true, alice_.link->take_pending());
    deliver(false, bob_.link->take_pending());
  }

  ClientDevice& alice() { return *alice_.device; }
  ClientDevice& bob() { return *bob_.device; }

  // Sends `body` from one to the other and returns the stanzas the receiver got.
  std::deque<std::string> send(bool from_alice, const std::string& body) {
    Party& from = from_alice ? alice_ : bob_;
    Party& to = from_alice ? bob_ : alice_;
    engine::client::SendRequest request;
    request.recipients = {to.jid};
    request.body = body;
    engine::client::SendOutcome sent = from.device->send(request, *from.link);
    if (!sent.ok) {
      throw CheckFailure(
          fmt::format("send from {} failed: {} {}", from.jid, sent.error_class, sent.detail));
    }
    return to.link->take_pending();
  }

  // Hands every stanza to the receiver; returns the content outcomes.
  std::vector<ReceiveOutcome> deliver(bool to_alice, std::deque<std::string> stanzas) {
    Party& to = to_alice ? alice_ : bob_;
    std::vector<ReceiveOutcome> contents;
    while (!stanzas.empty()) {
      ReceiveOutcome outcome = to.device->receive(stanzas.front(), *to.link);
      stanzas.pop_front();
      if (outcome.kind != ReceiveOutcome::Kind::pep_update &&
          outcome.kind != ReceiveOutcome::Kind::ignored) {
        contents.push_back(std::move(outcome));
      }
      for (std::string& more : to.link->take_pending()) stanzas.push_back(std::move(more));
    }
    // What the receiver sent meanwhile (bundle republication, empty messages) reaches the other
    // side later; drop it here, the check does not need it.
    return contents;
  }

  void expect_body(bool to_alice, std::deque<std::string> stanzas, const std::string& body) {
    std::vector<ReceiveOutcome> contents = deliver(to_alice, std::move(stanzas));
    for (const ReceiveOutcome& outcome : contents) {
      if (outcome.kind == ReceiveOutcome::Kind::message && outcome.body == body) return;
    }
    std::string seen;
    for (const ReceiveOutcome& outcome : contents) {
      seen += fmt::format(" [{} {} {}]", engine::client::receive_kind_name(outcome.kind),
                          outcome.body.value_or(outcome.error_class), outcome.detail);
    }
    throw CheckFailure(
        fmt::format("'{}' did not decrypt; outcomes:{}", body, seen.empty() ? " none" : seen));
  }

  void round_trip(const std::string& tag) {
    expect_body(false, send(true, "check " + tag + " 1"), "check " + tag + " 1");
    expect_body(true, send(false, "check " + tag + " 2"), "check " + tag + " 2");
  }

 private:
  struct Party {
    std::string jid;
    std::unique_ptr<ClientDevice> device;
    std::unique_ptr<CellServerLink> link;
  };

  Party add(const std::string& jid, const std::string& resource, crypto::RandomSource random) {
    Party party;
    party.jid = jid;
    std::string full = jid + "/" + resource;
    engine::client::DeviceSpec spec;
    spec.profile = profile_;
    spec.jid = jid;
    spec.resource = resource;
    spec.pre_key_count = 25;
    party.device = implementation_.create_device(spec, random);
    party.link = std::make_unique<CellServerLink>(server_, full);
    engine::client::SendOutcome started = party.device->start(*party.link);
    if (!started.ok) {
      throw CheckFailure(
          fmt::format("start of {} failed: {} {}", jid, started.error_class, started.detail));
    }
    return party;
  }

  static Bytes to_bytes(const std::string& text) { return Bytes(text.begin(), text.end()); }

  AdapterImplementation& implementation_;
  codec::Profile profile_;
  net::Server server_;
  Party alice_, bob_;
};

// The stanza with its first <payload> character changed: the key still decrypts, the payload
// authentication must fail.
std::string tamper_payload(const std::string& stanza) {
  static const std::regex kPayload("(<payload[^>]*>)([A-Za-z0-9+/])");
  std::smatch match;
  if (!std::regex_search(stanza, match, kPayload)) {
    throw CheckFailure("the message has no <payload> to tamper with");
  }
  std::string tampered = stanza;
  std::size_t at = static_cast<std::size_t>(match.position(2));
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  return tampered;
}

}  // namespace

bool AdapterCheckReport::passed() const {
  return first_failure().empty();
}

std::string AdapterCheckReport::blocking_failure() const {
  for (const AdapterCheckItem& item : items) {
    if (item.gates_cases && !item.passed && !item.skipped) {
      return fmt::format("{}: {}", item.name, item.message);
    }
  }
  return {};
}

std::string AdapterCheckReport::first_failure() const {
  for (const AdapterCheckItem& item : items) {
    if (!item.passed && !item.skipped) return fmt::format("{}: {}", item.name, item.message);
  }
  return {};
}

AdapterCheckReport check_adapter(const adapter::AdapterManifest& manifest,
                                 const adapter::AdapterSettings& settings) {
  AdapterCheckReport report;
  report.adapter = manifest.name;
  AdapterImplementation implementation(manifest, settings);

  // Runs one item in a case of its own; a fault or failed expectation fails the item.
  auto run_item = [&](const std::string& name, const std::function<void()>& body,
                      bool gates_cases = false) {
    AdapterCheckItem item;
    item.name = name;
    item.gates_cases = gates_cases;
    try {
      implementation.begin_case();
      body();
      item.passed = true;
    } catch (const ImplementationFault& fault) {
      item.message = fault.what();
    } catch (const std::exception& e) {
      item.message = e.what();
    }
    std::string log = implementation.end_case();
    if (!log.empty()) report.log += fmt::format("-- {} --\n{}", name, log);
    report.items.push_back(std::move(item));
    return report.items.back().passed;
  };
  auto skip = [&](const std::string& name, const std::string& why) {
    report.items.push_back(AdapterCheckItem{name, false, true, why});
  };

  if (!run_item(
          "initialize",
          [&] {
            implementation.ensure_started();
            report.version = implementation.identity()->version;
            report.backend = implementation.identity()->backend;
          },
          true)) {
    return report;
  }

  run_item(
      "unknown-method",
      [&] {
        std::string method = fmt::format(
            "check.probe_{}", to_hex(crypto::RandomSource::seeded(settings.seed).bytes(4)));
        AdapterImplementation::Answer answer =
            implementation.call(method, nlohmann::json::object());
        if (!answer.error) throw CheckFailure(fmt::format("'{}' answered a result", method));
        std::string error_class = adapter::error_class_of(*answer.error);
        if (error_class != engine::client::kUnsupported) {
          throw CheckFailure(
              fmt::format("'{}' answered class '{}', not unsupported", method, error_class));
        }
        implementation.call("reset", nlohmann::json::object());  // and the process carries on
      },
      true);

  run_item(
      "bad-requests",
      [&] {
        auto expect_bad_request = [&](const std::string& method, const nlohmann::json& params,
                                      const std::string& what) {
          AdapterImplementation::Answer answer = implementation.call(method, params);
          std::string error_class = answer.error ? adapter::error_class_of(*answer.error) : "";
          if (error_class != adapter::kBadRequest) {
            throw CheckFailure(fmt::format(
                "{} answered {}, not bad_request", what,
                answer.error ? "class '" + error_class + "'" : std::string("a result")));
          }
        };
        expect_bad_request("set_trust",
                           {{"device", "no-such-handle"},
                            {"jid", "x@check.example"},
                            {"device_id", 1},
                            {"trusted", true}},
                           "set_trust for an unknown device handle");
        expect_bad_request("create_device",
                           {{"device", "c1"},
                            {"profile", codec::profile_name(manifest.profiles.front())},
                            {"resource", "c1"},
                            {"seed", adapter::to_base64(Bytes(32, 7))}},
                           "create_device without jid");
        implementation.call("reset", nlohmann::json::object());  // and the process carries on
      },
      true);

  for (codec::Profile profile : manifest.profiles) {
    std::string name(codec::profile_name(profile));
    run_item("profile/" + name,
             [&] { Conversation(implementation, profile, name).round_trip(name); });
  }

  codec::Profile profile = manifest.profiles.front();
  if (manifest.has_capability("deterministic")) {
    run_item("deterministic", [&] {
      engine::client::DeviceSpec spec;
      spec.profile = profile;
      spec.jid = "dora@check.example";
      spec.resource = "d1";
      spec.pre_key_count = 25;
      crypto::RandomSource seed = crypto::RandomSource::seeded(Bytes{1, 2, 3});
      std::unique_ptr<ClientDevice> first = implementation.create_device(spec, seed);
      Bytes first_state = manifest.has_capability("export_state") ? first->export_state() : Bytes{};
      implementation.end_case();
      implementation.begin_case();
      std::unique_ptr<ClientDevice> second = implementation.create_device(spec, seed);
      if (first->device_id() != second->device_id() ||
          first->fingerprint() != second->fingerprint()) {
        throw CheckFailure(fmt::format("the same seed gave device {} ({}) and device {} ({})",
                                       first->device_id(), first->fingerprint(),
                                       second->device_id(), second->fingerprint()));
      }
      if (manifest.has_capability("export_state") && second->export_state() != first_state) {
        throw CheckFailure("the same seed gave different export_state bytes");
      }
    });
  } else {
    skip("deterministic", "not declared");
  }

  if (manifest.has_capability("export_state")) {
    run_item("export-import", [&] {
      Conversation conversation(implementation, profile, "export");
      conversation.round_trip("export");
      Bytes state = conversation.bob().export_state();
      if (conversation.bob().export_state() != state) {
        throw CheckFailure("two exports without a change between them differ");
      }
      if (!conversation.bob().import_state(state)) {
        throw CheckFailure("import_state refused the adapter's own export");
      }
      if (conversation.bob().export_state() != state) {
        throw CheckFailure("export after import_state(export) differs from the export");
      }
      conversation.round_trip("after-import");
    });
    run_item("atomic-decrypt", [&] {
      Conversation conversation(implementation, profile, "atomic");
      conversation.round_trip("atomic");
      // Without the server's <stanza-id/>: remembering the last archived message seen is client
      // bookkeeping a client rightly does for a message that fails too, not OMEMO state (§10).
      std::deque<std::string> genuine;
      for (const std::string& stanza : conversation.send(true, "check genuine")) {
        genuine.push_back(std::regex_replace(stanza, std::regex("<stanza-id [^>]*/>"), ""));
      }
      std::deque<std::string> tampered;
      for (const std::string& stanza : genuine) {
        tampered.push_back(stanza.find("<payload") != std::string::npos ? tamper_payload(stanza)
                                                                        : stanza);
      }
      Bytes before = conversation.bob().export_state();
      std::vector<ReceiveOutcome> outcomes = conversation.deliver(false, tampered);
      bool refused = std::any_of(outcomes.begin(), outcomes.end(), [](const ReceiveOutcome& o) {
        return o.kind == ReceiveOutcome::Kind::error;
      });
      if (!refused) throw CheckFailure("a message with a tampered payload did not fail");
      if (conversation.bob().export_state() != before) {
        throw CheckFailure("a failed decrypt changed the exported state");
      }
      conversation.expect_body(false, genuine, "check genuine");
    });
  } else {
    skip("export-import", "export_state not declared");
    skip("atomic-decrypt", "export_state not declared");
  }

  std::string problem = implementation.stop();
  report.log += implementation.end_case();
  report.items.push_back(AdapterCheckItem{"shutdown", problem.empty(), false,
                                          problem.empty() ? "exited with status 0" : problem});
  return report;
}

}  // namespace oi::scenario
