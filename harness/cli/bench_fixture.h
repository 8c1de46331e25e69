// A Google Benchmark function whose fixture is built on its first run and kept for the later
// runs Google Benchmark makes while it sizes the iteration count (set-up stays out of timing
// and happens once per process). The fixture dies with the registration
// (benchmark::ClearRegisteredBenchmarks).
#pragma once

#include <benchmark/benchmark.h>

#include <memory>

namespace oi::cli::bench {

// `body(state, fixture)` with `Fixture(args...)` built lazily; args are copied into the closure.
template <class Fixture, class... Args>
auto with_fixture(void (*body)(benchmark::State&, Fixture&), Args... args) {
  auto cache = std::make_shared<std::unique_ptr<Fixture>>();
  return [=](benchmark::State& state) {
    if (!*cache) *cache = std::make_unique<Fixture>(args...);
    body(state, **cache);
  };
}

}  // namespace oi::cli::bench
