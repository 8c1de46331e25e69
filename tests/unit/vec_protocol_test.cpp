// The pieces under the protocol vectors: the multi-step (group) contract of the vector runner,
// the legacy SessionCore built from fixed keys, and libsignal's scripted randomness.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "crypto/random_source.h"
#include "engine/legacy/ratchet_steps.h"
#include "engine/legacy/session_core.h"
#include "file_test_support.h"
#include "scenario/vector_run.h"

namespace fs = std::filesystem;
using namespace oi;
using oi::scenario::Verdict;

using oi::test::kVectorsDir;
using oi::test::read_file;

namespace {

oi::scenario::VectorFileRun run_text(const std::string& text) {
  return oi::test::run_vector_text(text, "oi-vec-protocol-test", "conversation.vec");
}

// Removes the first field line starting with `prefix` after `after` (a unique marker), with its
// continuation lines.
std::string remove_line_after(std::string text, const std::string& after,
                              const std::string& prefix) {
  const std::size_t start = text.find(after);
  REQUIRE(start != std::string::npos);
  const std::size_t line = text.find("\n" + prefix, start);
  REQUIRE(line != std::string::npos);
  std::size_t end = text.find('\n', line + 1);
  while (end != std::string::npos && end + 1 < text.size() && text[end + 1] == ' ')
    end = text.find('\n', end + 1);
  text.erase(line, end - line);
  return text;
}

// A clamped private key filled with `fill`, as Bytes.
Bytes key(std::uint8_t fill) {
  Bytes k(32, fill);
  k[0] &= 248;
  k[31] = static_cast<std::uint8_t>((k[31] & 127) | 64);
  return k;
}

Key32 key32(std::uint8_t fill) {
  const Bytes k = key(fill);
  Key32 out;
  std::copy(k.begin(), k.end(), out.begin());
  return out;
}

}  // namespace

TEST_CASE("group checker: a step that cannot run stops its group, other groups go on",
          "[vec][protocol]") {
  const std::string original = read_file(kVectorsDir / "omemo2/session.vec");
  // Record Id 3 (Bob decrypts m2) loses its KeyMaterial field.
  const std::string text = remove_line_after(original, "\nId = 3\n", "KeyMaterial = ");
  const auto run = run_text(text);
  REQUIRE(run.load_errors.empty());
  bool saw_missing = false, saw_not_checked = false, later_group_passed = false;
  const std::string first_group = run.outcomes.front().group;
  for (const auto& outcome : run.outcomes) {
    if (outcome.id == "conversation/" + first_group + "/3") {
      CHECK(outcome.verdict == Verdict::error);
      CHECK_THAT(outcome.message, Catch::Contains("lacks field KeyMaterial"));
      saw_missing = true;
    } else if (outcome.group == first_group && saw_missing) {
      CHECK(outcome.verdict == Verdict::error);
      CHECK_THAT(outcome.message, Catch::Contains("not checked: an earlier step of this group"));
      saw_not_checked = true;
    } else if (outcome.group != first_group) {
      CHECK((outcome.verdict == Verdict::pass || outcome.verdict == Verdict::info));
      later_group_passed = true;
    } else {
      CHECK(outcome.verdict == Verdict::pass);
    }
  }
  CHECK(saw_missing);
  CHECK(saw_not_checked);
  CHECK(later_group_passed);
}

TEST_CASE("group checker: unusable fixed keys make every record of the group an error",
          "[vec][protocol]") {
  const std::string original = read_file(kVectorsDir / "legacy/session.vec");
  // The first group's signed prekey signature no longer verifies.
  std::string text = original;
  const std::size_t at =
      text.find("B_SignedPreKeySig = ") + std::string("B_SignedPreKeySig = ").size();
  text[at] = text[at] == '0' ? '1' : '0';
  const auto run = run_text(text);
  REQUIRE(run.load_errors.empty());
  const std::string first_group = run.outcomes.front().group;
  std::size_t errors = 0;
  for (const auto& outcome : run.outcomes) {
    if (outcome.group != first_group) {
      CHECK(outcome.verdict != Verdict::error);
      continue;
    }
    CHECK(outcome.verdict == Verdict::error);
    CHECK_THAT(outcome.message, Catch::Contains("fixed keys are unusable"));
    ++errors;
  }
  CHECK(errors > 10);
}

