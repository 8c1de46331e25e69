// Results fixtures for the renderer tests: three implementations, both profiles, every kind of
// cell state, and adapter output that tries to inject markup (kHostile, kInvalidUtf8).
#pragma once

#include <string>

#include "report/results.h"

namespace oi::report::fixture {

inline const std::string kHostile =
    "<script>window.__pwned=1</script> </script><script>window.__pwned=2</script> "
    "\"onload=\"window.__pwned=3\" x=\" <img src=x onerror=\"window.__pwned=4\"> | `x` *y*";
inline const std::string kInvalidUtf8 = "\xff\xfe\xc0\xaf\xed\xa0\x80 \x1b[31m";

inline CaseResult cell(const std::string& scenario, const std::string& profile,
                       const std::string& producer, const std::string& consumer,
                       scenario::Verdict verdict) {
  CaseResult result;
  result.scenario = scenario;
  result.area = area_of(scenario);
  result.description = "What " + scenario + " checks.";
  result.profile = profile;
  result.roles = {{"A", producer}, {"B", consumer}};
  result.id = scenario + "/" + profile + "/" + producer + "-" + consumer;
  result.requirements = {"R-OM2-020"};
  result.verdict = verdict;
  result.unexpected = is_unexpected(verdict, "");
  result.message = "ok";
  result.checks = {{"R-OM2-020", "must", verdict == scenario::Verdict::pass, "s.xml:3: checked"}};
  result.decrypted = {"b1 received message body=\"hi\""};
  result.transcript =
      "#1 2026-01-01T00:00:00Z [1 send] c2s alice@example.org/a1 delivered <message "
      "to=\"bob@example.org\" id=\"m1\"><body>hi</body></message>\n"
      "#2 2026-01-01T00:00:00Z [2 deliver] s2c bob@example.org/b1 dropped (drop-all) <message "
      "from=\"alice@example.org/a1\" id=\"m1\"/>\n";
  return result;
}

// reference, alpha and beta over legacy and omemo2; beta's legacy consumer side fails, alpha's
// omemo2 producer side has a predicted failure; "gamma" is unavailable. One omemo2 cell carries
// hostile adapter output everywhere an adapter can put text.
inline Results three_implementations() {
  using scenario::Verdict;
  Results results;
  results.run = {"2026-11-28T12:00:00Z", "5eed", "0.1.0", "abc123", "omemo-interop run", ""};
  results.implementations = {
      {"reference", "0.1.0", "engine", {"legacy", "omemo2"}, true, "own engine"},
      {"alpha", "1.0", "adapter", {"legacy", "omemo2"}, true, "alpha lib"},
      {"beta", "2.0 " + kHostile, "adapter", {"legacy", "omemo2"}, true, kHostile + kInvalidUtf8},
      {"gamma", "", "adapter", {"omemo2"}, false, "missing package python3-gamma " + kHostile}};
  results.requirements = {{"R-OM2-020", "MUST", "§5.1", "Device id is in range."},
                          {"R-OM2-099", "SHOULD", "§9", "Never checked by anything."}};
  const char* names[] = {"reference", "alpha", "beta"};
  for (const char* profile : {"legacy", "omemo2"}) {
    for (const char* producer : names) {
      for (const char* consumer : names) {
        Verdict verdict = Verdict::pass;
        if (std::string(profile) == "legacy" && std::string(consumer) == "beta") {
          verdict = Verdict::fail;
        }
        CaseResult result = cell("session/first-message", profile, producer, consumer, verdict);
        if (std::string(profile) == "omemo2" && std::string(producer) == "alpha") {
          result.verdict = Verdict::xfail;
          result.expected = "xfail";
          result.unexpected = false;
          result.expectation_reason = "alpha pads to 16 bytes";
          result.expectation_link = "https://example.org/alpha/issues/7";
        }
        if (std::string(profile) == "omemo2" && std::string(producer) == "beta" &&
            std::string(consumer) == "reference") {
          result.verdict = Verdict::crash;
          result.unexpected = true;
          result.message = "adapter died: " + kHostile + kInvalidUtf8;
          result.adapter_log = "[beta]\n" + kHostile + "\n" + kInvalidUtf8;
          result.decrypted = {"b1 received message body=\"" + kHostile + "\""};
          result.expectation_link = "javascript:window.__pwned=5";
          result.expected = "fail";
          result.expectation_reason = kHostile;
          result.checks.push_back({"R-OM2-020", "must", false, kHostile});
          result.transcript +=
              "#3 2026-01-01T00:00:01Z [3 send] c2s bob@example.org/b1 delivered <message "
              "id=\"1-&lt;script&gt;window.__pwned=1&lt;/script&gt;&quot;onload=\"><body>&lt;/"
              "script&gt;&lt;script&gt;window.__pwned=2&lt;/script&gt;</body></message>\n"
              "#4 2026-01-01T00:00:01Z [3 send] c2s bob@example.org/b1 rejected (not XML " +
              kHostile + ") <message id='" + kHostile + kInvalidUtf8 + "'>\n";
        }
        results.results.push_back(std::move(result));
      }
    }
  }
  return results;
}

}  // namespace oi::report::fixture
