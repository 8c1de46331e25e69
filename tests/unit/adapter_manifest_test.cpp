// adapter.json loading (PROTOCOL.md §14): placeholders, defaults, availability, and a clear
// error naming the field for every kind of invalid manifest.
#include "adapter/adapter_manifest.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace oi::adapter;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// adapters/<name>/adapter.json in a fresh temp directory.
fs::path write_manifest(const std::string& name, const std::string& text) {
  fs::path root = fs::temp_directory_path() / ("oi-manifest-" + std::to_string(::getpid()));
  fs::path dir = root / name;
  fs::create_directories(dir);
  std::ofstream(dir / "adapter.json") << text;
  return dir;
}

std::string valid(const std::string& extra = "") {
  return R"({"protocol": "1.0", "name": "demo", "description": "demo adapter",
             "command": "/bin/sh", "args": ["${adapter_dir}/run.sh", "${build_dir}/x"],
             "profiles": ["omemo2"], "capabilities": ["export_state"])" +
         extra + "}";
}

}  // namespace

TEST_CASE("a valid manifest loads with placeholders expanded and defaults filled") {
  fs::path dir = write_manifest("demo", valid(R"(, "timeouts": {"request_ms": 2000})"));
  ManifestLoad load = load_manifest(dir, Placeholders{"/b", "/r"});
  REQUIRE(load.manifest);
  const AdapterManifest& manifest = *load.manifest;
  CHECK(manifest.argv == std::vector<std::string>{"/bin/sh", (dir / "run.sh").string(), "/b/x"});
  CHECK(manifest.timeouts.request.count() == 2000);
  CHECK(manifest.timeouts.startup.count() == 30000);
  CHECK(manifest.reuse);
  CHECK(manifest.has_capability("export_state"));
  CHECK_FALSE(manifest.has_capability("muc"));
  CHECK(manifest.supports(oi::codec::Profile::omemo2));
  CHECK_FALSE(manifest.supports(oi::codec::Profile::legacy));
  CHECK(manifest.expectations == dir / "expectations");
  CHECK(unavailability_reason(manifest).empty());
}

TEST_CASE("an invalid manifest is an error naming the field") {
  struct Case {
    std::string text, expected;
  };
  const Case cases[] = {
      {"{", "not JSON"},
      {valid(R"(, "colour": "red")"), "colour: unknown field"},
      {R"({"protocol": "1.0", "name": "demo", "command": "/bin/sh", "profiles": ["omemo2"],
           "capabilities": []})",
       "description: missing"},
      {valid(R"(, "timeouts": {"request_ms": 70000})"), "timeouts.request_ms: 70000 is outside"},
      {valid(R"(, "timeouts": {"idle_ms": 7})"), "timeouts.idle_ms: unknown field"},
      {R"({"protocol": "2.0", "name": "demo", "description": "d", "command": "/bin/sh",
           "profiles": ["omemo2"], "capabilities": []})",
       "protocol: '2.0' is not 1.x"},
      {R"({"protocol": "1.0", "name": "demo", "description": "d", "command": "/bin/sh",
           "profiles": ["omemo3"], "capabilities": []})",
       "unknown profile 'omemo3'"},
      {R"({"protocol": "1.0", "name": "demo", "description": "d", "command": "/bin/sh",
           "profiles": ["omemo2"], "capabilities": ["telepathy"]})",
       "unknown capability 'telepathy'"},
      {R"({"protocol": "1.0", "name": "other", "description": "d", "command": "/bin/sh",
           "profiles": ["omemo2"], "capabilities": []})",
       "differs from the directory name"},
      {valid(R"(, "reuse": "yes")"), "reuse: expected a boolean"},
  };
  for (const Case& c : cases) {
    ManifestLoad load = load_manifest(write_manifest("demo", c.text), Placeholders{});
    INFO(c.text);
    CHECK_FALSE(load.manifest);
    CHECK_THAT(load.error, Contains("adapter.json") && Contains(c.expected));
  }
}

TEST_CASE("availability names the first missing requirement") {
  fs::path dir = write_manifest(
      "demo", valid(R"(, "requires": {"debian": ["no-such-package-oi"], "files": ["/no/file"]})"));
  ManifestLoad load = load_manifest(dir, Placeholders{});
  REQUIRE(load.manifest);
  CHECK_THAT(unavailability_reason(*load.manifest),
             Contains("Debian package no-such-package-oi is not installed"));
  load.manifest->debian_packages.clear();
  CHECK_THAT(unavailability_reason(*load.manifest), Contains("file /no/file is missing"));
  load.manifest->required_files.clear();
  load.manifest->argv[0] = "/no/such/command";
  CHECK_THAT(unavailability_reason(*load.manifest), Contains("is not an executable file"));
}

TEST_CASE("dpkg status is read: an essential package is installed, a made-up one is not") {
  CHECK(is_debian_package_installed("dpkg"));
  CHECK_FALSE(is_debian_package_installed("no-such-package-oi"));
}
