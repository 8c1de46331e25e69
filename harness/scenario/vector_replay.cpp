#include "scenario/vector_replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <system_error>

#include "adapter/protocol_messages.h"
#include "codec/encrypted.h"
#include "codec/envelope.h"
#include "codec/vec_file.h"
#include "crypto/curve25519.h"
#include "engine/client/reference_client.h"
#include "engine/client/stanzas.h"
#include "engine/omemo2/sce.h"
#include "net/server.h"
#include "scenario/server_link.h"
#include "scenario/vector_check.h"
#include "scenario/vector_check_protocol.h"

namespace oi::scenario {

namespace {

using engine::client::ImplementationFault;
using engine::client::ReceiveOutcome;
using vector_check::Fields;
using vector_check::RecordFieldError;

constexpr std::string_view kLegacyCheck = "legacy-session";
constexpr std::string_view kOmemo2Check = "omemo2-session";
constexpr const char* kDefaultAliceJid = "alice@vectors.example";
constexpr const char* kDefaultBobJid = "bob@vectors.example";
constexpr const char* kAliceResource = "a";
constexpr const char* kBobResource = "v1";
constexpr std::uint32_t kDefaultAliceDeviceId = 1111;
constexpr std::uint32_t kDefaultBobDeviceId = 2222;

std::string relative_name(const std::filesystem::path& file,
                          const std::filesystem::path& vectors_dir) {
  std::error_code ec;
  auto relative = std::filesystem::relative(file, vectors_dir, ec);
  if (ec || relative.empty() || *relative.begin() == "..") return file.filename().generic_string();
  return relative.generic_string();
}

std::uint32_t id_field(const Fields& f, std::string_view name) {
  const std::int64_t value = f.integer(name);
  if (value < 0 || value > 0xFFFFFFFFLL) {
    throw RecordFieldError(std::string(name) + " out of range");
  }
  return static_cast<std::uint32_t>(value);
}

std::uint32_t optional_id_field(const Fields& f, std::string_view name, std::uint32_t fallback) {
  return f.has(name) ? id_field(f, name) : fallback;
}

std::string text_of(ByteView bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// What the harness makes of one record of the group.
enum class Part {
  deliver,      // Op = decrypt, Sender = alice, before Bob sends: the adapter receives it
  alice_side,   // Op = encrypt, Sender = alice: the harness's own part
  after_cut,    // Bob sends here or did before: needs B's own randomness
  field_error,  // Op or Sender missing or wrong
};

struct GroupRecord {
  const codec::VecRecord* record = nullptr;
  std::size_t outcome = 0;  // index into run.outcomes
  Part part = Part::field_error;
};

// The two accounts of a group: the SCE envelopes' JIDs (OMEMO 2), else the defaults.
struct GroupJids {
  std::string alice = kDefaultAliceJid;
  std::string bob = kDefaultBobJid;
};

GroupJids group_jids(const std::vector<GroupRecord>& records, const std::string& check) {
  GroupJids jids;
  std::optional<std::string> alice, bob;
  auto agree = [](std::optional<std::string>& slot, const std::optional<std::string>& seen,
                  int line, const char* who) {
    if (!seen) return;
    std::string bare = engine::client::bare_jid(*seen);
    if (slot && *slot != bare) {
      throw RecordFieldError(
          fmt::format("the SCE envelope of line {} names {} as {}, an earlier "
                      "one {}: the group has no single pair of accounts",
                      line, bare, who, *slot));
    }
    slot = bare;
  };
  for (const GroupRecord& entry : records) {
    if (check != kOmemo2Check || entry.part == Part::field_error) continue;
    const codec::VecValue* value = entry.record->find("Envelope");
    if (value == nullptr || value->type != codec::VecFieldType::hex) continue;
    codec::Parsed<codec::Envelope> envelope = codec::parse_envelope(text_of(value->bytes));
    if (!envelope.value) continue;  // a broken envelope is the record's business
    const bool from_alice = entry.record->find("Sender")->text == "alice";
    agree(from_alice ? alice : bob, envelope.value->from, value->line,
          from_alice ? "Alice" : "Bob");
    agree(from_alice ? bob : alice, envelope.value->to, value->line, from_alice ? "Bob" : "Alice");
  }
  if (alice) jids.alice = *alice;
  if (bob) jids.bob = *bob;
  return jids;
}

// Bob's fixed keys in the form of `import_keys` (§11).
nlohmann::json bob_keys(const Fields& f, bool omemo2) {
  adapter::KeyMaterial keys;
  if (omemo2) {
    keys.identity_kind = f.word("B_IdentityKind");
    keys.identity_private = f.hex("B_IdentitySecret");
    keys.identity_public = f.hex("B_IdentityKey");
  } else {
    keys.identity_private = f.hex("B_IdentityPriv");
    keys.identity_public = f.hex("B_IdentityPub");
    keys.registration_id = id_field(f, "B_RegistrationId");
  }
  keys.signed_pre_key = adapter::KeyMaterial::SignedPreKey{
      id_field(f, "B_SignedPreKeyId"), f.hex("B_SignedPreKeyPriv"), f.hex("B_SignedPreKeyPub"),
      f.hex("B_SignedPreKeySig")};
  if (f.has("B_PreKeyId")) {
    keys.pre_keys.push_back(
        {id_field(f, "B_PreKeyId"), f.hex("B_PreKeyPriv"), f.hex("B_PreKeyPub")});
  }
  return adapter::to_json(keys);
}

// Alice's device as the harness plays it: her fixed identity (A_*) with a signed prekey and one
// prekey drawn from `random` (the vectors fix none: Bob never builds a session from her bundle),
// so that she can publish the device list and bundle a receiving library may look up before
// it accepts her key exchange.
engine::DeviceKeys alice_keys(const Fields& f, bool omemo2, crypto::RandomSource& random) {
  engine::DeviceKeys keys;
  const crypto::CurveKeyPair signed_pre_key = crypto::curve25519_generate(random);
  const crypto::CurveKeyPair pre_key = crypto::curve25519_generate(random);
  // Legacy public keys carry libsignal's type byte 0x05; OMEMO 2 ones are the bare u-coordinate.
  auto published = [omemo2](const Key32& key) {
    Bytes out(key.begin(), key.end());
    if (!omemo2) out.insert(out.begin(), std::uint8_t{0x05});
    return out;
  };

  Signature64 signature;
  if (omemo2) {
    keys.identity_private = f.hex("A_IdentitySecret");
    keys.identity_public = f.hex("A_IdentityKey");
    signature =
        vector_check::identity_of(f, "A_").sign(ByteView(signed_pre_key.public_key), random);
  } else {
    keys.identity_private = f.hex("A_IdentityPriv");
    keys.identity_public = f.hex("A_IdentityPub");
    keys.registration_id = id_field(f, "A_RegistrationId");
    ByteArray<64> nonce;
    const Bytes drawn = random.bytes(nonce.size());
    std::copy(drawn.begin(), drawn.end(), nonce.begin());
    signature = crypto::curvesig_sign(f.key32("A_IdentityPriv"),
                                      published(signed_pre_key.public_key), nonce);
  }
  keys.signed_pre_key = engine::DeviceKeys::SignedPreKey{
      1, Bytes(signed_pre_key.private_key.begin(), signed_pre_key.private_key.end()),
      published(signed_pre_key.public_key), Bytes(signature.begin(), signature.end())};
  keys.pre_keys.push_back({1, Bytes(pre_key.private_key.begin(), pre_key.private_key.end()),
                           published(pre_key.public_key)});
  return keys;
}

// What a delivered record must decrypt to: `body`, or nothing (key transport / empty message).
struct ExpectedContent {
  std::optional<std::string> body;  // nullopt: kind `empty`
};

ExpectedContent expected_content(const Fields& f, bool omemo2) {
  if (!f.has("Payload")) return {};
  if (!omemo2) return {text_of(f.hex("Body"))};
  const Bytes& envelope = f.hex("Envelope");
  engine::Result<engine::omemo2::OpenedEnvelope> opened =
      engine::omemo2::open_envelope(envelope, engine::StanzaContext{});
  if (!opened) {
    throw RecordFieldError("field Envelope is not an SCE envelope: " + opened.failure().detail);
  }
  return {opened->body.value_or("")};
}

// The record's Message (and IV, Payload) as the <encrypted> element of the profile.
std::string encrypted_element(const Fields& f, bool omemo2, std::uint32_t alice_device,
                              std::uint32_t bob_device, const std::string& bob_jid) {
  codec::Encrypted encrypted;
  encrypted.profile = omemo2 ? codec::Profile::omemo2 : codec::Profile::legacy;
  encrypted.sid = alice_device;
  codec::KeyElement key;
  key.rid = bob_device;
  key.kex = f.integer(omemo2 ? "Kex" : "PreKey") != 0;
  key.data = f.hex("Message");
  encrypted.recipients.push_back(codec::RecipientKeys{omemo2 ? bob_jid : std::string(), {key}});
  if (!omemo2) {
    // A legacy KeyTransportElement carries an <iv> too; without one in the record (nothing is
    // decrypted with it) twelve zero bytes stand in.
    encrypted.iv = f.has("IV") ? f.hex("IV") : Bytes(12, 0);
  }
  if (f.has("Payload")) encrypted.payload = f.hex("Payload");
  return codec::serialize_encrypted(encrypted);
}

std::string describe(const ReceiveOutcome& outcome) {
  std::string text(engine::client::receive_kind_name(outcome.kind));
  switch (outcome.kind) {
    case ReceiveOutcome::Kind::message:
      text += fmt::format(" '{}'", outcome.body.value_or(""));
      if (!outcome.sender_trusted) text += " (sender not trusted)";
      break;
    case ReceiveOutcome::Kind::error:
      text += " " + outcome.error_class;
      break;
    default:
      break;
  }
  if (!outcome.detail.empty()) text += fmt::format(" ({})", outcome.detail);
  for (const codec::Finding& finding : outcome.findings) {
    text += fmt::format("; finding {}: {}", finding.requirement, finding.message);
  }
  return text;
}

std::string describe_expected(const ExpectedContent& expected) {
  return expected.body ? fmt::format("message '{}'", *expected.body) : "empty";
}

// The §11 table for one delivered record.
void judge(const codec::VecRecord& record, const ExpectedContent& expected,
           const ReceiveOutcome& outcome, VectorOutcome& result) {
  using Kind = ReceiveOutcome::Kind;
  const bool decrypted = outcome.kind == Kind::message || outcome.kind == Kind::empty;
  const bool as_expected =
      expected.body ? outcome.kind == Kind::message && outcome.body.value_or("") == *expected.body
                    : outcome.kind == Kind::empty;
  const std::string answered = "answered " + describe(outcome);
  switch (record.result) {
    case codec::VecResult::valid:
      result.verdict = as_expected ? Verdict::pass : Verdict::fail;
      result.message = as_expected
                           ? answered
                           : fmt::format("{}, expected {}", answered, describe_expected(expected));
      return;
    case codec::VecResult::invalid:
      if (outcome.kind == Kind::error) {
        result.verdict = Verdict::pass;
        result.message = answered + " (any OMEMO class satisfies an invalid record)";
      } else {
        result.verdict = Verdict::fail;
        result.message = answered + ", expected error (an invalid record)";
      }
      return;
    case codec::VecResult::acceptable:
      if (decrypted && !as_expected) {
        result.verdict = Verdict::fail;
        result.message =
            fmt::format("accepted, but {}, expected {}", answered, describe_expected(expected));
      } else {
        result.verdict = Verdict::info;
        result.message = answered;
      }
      return;
  }
}

Verdict verdict_of(ImplementationFault::Kind kind) {
  switch (kind) {
    case ImplementationFault::Kind::crash:
      return Verdict::crash;
    case ImplementationFault::Kind::timeout:
      return Verdict::timeout;
    case ImplementationFault::Kind::error:
      return Verdict::error;
    case ImplementationFault::Kind::undeclared:
    case ImplementationFault::Kind::unsupported:
      return Verdict::unsupported;
    case ImplementationFault::Kind::refused:
      return Verdict::fail;
  }
  return Verdict::error;
}

std::string record_name(const codec::VecRecord& record) {
  return fmt::format("Id={}", record.id);
}

// One group against the adapter: its case, Bob's device and the deliveries.
class GroupReplay {
 public:
  GroupReplay(VectorReplayRun& replay, std::vector<GroupRecord> records, std::string check,
              adapter::AdapterImplementation& adapter, crypto::RandomSource random)
      : replay_(replay),
        records_(std::move(records)),
        check_(std::move(check)),
        omemo2_(check_ == kOmemo2Check),
        adapter_(adapter),
        random_(std::move(random)) {}

  void run() {
    const auto delivered = std::count_if(records_.begin(), records_.end(), [](const auto& entry) {
      return entry.part == Part::deliver;
    });
    if (delivered == 0) return;  // nothing to ask the adapter: no case
    std::string log;
    try {
      adapter_.begin_case();
      replay_group();
    } catch (const ImplementationFault& fault) {
      stop_remaining(verdict_of(fault.kind()), stage_ + ": " + fault.what(), nullptr);
    } catch (const std::exception& e) {
      stop_remaining(Verdict::error, "harness failure during " + stage_ + ": " + e.what(), nullptr);
    }
    try {
      log = adapter_.end_case();
    } catch (const std::exception& e) {
      log = fmt::format("(end of case failed: {})\n", e.what());
    }
    for (const GroupRecord& entry : records_) {
      VectorOutcome& outcome = replay_.run.outcomes[entry.outcome];
      if (entry.part == Part::deliver && is_failure_verdict(outcome.verdict)) {
        replay_.adapter_logs[entry.outcome] = log;
      }
    }
  }

 private:
  void replay_group() {
    const codec::VecRecord& first = *records_.front().record;
    Fields group_fields(first, check_);
    GroupJids jids;
    nlohmann::json keys;
    engine::client::DeviceSpec spec;
    std::uint32_t alice_device = 0;
    try {
      jids = group_jids(records_, check_);
      keys = bob_keys(group_fields, omemo2_);
      spec.profile = omemo2_ ? codec::Profile::omemo2 : codec::Profile::legacy;
      spec.jid = jids.bob;
      spec.resource = kBobResource;
      spec.device_id = optional_id_field(group_fields, "B_DeviceId", kDefaultBobDeviceId);
      spec.keep_device_id = true;
      if (omemo2_) spec.identity_kind = group_fields.word("B_IdentityKind");
      alice_device = optional_id_field(group_fields, "A_DeviceId", kDefaultAliceDeviceId);
    } catch (const RecordFieldError& e) {
      stop_remaining(Verdict::error,
                     fmt::format("the group's fixed keys are unusable (first record, line {}): {}",
                                 first.line, e.what()),
                     nullptr);
      return;
    }

    net::Server server;
    const std::string alice_full = jids.alice + "/" + kAliceResource;
    const std::string bob_full = jids.bob + "/" + kBobResource;
    for (const std::string& full : {alice_full, bob_full}) {
      if (net::Status status = server.connect(full); !status) {
        stop_remaining(Verdict::error, "embedded service: " + status.error, nullptr);
        return;
      }
    }
    server.drain(alice_full);

    // Alice announces herself first, as a sender has before her key exchange goes out.
    engine::client::DeviceSpec alice_spec = spec;
    alice_spec.jid = jids.alice;
    alice_spec.resource = kAliceResource;
    alice_spec.device_id = alice_device;
    std::unique_ptr<engine::client::ReferenceClientDevice> alice;
    try {
      if (omemo2_) alice_spec.identity_kind = group_fields.word("A_IdentityKind");
      crypto::RandomSource alice_random = random_.derive("alice");
      auto built = engine::client::ReferenceClientDevice::from_keys(
          alice_spec, alice_keys(group_fields, omemo2_, alice_random),
          alice_random.derive("device"));
      if (!built) {
        throw RecordFieldError("the reference engine refuses Alice's keys: " +
                               built.failure().detail);
      }
      alice = std::move(*built);
    } catch (const RecordFieldError& e) {
      stop_remaining(Verdict::error,
                     fmt::format("Alice's fixed keys are unusable (first record, line {}): {}",
                                 first.line, e.what()),
                     nullptr);
      return;
    }
    CellServerLink alice_link(server, alice_full);
    if (engine::client::SendOutcome announced = alice->start(alice_link); !announced.ok) {
      stop_remaining(
          Verdict::error,
          fmt::format("Alice (the reference engine) could not announce her device: {} {}",
                      announced.error_class, announced.detail),
          nullptr);
      return;
    }
    alice_link.take_pending();
    CellServerLink link(server, bob_full);

    stage_ = "import_keys";
    std::unique_ptr<engine::client::ClientDevice> device =
        adapter_.import_keys(spec, keys, random_);
    stage_ = "start";
    engine::client::SendOutcome started = device->start(link);
    if (!started.ok) {
      stop_remaining(Verdict::fail,
                     fmt::format("start of the imported device failed: {} {}", started.error_class,
                                 started.detail),
                     nullptr);
      return;
    }
    link.take_pending();
    if (device->device_id() != spec.device_id) {
      stop_remaining(Verdict::fail,
                     fmt::format("import_keys with keep_device_id: device id {} asked for, the "
                                 "device has {}",
                                 spec.device_id, device->device_id()),
                     nullptr);
      return;
    }

    stage_ = "receive";
    for (const GroupRecord& entry : records_) {
      if (entry.part != Part::deliver || done_) continue;
      current_ = &entry;
      deliver(entry, *device, server, link, jids, alice_full, bob_full, alice_device,
              spec.device_id);
      current_ = nullptr;
      server.drain(alice_full);  // what Bob sent Alice meanwhile: not part of the vector
    }
  }

  void deliver(const GroupRecord& entry, engine::client::ClientDevice& device, net::Server& server,
               CellServerLink& link, const GroupJids& jids, const std::string& alice_full,
               const std::string& bob_full, std::uint32_t alice_device, std::uint32_t bob_device) {
    const codec::VecRecord& record = *entry.record;
    VectorOutcome& outcome = replay_.run.outcomes[entry.outcome];
    Fields f(record, check_);
    ExpectedContent expected;
    std::string stanza;
    const std::string stanza_id = fmt::format("vec-{}", record.id);
    try {
      expected = expected_content(f, omemo2_);
      engine::client::OutgoingMessage message;
      message.to = bob_full;
      message.id = stanza_id;
      message.type = "chat";
      message.profile = omemo2_ ? codec::Profile::omemo2 : codec::Profile::legacy;
      message.encrypted_xml = encrypted_element(f, omemo2_, alice_device, bob_device, jids.bob);
      stanza = engine::client::message_stanza(message);
    } catch (const RecordFieldError& e) {
      outcome.verdict = Verdict::error;
      outcome.message = fmt::format("{}: {}", record_name(record), e.what());
      return;
    }
    server.submit(alice_full, stanza);

    // Everything the service queued for Bob, in order; the outcome judged is the one of the
    // stanza carrying the record (the service keeps the client's id).
    std::deque<std::string> pending = link.take_pending();
    std::optional<ReceiveOutcome> judged;
    while (!pending.empty()) {
      const std::string xml = std::move(pending.front());
      pending.pop_front();
      const bool is_record = stanza_id_of(xml) == stanza_id;
      ReceiveOutcome received = device.receive(xml, link);
      if (is_record && !judged) judged = std::move(received);
      for (std::string& more : link.take_pending()) pending.push_back(std::move(more));
    }
    if (!judged) {
      outcome.verdict = Verdict::error;
      outcome.message = fmt::format("{}: the embedded service did not deliver the stanza to {}",
                                    record_name(record), bob_full);
      return;
    }
    judge(record, expected, *judged, outcome);
    outcome.message =
        fmt::format("{} ({} {} from {}): {}", record_name(record), omemo2_ ? "Kex" : "PreKey",
                    f.integer(omemo2_ ? "Kex" : "PreKey"), jids.alice, outcome.message);
  }

  static std::string stanza_id_of(const std::string& xml) {
    pugi::xml_document document;
    if (!document.load_buffer(xml.data(), xml.size())) return {};
    return document.document_element().attribute("id").value();
  }

  // A fault (or a set-up failure) ends the group: the record being delivered gets `verdict`
  // and `why`; every later delivered record is "not replayed" with the same verdict.
  void stop_remaining(Verdict verdict, const std::string& why, const GroupRecord* at) {
    if (at == nullptr) at = current_;
    std::string cause;
    if (at != nullptr) {
      const codec::VecRecord& record = *at->record;
      VectorOutcome& outcome = replay_.run.outcomes[at->outcome];
      outcome.verdict = verdict;
      outcome.message = fmt::format("{}: {}", record_name(record), why);
      cause = fmt::format("{} at {} (line {})", verdict_name(verdict), record_name(record),
                          record.line);
    }
    bool later = at == nullptr;
    for (const GroupRecord& entry : records_) {
      if (&entry == at) {
        later = true;
        continue;
      }
      if (!later || entry.part != Part::deliver) continue;
      VectorOutcome& outcome = replay_.run.outcomes[entry.outcome];
      outcome.verdict = verdict;
      outcome.message = cause.empty()
                            ? fmt::format("{}: not replayed: {}", record_name(*entry.record), why)
                            : fmt::format("{}: not replayed: the group's replay ended with {}",
                                          record_name(*entry.record), cause);
    }
    done_ = true;
  }

  VectorReplayRun& replay_;
  std::vector<GroupRecord> records_;
  std::string check_;
  bool omemo2_;
  adapter::AdapterImplementation& adapter_;
  crypto::RandomSource random_;
  const GroupRecord* current_ = nullptr;  // the record being delivered
  std::string stage_ = "begin_case";      // the adapter request under way
  bool done_ = false;
};

// Classifies the records of one group (file order) and fills the outcomes of those the adapter
// is not asked about.
std::vector<GroupRecord> plan_group(VectorReplayRun& replay,
                                    const std::vector<std::size_t>& indices,
                                    const std::vector<codec::VecRecord>& records,
                                    const std::string& check) {
  std::vector<GroupRecord> group;
  std::optional<std::string> cut;  // why the replay ended: Bob sends at ...
  for (std::size_t index : indices) {
    const codec::VecRecord& record = records[index];
    GroupRecord entry{&record, index, Part::field_error};
    VectorOutcome& outcome = replay.run.outcomes[index];
    Fields f(record, check);
    std::string op, sender;
    try {
      op = f.word("Op");
      sender = f.word("Sender");
      if (sender != "alice" && sender != "bob") {
        throw RecordFieldError("Sender must be alice or bob, not '" + sender + "'");
      }
      if (op != "encrypt" && op != "decrypt") {
        throw RecordFieldError("Op must be encrypt or decrypt, not '" + op + "'");
      }
    } catch (const RecordFieldError& e) {
      outcome.verdict = Verdict::error;
      outcome.message = fmt::format("{}: {}", record_name(record), e.what());
      group.push_back(entry);
      continue;
    }
    if (!cut && sender == "bob") {
      cut = fmt::format("Bob {}s at {} (line {})", op, record_name(record), record.line);
    }
    if (cut) {
      entry.part = Part::after_cut;
      outcome.verdict = Verdict::not_applicable;
      outcome.message = fmt::format(
          "{}: not replayed: {}; from there on Bob's ratchet turns with keys the vector fixes "
          "but the adapter draws itself (PROTOCOL.md §11)",
          record_name(record), *cut);
    } else if (op == "encrypt") {
      entry.part = Part::alice_side;
      outcome.verdict = Verdict::not_applicable;
      outcome.message = fmt::format(
          "{}: Alice encrypts: the harness's side (its bytes reach the adapter when a decrypt "
          "record delivers them)",
          record_name(record));
    } else {
      entry.part = Part::deliver;
    }
    group.push_back(entry);
  }
  return group;
}

}  // namespace

bool is_replayable_check(std::string_view check) {
  return check == kLegacyCheck || check == kOmemo2Check;
}

VectorReplayRun replay_vector_file(const std::filesystem::path& file,
                                   const std::filesystem::path& vectors_dir,
                                   adapter::AdapterImplementation& adapter,
                                   const crypto::RandomSource& random) {
  VectorReplayRun replay;
  VectorFileRun& run = replay.run;
  run.path = file;
  run.relative_path = relative_name(file, vectors_dir);
  codec::VecParseResult parsed = codec::load_vec_file(file);
  for (const codec::VecError& error : parsed.errors) {
    codec::VecError named = error;
    named.file = run.relative_path;
    run.load_errors.push_back(named.to_string());
  }
  const codec::VecFile& vec = parsed.file;
  run.title = vec.header.title;
  const std::string& check = vec.header.check;
  const bool replayable = is_replayable_check(check);
  if (!replayable) {
    run.load_errors.push_back(fmt::format(
        "{}:1: check '{}' is not a protocol session vector: an adapter cannot replay it",
        run.relative_path, check));
  } else {
    replay.profile = check == kOmemo2Check ? "omemo2" : "legacy";
  }

  for (const codec::VecRecord& record : vec.records) {
    VectorOutcome outcome = unjudged_outcome(
        vec, record, run.relative_path,
        fmt::format("{}/{}/{}@{}", run.relative_path, record.group, record.id, adapter.name()));
    outcome.message = replayable ? "not judged (harness bug)" : "not a protocol session vector";
    run.outcomes.push_back(std::move(outcome));
  }
  replay.adapter_logs.resize(run.outcomes.size());
  if (!replayable) return replay;

  // Records of one group are consecutive in file order.
  std::size_t begin = 0;
  while (begin < vec.records.size()) {
    std::size_t end = begin;
    std::vector<std::size_t> indices;
    while (end < vec.records.size() && vec.records[end].group == vec.records[begin].group) {
      indices.push_back(end++);
    }
    const std::string& group = vec.records[begin].group;
    GroupReplay(replay, plan_group(replay, indices, vec.records, check), check, adapter,
                random.derive(run.relative_path + "/" + group))
        .run();
    begin = end;
  }
  return replay;
}

}  // namespace oi::scenario
