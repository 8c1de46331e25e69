// `omemo-interop bench adapter [NAME] [--requests N]`: the round trip of one request to an
// adapter process (default: adapters/reference), median and p99 in µs. Two requests are timed:
// a probe of an unknown method (pure protocol: pipe, JSON both ways, the adapter's dispatch)
// and `export_state` of a fresh device (a real method with a few hundred bytes of answer).
//
// Contract: exit 0 when the measurement ran (numbers are reported, never asserted), 2 when the
// adapter is unknown, unavailable or fails.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "adapter/adapter_implementation.h"
#include "cli/adapter_registry.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "scenario/suite_runner.h"

namespace oi::cli {

namespace {

struct AdapterBenchOptions {
  std::string adapter = "reference";
  std::vector<std::string> adapter_dirs;
  int requests = 20000;
};

struct Percentiles {
  double median_us = 0, p99_us = 0, mean_us = 0;
};

Percentiles percentiles(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  Percentiles result;
  result.median_us = samples[samples.size() / 2];
  result.p99_us = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
  double sum = 0;
  for (double sample : samples) sum += sample;
  result.mean_us = sum / static_cast<double>(samples.size());
  return result;
}

// Times `count` calls of `request`; `prepare` runs untimed before each.
template <class Request, class Prepare>
Percentiles time_requests(int count, Request&& request, Prepare&& prepare) {
  for (int i = 0; i < std::min(count / 10, 500); ++i) {  // warm-up
    prepare();
    request();
  }
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    prepare();
    auto started = std::chrono::steady_clock::now();
    request();
    samples.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started)
            .count());
  }
  return percentiles(std::move(samples));
}

int run_adapter_bench(const AdapterBenchOptions& options) {
  AdapterRegistry registry = discover_adapters(options.adapter_dirs);
  const AdapterEntry* entry = registry.find(options.adapter);
  if (entry == nullptr || !entry->unavailable.empty()) {
    fmt::print(stderr, "omemo-interop: bench adapter: '{}' is {}\n", options.adapter,
               entry == nullptr ? "unknown" : "unavailable: " + entry->unavailable);
    return kExitSetupError;
  }
  try {
    adapter::AdapterImplementation implementation(entry->manifest,
                                                  adapter_settings(Bytes{0x5e, 0xed}, "bench"));
    auto started = std::chrono::steady_clock::now();
    implementation.begin_case();
    double startup_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    Percentiles probe = time_requests(
        options.requests,
        [&] {
          if (!implementation.call("bench.probe", nlohmann::json::object()).error) {
            throw std::runtime_error("the probe of an unknown method got a result");
          }
        },
        [] {});
    engine::client::DeviceSpec spec;
    spec.profile = entry->manifest.profiles.front();
    spec.jid = "bench@example.org";
    spec.resource = "b1";
    spec.pre_key_count = 25;
    Percentiles exported = Percentiles{};
    bool has_export = entry->manifest.has_capability("export_state");
    if (has_export) {
      // In cases of 500 requests: the driver bounds stdout per case (16 MiB), and an export is
      // tens of kilobytes.
      std::unique_ptr<engine::client::ClientDevice> device;
      int in_case = 500;
      exported = time_requests(
          options.requests, [&] { (void)device->export_state(); },
          [&] {
            if (in_case++ < 500) return;
            device.reset();
            implementation.end_case();
            implementation.begin_case();
            device = implementation.create_device(spec, crypto::RandomSource::seeded(Bytes{1}));
            in_case = 1;
          });
    }
    implementation.end_case();
    implementation.stop();
    // The same probe with harness and adapter on one CPU, as in a run (workers are pinned).
    Percentiles pinned_probe = probe;
    bool pinned = scenario::pin_thread_to_cpu(0);  // as the runner pins worker 0
    if (pinned) {
      adapter::AdapterImplementation on_one_cpu(entry->manifest,
                                                adapter_settings(Bytes{0x5e, 0xed}, "bench"));
      on_one_cpu.begin_case();
      pinned_probe = time_requests(
          options.requests,
          [&] {
            if (!on_one_cpu.call("bench.probe", nlohmann::json::object()).error) {
              throw std::runtime_error("the probe of an unknown method got a result");
            }
          },
          [] {});
      on_one_cpu.end_case();
    }
    fmt::print("adapter {} ({} requests each; startup + initialize {:.1f} ms)\n", options.adapter,
               options.requests, startup_ms);
    fmt::print("  {:<28} {:>10} {:>10} {:>10}\n", "request", "median µs", "p99 µs", "mean µs");
    fmt::print("  {:<28} {:>10.1f} {:>10.1f} {:>10.1f}\n", "unknown method (probe)",
               probe.median_us, probe.p99_us, probe.mean_us);
    if (has_export) {
      fmt::print("  {:<28} {:>10.1f} {:>10.1f} {:>10.1f}\n", "export_state", exported.median_us,
                 exported.p99_us, exported.mean_us);
    }
    if (pinned) {
      fmt::print("  {:<28} {:>10.1f} {:>10.1f} {:>10.1f}\n", "probe, one CPU (as in runs)",
                 pinned_probe.median_us, pinned_probe.p99_us, pinned_probe.mean_us);
    }
    fmt::print("  target: median round trip under 50 µs (as in runs): {}\n",
               pinned_probe.median_us < 50 ? "met" : "MISSED");
  } catch (const std::exception& e) {
    fmt::print(stderr, "omemo-interop: bench adapter: {}\n", e.what());
    return kExitSetupError;
  }
  return kExitExpected;
}

}  // namespace

void add_bench_adapter_command(CLI::App& bench, CommandContext& context) {
  auto options = std::make_shared<AdapterBenchOptions>();
  CLI::App* command =
      bench.add_subcommand("adapter", "Round trip of one request to an adapter process");
  command->add_option("adapter", options->adapter, "Adapter name")->capture_default_str();
  command->add_option("--adapter-dir", options->adapter_dirs, "Where adapters are found");
  command->add_option("--requests", options->requests, "Requests timed per kind")
      ->check(CLI::Range(10, 10000000))
      ->capture_default_str();
  command->callback([options, &context] { context.exit_code = run_adapter_bench(*options); });
}

}  // namespace oi::cli
