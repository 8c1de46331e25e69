// The report of `bench engine`: a table of every measurement, the physical floor of a session
// setup derived from the primitive rates, and the target ratios of issue 3 item 6. All ratios use
// CPU time per operation from one run, so that load from other processes cancels out as far as it
// can. The targets are reported, never asserted.
#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/bench.h"

namespace oi::cli::bench {

namespace {

// The public-key operations of one side of an X3DH setup, up to the first message decrypted.
// Both profiles need the same (libsignal, libomemo-c and the engine alike):
//   initiator: verify the signed prekey signature; generate EK and the first ratchet key;
//              DH(IK_A,SPK_B), DH(EK_A,IK_B), DH(EK_A,SPK_B), DH(EK_A,OPK_B), and the first
//              ratchet step DH(DHs,SPK_B).
//   responder: the same four X3DH DHs; on the first message one DH ratchet step:
//              DH(SPK_B,DHr) for the receiving chain, a new ratchet key, DH(new,DHr).
// Format conversions (e.g. OMEMO 2's Ed25519 -> X25519 identity key) are not counted.
struct SideCost {
  int dh = 0;
  int keygen = 0;
  int verify = 0;
};
constexpr SideCost kInitiatorCost{5, 2, 1};
constexpr SideCost kResponderCost{6, 1, 0};

struct PrimitiveRates {
  std::string source;
  double dh = 0, keygen = 0, verify = 0;  // seconds per operation
  double cost(const SideCost& side) const {
    return side.dh * dh + side.keygen * keygen + side.verify * verify;
  }
};

class Index {
 public:
  explicit Index(const std::vector<Measurement>& measurements) {
    for (const Measurement& m : measurements) by_name_.emplace(m.name, &m);
  }
  const Measurement* find(const std::string& name) const {
    auto found = by_name_.find(name);
    return found == by_name_.end() ? nullptr : found->second;
  }
  std::optional<double> seconds(const std::string& name) const {
    const Measurement* m = find(name);
    if (m == nullptr) return std::nullopt;
    return m->cpu_seconds;
  }

