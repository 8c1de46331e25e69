// Protocol session vectors replayed through an adapter (scenario/vector_replay.h, PROTOCOL.md
// §11), against the reference adapter binary: per record the same verdict as the in-process
// checker, tampered vectors failing both ways, and the fault verdicts of adapters that lack
// import_keys or crash (the reference adapter behind a small Python proxy that hides the
// capability or dies on `receive`).
#include "scenario/vector_replay.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "adapter/adapter_manifest.h"
#include "codec/vec_file.h"
#include "scenario/vector_run.h"

using namespace oi;
using Catch::Matchers::Contains;
using scenario::Verdict;
namespace fs = std::filesystem;

namespace {

const fs::path kSourceDir = OMEMO_INTEROP_SOURCE_DIR;
const fs::path kVectorsDir = kSourceDir / "vectors";
const adapter::Placeholders kPlaceholders{OMEMO_INTEROP_BUILD_DIR, OMEMO_INTEROP_SOURCE_DIR};

adapter::AdapterManifest manifest_in(const fs::path& directory) {
  adapter::ManifestLoad load = adapter::load_manifest(directory, kPlaceholders);
  INFO(load.error);
  REQUIRE(load.manifest);
  INFO(adapter::unavailability_reason(*load.manifest));
  REQUIRE(adapter::unavailability_reason(*load.manifest).empty());
  return *load.manifest;
}

// `temp_root`: where the adapters' working directories go (kept after a fault).
adapter::AdapterSettings settings(const fs::path& temp_root) {
  adapter::AdapterSettings out;
  out.seed = Bytes(32, 0x5e);
  out.harness_version = "test";
  out.temp_root = temp_root.string();
  return out;
}

scenario::VectorReplayRun replay(const fs::path& file, const adapter::AdapterManifest& manifest,
                                 const fs::path& temp_root,
                                 const fs::path& vectors_dir = kVectorsDir) {
  adapter::AdapterImplementation implementation(manifest, settings(temp_root));
  return scenario::replay_vector_file(file, vectors_dir, implementation,
                                      crypto::RandomSource::seeded(7));
}

// Which records the adapter receives, worked out here from the file itself: Op = decrypt with
// Sender = alice, before the first record of the group in which Bob sends.
std::vector<bool> delivered_records(const fs::path& file) {
  codec::VecParseResult parsed = codec::load_vec_file(file);
  REQUIRE(parsed.ok());
  std::vector<bool> delivered;
  std::string group;
  bool bob_sent = false;
  for (const codec::VecRecord& record : parsed.file.records) {
    if (record.group != group) {
      group = record.group;
      bob_sent = false;
    }
    const std::string& sender = record.find("Sender")->text;
    bob_sent = bob_sent || sender == "bob";
    delivered.push_back(!bob_sent && sender == "alice" && record.find("Op")->text == "decrypt");
  }
  return delivered;
}

struct TempDir {
  fs::path root;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "oi-vector-replay-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `text` with the first occurrence of `from` after `anchor` replaced by `to`.
std::string replace_after(std::string text, const std::string& anchor, const std::string& from,
                          const std::string& to) {
  const std::size_t at = text.find(anchor);
  REQUIRE(at != std::string::npos);
  const std::size_t found = text.find(from, at);
  REQUIRE(found != std::string::npos);
  return text.replace(found, from.size(), to);
}

// Forwards the JSON-RPC lines between the harness and the reference adapter. Mode no-import
// removes import_keys from the initialize answer; crash-on-receive kills the adapter and exits
// when a `receive` request comes; other-device-id answers every device_id plus one.
constexpr const char* kProxy = R"(import json, os, subprocess, sys, threading
real, mode = sys.argv[1], sys.argv[2]
child = subprocess.Popen([real], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def upward():
    for line in child.stdout:
        if mode == 'no-import':
            try:
                message = json.loads(line)
                result = message.get('result')
                if isinstance(result, dict) and 'capabilities' in result:
                    result['capabilities'] = [c for c in result['capabilities'] if c != 'import_keys']
                    line = (json.dumps(message) + '\n').encode()
            except ValueError:
                pass
        if mode == 'other-device-id':
            message = json.loads(line)
            result = message.get('result')
            if isinstance(result, dict) and 'device_id' in result:
                result['device_id'] += 1
                line = (json.dumps(message) + '\n').encode()
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
threading.Thread(target=upward, daemon=True).start()
for line in sys.stdin.buffer:
    if mode == 'crash-on-receive' and b'"method":"receive"' in line.replace(b' ', b''):
        child.kill()
        sys.stderr.write('proxy: dying on receive\n')
        sys.stderr.flush()
        os._exit(3)
    child.stdin.write(line)
    child.stdin.flush()
child.stdin.close()
child.wait()
)";

// An adapter directory `name` running the reference adapter behind the proxy in `mode`.
adapter::AdapterManifest proxy_adapter(const TempDir& dir, const std::string& name,
                                       const std::string& mode) {
  const adapter::AdapterManifest reference = manifest_in(kSourceDir / "adapters" / "reference");
  std::ofstream(dir.root / "proxy.py") << kProxy;
  std::vector<std::string> capabilities;
  for (const std::string& capability : reference.capabilities) {
    if (mode != "no-import" || capability != "import_keys") capabilities.push_back(capability);
  }
  nlohmann::json manifest{
      {"protocol", "1.0"},
      {"name", name},
      {"description", "the reference adapter behind a test proxy (" + mode + ")"},
      {"command", "/usr/bin/python3"},
      {"args", {(dir.root / "proxy.py").string(), reference.argv.at(0), mode}},
      {"profiles", {"legacy", "omemo2"}},
      {"capabilities", capabilities}};
  fs::create_directories(dir.root / name);
  std::ofstream(dir.root / name / "adapter.json") << manifest.dump(2);
  return manifest_in(dir.root / name);
}

}  // namespace

TEST_CASE("vectors --impl reference: per record the verdict of the in-process checker",
          "[vectors][adapter]") {
  const adapter::AdapterManifest reference = manifest_in(kSourceDir / "adapters" / "reference");
  TempDir dir;
  for (const char* name : {"legacy/session.vec", "omemo2/session.vec"}) {
    const fs::path file = kVectorsDir / name;
    INFO(name);
    const scenario::VectorFileRun in_process = scenario::run_vector_file(file, kVectorsDir);
    const scenario::VectorReplayRun through_adapter = replay(file, reference, dir.root);
    CHECK(in_process.load_errors.empty());
    CHECK(through_adapter.run.load_errors.empty());
    const std::vector<bool> delivered = delivered_records(file);
    REQUIRE(in_process.outcomes.size() == delivered.size());
    REQUIRE(through_adapter.run.outcomes.size() == delivered.size());
    std::size_t compared = 0;
    std::map<Verdict, std::size_t> verdicts;
    for (std::size_t i = 0; i < delivered.size(); ++i) {
      const scenario::VectorOutcome& ours = through_adapter.run.outcomes[i];
      INFO(ours.id << ": " << ours.message);
      INFO("in process: " << in_process.outcomes[i].message);
      CHECK(ours.line == in_process.outcomes[i].line);
      CHECK(ours.id.starts_with(std::string(name) + "/"));
      CHECK(ours.id.ends_with("@reference"));
      if (delivered[i]) {
        CHECK(ours.verdict == in_process.outcomes[i].verdict);
        CHECK_THAT(ours.message, Contains("answered"));
        ++compared;
      } else {
        CHECK(ours.verdict == Verdict::not_applicable);
      }
      ++verdicts[ours.verdict];
    }
    CHECK(compared > 0);
    // Valid and invalid records alike reach the adapter (the duplicate m1 is invalid in both).
    CHECK(verdicts[Verdict::pass] == compared);
  }
}

TEST_CASE("tampered vectors fail through the adapter as they fail in process",
          "[vectors][adapter]") {
  const adapter::AdapterManifest reference = manifest_in(kSourceDir / "adapters" / "reference");
  TempDir dir;
  fs::create_directories(dir.root / "legacy");
  std::string text = read_text(kVectorsDir / "legacy" / "session.vec");
  // Id 3 must decrypt to another body; Id 5 (a duplicate) is claimed to be valid.
  text = replace_after(text, "Id = 3\n", "Body = \"Second, with a 16-byte IV\"",
                       "Body = \"Something else\"");
  text = replace_after(text, "Id = 5\n", "Result = invalid", "Result = valid");
  const fs::path file = dir.root / "legacy" / "session.vec";
  std::ofstream(file) << text;

  const scenario::VectorFileRun in_process = scenario::run_vector_file(file, dir.root);
  const scenario::VectorReplayRun through_adapter = replay(file, reference, dir.root, dir.root);
  REQUIRE(in_process.load_errors.empty());
  REQUIRE(through_adapter.run.load_errors.empty());
  std::map<std::int64_t, const scenario::VectorOutcome*> by_id;
  for (const scenario::VectorOutcome& outcome : through_adapter.run.outcomes) {
    by_id[std::stoll(outcome.id.substr(outcome.id.rfind('/') + 1))] = &outcome;
  }
  for (std::int64_t id : {3, 5}) {
    const scenario::VectorOutcome& ours = *by_id.at(id);
    INFO(ours.message);
    CHECK(ours.verdict == Verdict::fail);
    const auto theirs = std::find_if(
        in_process.outcomes.begin(), in_process.outcomes.end(),
        [&](const scenario::VectorOutcome& outcome) { return outcome.line == ours.line; });
    REQUIRE(theirs != in_process.outcomes.end());
    CHECK(theirs->verdict == Verdict::fail);
  }
  CHECK_THAT(by_id.at(3)->message, Contains("answered message 'Second, with a 16-byte IV'") &&
                                       Contains("expected message 'Something else'"));
  CHECK_THAT(by_id.at(5)->message, Contains("answered error"));
  CHECK(by_id.at(4)->verdict == Verdict::pass);  // the group goes on after a failed record
}

TEST_CASE("an adapter without import_keys has every delivered record unsupported",
          "[vectors][adapter]") {
  TempDir dir;
  const adapter::AdapterManifest manifest = proxy_adapter(dir, "no-import", "no-import");
  const fs::path file = kVectorsDir / "omemo2" / "session.vec";
  const scenario::VectorReplayRun through_adapter = replay(file, manifest, dir.root);
  const std::vector<bool> delivered = delivered_records(file);
  REQUIRE(through_adapter.run.outcomes.size() == delivered.size());
  for (std::size_t i = 0; i < delivered.size(); ++i) {
    const scenario::VectorOutcome& ours = through_adapter.run.outcomes[i];
    INFO(ours.message);
    CHECK(ours.verdict == (delivered[i] ? Verdict::unsupported : Verdict::not_applicable));
    if (delivered[i]) CHECK_THAT(ours.message, Contains("import_keys"));
  }
}

TEST_CASE("an adapter that dies on receive: crash, and the group's replay ends",
          "[vectors][adapter]") {
  TempDir dir;
  const adapter::AdapterManifest manifest =
      proxy_adapter(dir, "crash-on-receive", "crash-on-receive");
  const fs::path file = kVectorsDir / "legacy" / "session.vec";
  const scenario::VectorReplayRun through_adapter = replay(file, manifest, dir.root);
  const std::vector<bool> delivered = delivered_records(file);
  REQUIRE(through_adapter.run.outcomes.size() == delivered.size());
  std::string group;
  bool first_in_group = true;
  for (std::size_t i = 0; i < delivered.size(); ++i) {
    const scenario::VectorOutcome& ours = through_adapter.run.outcomes[i];
    INFO(ours.message);
    if (ours.group != group) {
      group = ours.group;
      first_in_group = true;
    }
    if (!delivered[i]) {
      CHECK(ours.verdict == Verdict::not_applicable);
      continue;
    }
    CHECK(ours.verdict == Verdict::crash);
    if (first_in_group) {
      CHECK_THAT(ours.message, Contains("receive:"));
      CHECK_THAT(through_adapter.adapter_logs[i], Contains("proxy: dying on receive"));
    } else {
      CHECK_THAT(ours.message, Contains("not replayed"));
    }
    first_in_group = false;
  }
}

TEST_CASE("a device that does not keep B_DeviceId fails its group", "[vectors][adapter]") {
  TempDir dir;
  const adapter::AdapterManifest manifest =
      proxy_adapter(dir, "other-device-id", "other-device-id");
  const fs::path file = kVectorsDir / "legacy" / "session.vec";
  const scenario::VectorReplayRun through_adapter = replay(file, manifest, dir.root);
  const std::vector<bool> delivered = delivered_records(file);
  REQUIRE(through_adapter.run.outcomes.size() == delivered.size());
  for (std::size_t i = 0; i < delivered.size(); ++i) {
    const scenario::VectorOutcome& ours = through_adapter.run.outcomes[i];
    INFO(ours.message);
    CHECK(ours.verdict == (delivered[i] ? Verdict::fail : Verdict::not_applicable));
    if (delivered[i]) CHECK_THAT(ours.message, Contains("keep_device_id"));
  }
}