TEST_CASE("legacy SessionCore from fixed keys", "[engine][legacy][protocol]") {
  engine::legacy::ImportedKeys keys;
  keys.identity_private = key(0x11);
  keys.registration_id = 77;
  keys.signed_pre_key = engine::legacy::ImportedKeys::SignedPreKey{9, key(0x22), {}};
  keys.pre_keys.emplace_back(5, key(0x33));

  SECTION("keys, bundle and a signature made on import") {
    engine::legacy::SessionCore core(crypto::RandomSource::seeded(3), keys);
    CHECK(core.identity_public() == engine::legacy::legacy_public_key(key32(0x11)));
    const engine::legacy::BundleKeys bundle = core.bundle_keys();
    CHECK(bundle.signed_pre_key_id == 9);
    CHECK(bundle.signed_pre_key == engine::legacy::legacy_public_key(key32(0x22)));
    REQUIRE(bundle.pre_keys.size() == 1);
    CHECK(bundle.pre_keys[0].first == 5);
    CHECK(engine::legacy::legacy_verify(bundle.identity_key, bundle.signed_pre_key,
                                        bundle.signed_pre_key_signature));
  }
  SECTION("a bad signature or key length is refused") {
    keys.signed_pre_key->signature = Bytes(64, 0x01);
    CHECK_THROWS_AS(engine::legacy::SessionCore(crypto::RandomSource::seeded(3), keys),
                    std::invalid_argument);
    keys.signed_pre_key->signature.clear();
    keys.identity_private.pop_back();
    CHECK_THROWS_AS(engine::legacy::SessionCore(crypto::RandomSource::seeded(3), keys),
                    std::invalid_argument);
  }
  SECTION("scripted randomness: the scripted keys are used, a missing draw fails") {
    engine::legacy::SessionCore bob(crypto::RandomSource::seeded(3), keys);
    engine::legacy::ImportedKeys alice_keys;
    alice_keys.identity_private = key(0x44);
    engine::legacy::SessionCore alice(crypto::RandomSource::seeded(4), alice_keys);
    const engine::legacy::RemoteAddress bob_address{"bob@example.org", 2};
    alice.arm_random_script(key(0x55));  // base key only
    auto refused = alice.build_session(bob_address, bob.bundle_keys(), 5);
    CHECK_FALSE(refused.has_value());
    alice.disarm_random_script();
    CHECK_FALSE(alice.has_session(bob_address));

    Bytes script = key(0x55);
    const Bytes ratchet = key(0x66);
    script.insert(script.end(), ratchet.begin(), ratchet.end());
    alice.arm_random_script(script);
    REQUIRE(alice.build_session(bob_address, bob.bundle_keys(), 5).has_value());
    CHECK(alice.random_script_remaining() == 0);
    alice.arm_random_script({});
    auto message = alice.encrypt(bob_address, Bytes(32, 0x07));
    REQUIRE(message.has_value());
    alice.disarm_random_script();
    // The base key in the PreKeySignalMessage is the scripted one (field 2 after 0x33 and field 1).
    const Bytes base = engine::legacy::legacy_public_key(key32(0x55));
    CHECK(std::search(message->data.begin(), message->data.end(), base.begin(), base.end()) !=
          message->data.end());
    bob.arm_random_script(key(0x77));
    auto plaintext = bob.decrypt({"alice@example.org", 1}, message->data, true);
    REQUIRE(plaintext.has_value());
    CHECK(*plaintext == Bytes(32, 0x07));
    CHECK(bob.random_script_remaining() == 0);  // Bob's next ratchet key was the scripted one
  }
}