 private:
  std::map<std::string, const Measurement*> by_name_;
};

std::string rate(double seconds) {
  double per_second = seconds > 0 ? 1.0 / seconds : 0;
  if (per_second >= 1e6) return fmt::format("{:.2f}M/s", per_second / 1e6);
  if (per_second >= 1e3) return fmt::format("{:.1f}k/s", per_second / 1e3);
  return fmt::format("{:.1f}/s", per_second);
}

std::string verdict(bool met) {
  return met ? "met" : "MISSED";
}

void print_table(const std::vector<Measurement>& measurements) {
  fmt::print("{:<40} {:>12} {:>12} {:>12} {:>11}  {}\n", "benchmark", "cpu us/op", "wall us/op",
             "ops/s (cpu)", "iterations", "origin");
  for (const Measurement& m : measurements) {
    fmt::print("{:<40} {:>12.2f} {:>12.2f} {:>12} {:>11}  {}\n", m.name, m.cpu_seconds * 1e6,
               m.real_seconds * 1e6, rate(m.cpu_seconds), m.iterations, m.origin);
  }
}

std::optional<PrimitiveRates> rates_of(const Index& index, const std::string& library,
                                       const std::string& verify_name) {
  auto dh = index.seconds(fmt::format("primitive/{}/x25519_dh", library));
  auto keygen = index.seconds(fmt::format("primitive/{}/x25519_keygen", library));
  auto verify = index.seconds(fmt::format("primitive/{}/{}", library, verify_name));
  if (!dh || !keygen || !verify) return std::nullopt;
  return PrimitiveRates{library, *dh, *keygen, *verify};
}

// The setup of `implementation` (e.g. "legacy/engine") against the floor, if both were measured.
void print_setup_line(const Index& index, const std::string& implementation,
                      const PrimitiveRates& floor, bool is_target) {
  auto initiator = index.seconds(implementation + "/setup_initiator");
  auto responder = index.seconds(implementation + "/setup_responder");
  if (!initiator || !responder) return;
  double both = *initiator + *responder;
  double share = floor.cost(kInitiatorCost) + floor.cost(kResponderCost);
  double ratio = share / both;
  fmt::print(
      "  {:<22} {:>9.1f} us = {:>8} setups  (initiator {:.0f}%, responder {:.0f}% of "
      "floor)  floor/actual {:>5.1f}%{}\n",
      implementation, both * 1e6, rate(both), 100 * floor.cost(kInitiatorCost) / *initiator,
      100 * floor.cost(kResponderCost) / *responder, 100 * ratio,
      is_target ? fmt::format("  target >= 70%: {}", verdict(ratio >= 0.70)) : "");
}

void print_floor(const Index& index) {
  std::optional<PrimitiveRates> sodium = rates_of(index, "libsodium", "ed25519_verify");
  if (!sodium) {
    fmt::print("\nSession setup vs physical floor: not derived (primitive/libsodium/* not run)\n");
    return;
  }
  fmt::print(
      "\nSession setup vs physical floor (libsodium: X25519 DH {:.1f} us, keygen {:.1f} us, "
      "Ed25519 verify {:.1f} us)\n",
      sodium->dh * 1e6, sodium->keygen * 1e6, sodium->verify * 1e6);
  fmt::print(
      "  one setup = initiator {} DH + {} keygen + {} verify ({:.1f} us) + responder {} DH + {} "
      "keygen ({:.1f} us) = {:.1f} us floor ({} setups)\n",
      kInitiatorCost.dh, kInitiatorCost.keygen, kInitiatorCost.verify,
      sodium->cost(kInitiatorCost) * 1e6, kResponderCost.dh, kResponderCost.keygen,
      sodium->cost(kResponderCost) * 1e6,
      (sodium->cost(kInitiatorCost) + sodium->cost(kResponderCost)) * 1e6,
      rate(sodium->cost(kInitiatorCost) + sodium->cost(kResponderCost)));
  print_setup_line(index, "legacy/engine", *sodium, true);
  print_setup_line(index, "omemo2/engine", *sodium, true);
  print_setup_line(index, "omemo2/core", *sodium, !index.find("omemo2/engine/setup_initiator"));
  print_setup_line(index, "legacy/libsignal", *sodium, false);
  print_setup_line(index, "omemo2/libomemo-c", *sodium, false);
  if (std::optional<PrimitiveRates> donna = rates_of(index, "libsignal", "curvesig_verify")) {
    fmt::print(
        "  libsignal's own curve code (X25519 DH {:.1f} us, keygen {:.1f} us, curvesig verify "
        "{:.1f} us) puts the floor of a setup on libsignal at {:.1f} us:\n",
        donna->dh * 1e6, donna->keygen * 1e6, donna->verify * 1e6,
        (donna->cost(kInitiatorCost) + donna->cost(kResponderCost)) * 1e6);
    print_setup_line(index, "legacy/engine", *donna, false);
    print_setup_line(index, "legacy/libsignal", *donna, false);
  }
}

// "ours vs theirs" for the steady state, ours / theirs in CPU time per message.
void print_steady_ratio(const Index& index, const std::string& ours, const std::string& theirs,
                        double target, const std::string& target_text) {
  for (int count : {kFewRecipients, kManyRecipients}) {
    auto mine = index.seconds(fmt::format("{}/steady/{}", ours, count));
    auto reference = index.seconds(fmt::format("{}/steady/{}", theirs, count));
    if (!mine || !reference) continue;
    double ratio = *mine / *reference;
    fmt::print(
        "  {:<14} vs {:<18} {:>3} recipient(s): {:>9.1f} us vs {:>9.1f} us per message = "
        "{:.2f}x  target {}: {}\n",
        ours, theirs, count, *mine * 1e6, *reference * 1e6, ratio, target_text,
        verdict(ratio <= target));
  }
}

}  // namespace

void print_report(const std::vector<Measurement>& measurements,
                  const std::vector<std::string>& notes) {
  Index index(measurements);
  fmt::print("\n");
  print_table(measurements);
  print_floor(index);

  fmt::print(
      "\nSteady state (encrypt for N + every recipient decrypts; ours include payload, "
      "XML and base64)\n");
  print_steady_ratio(index, "legacy/engine", "legacy/libsignal", 1.3, "<= 1.3x");
  bool has_omemo2_engine = index.find("omemo2/engine/steady/1") != nullptr;
  print_steady_ratio(index, has_omemo2_engine ? "omemo2/engine" : "omemo2/core",
                     "omemo2/libomemo-c", 1.0, "<= 1.0x");
  if (!notes.empty()) {
    fmt::print("\nNotes:\n");
    for (const std::string& note : notes) fmt::print("  - {}\n", note);
  }
}

}  // namespace oi::cli::bench
