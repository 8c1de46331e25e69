// The adapter driver against fake adapters: small /bin/sh scripts written into a temp directory,
// one per behaviour (well-behaved, callback round trip, crash, signal, hang, garbage, over-long
// line, unknown id, background child, floods). Each case asserts the outcome class, its message,
// the captured stderr, and that no process of the adapter's group survives the object.
#include "adapter/adapter_process.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

using namespace oi::adapter;
using Catch::Matchers::Contains;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

// A temp directory holding the scripts and the adapters' working directories.
struct ScriptDir {
  std::filesystem::path root;

  ScriptDir() {
    std::string templ =
        (std::filesystem::temp_directory_path() / "oi-adapter-test-XXXXXX").string();
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    root = templ;
  }
  ~ScriptDir() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }

  // Writes an executable /bin/sh script and returns a spec that runs it.
  LaunchSpec script(const std::string& name, const std::string& body) const {
    auto path = root / name;
    std::ofstream(path) << "#!/bin/sh\n" << body;
    ::chmod(path.c_str(), 0755);
    LaunchSpec spec;
    spec.argv = {path.string()};
    spec.temp_root = root.string();
    spec.keep_workdir_on_fault = false;
    return spec;
  }
};

// Reads one request and sets $id to its (integer) id.
const std::string kReadId =
    "read -r line || exit 0\n"
    "id=$(printf '%s' \"$line\" | sed -n 's/.*\"id\":\\([0-9]*\\).*/\\1/p')\n";

bool group_gone(pid_t pgid) {
  return ::kill(-pgid, 0) != 0 && errno == ESRCH;
}

// Runs one request against a fresh instance of `spec`; returns the reply, the captured stderr and
// whether the group was gone after the object was destroyed.
struct Run {
  Reply reply;
  std::string stderr_text;
  std::optional<int> exit_status;
  std::optional<int> term_signal;
  bool gone_after = false;
};

Run run_one(LaunchSpec spec, milliseconds timeout = milliseconds(2000),
            RequestHandler handler = nullptr) {
  Run run;
  pid_t pgid = -1;
  {
    AdapterProcess process(std::move(spec));
    REQUIRE(process.start().ok());
    pgid = process.process_group();
    REQUIRE(pgid > 0);
    if (handler) process.set_request_handler(std::move(handler));
    run.reply = process.request("echo", json{{"text", "hi"}}, timeout);
    run.stderr_text = process.stderr_text();
    run.exit_status = process.exit_status();
    run.term_signal = process.term_signal();
  }
  run.gone_after = group_gone(pgid);
  return run;
}

}  // namespace

TEST_CASE("adapter: a well-behaved adapter answers every request, in a clean environment",
          "[adapter]") {
  ScriptDir dir;
  ::setenv("OI_ADAPTER_TEST_LEAK", "leaked", 1);
  auto spec = dir.script("echo.sh",
                         "echo 'echo adapter up' >&2\n"
                         "while :; do\n" +
                             kReadId +
                             "  printf '{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"n\":%s,"
                             "\"pwd\":\"%s\",\"home\":\"%s\",\"leak\":\"%s\",\"extra\":\"%s\"}}\\n'"
                             " \"$id\" \"$id\" \"$PWD\" \"$HOME\" \"${OI_ADAPTER_TEST_LEAK:-}\" "
                             "\"${EXTRA:-}\"\n"
                             "done\n");
  spec.env["EXTRA"] = "from adapter.json";
  pid_t pgid = -1;
  std::string workdir;
  {
    AdapterProcess process(spec);
    REQUIRE(process.start().ok());
    pgid = process.process_group();
    workdir = process.working_directory();
    CHECK(process.pid() == pgid);
    CHECK(::getpgid(process.pid()) == pgid);
    for (int n = 1; n <= 3; ++n) {
      Reply reply = process.request("ping", json::object(), milliseconds(2000));
      REQUIRE(reply.kind == OutcomeKind::ok);
      REQUIRE(reply.result);
      CHECK((*reply.result)["n"] == n);
      CHECK((*reply.result)["pwd"] == workdir);
      CHECK((*reply.result)["home"] == workdir);
      CHECK((*reply.result)["leak"] == "");
      CHECK((*reply.result)["extra"] == "from adapter.json");
    }
    CHECK(process.alive());
    CHECK_THAT(process.stderr_text(), Contains("echo adapter up"));
    CHECK(!group_gone(pgid));
  }
  ::unsetenv("OI_ADAPTER_TEST_LEAK");
  CHECK(group_gone(pgid));
  CHECK(!std::filesystem::exists(workdir));
}

TEST_CASE("adapter: a request from the adapter goes to the handler; the idle clock pauses",
          "[adapter]") {
  ScriptDir dir;
  auto spec = dir.script("ask.sh", kReadId +
                                       "printf '{\"jsonrpc\":\"2.0\",\"id\":\"a1\",\"method\":"
                                       "\"iq\",\"params\":{\"xml\":\"<iq/>\"}}\\n'\n"
                                       "read -r answer\n"
                                       "echo \"got $answer\" >&2\n"
                                       "printf '{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"got\":"
                                       "%s}}\\n' \"$id\" \"$answer\"\n"
                                       "sleep 100\n");
  std::string seen_method;
  json seen_params;
  // The handler takes longer than the idle timeout: that time must not count.
  Run run = run_one(spec, milliseconds(300), [&](const std::string& method, const json& params) {
    seen_method = method;
    seen_params = params;
    std::this_thread::sleep_for(milliseconds(400));
    return json{{"pong", true}};
  });
  REQUIRE(run.reply.kind == OutcomeKind::ok);
  CHECK(seen_method == "iq");
  CHECK(seen_params["xml"] == "<iq/>");
  const json& got = (*run.reply.result)["got"];
  CHECK(got["jsonrpc"] == "2.0");
  CHECK(got["id"] == "a1");
  CHECK(got["result"]["pong"] == true);
  CHECK_THAT(run.stderr_text, Contains("got {"));
  CHECK(run.gone_after);
}

TEST_CASE("adapter: an adapter that exits is a crash with its exit status", "[adapter]") {
  ScriptDir dir;
  Run run = run_one(dir.script("crash.sh", kReadId + "echo 'fatal: out of cheese' >&2\nexit 3\n"));
  CHECK(run.reply.kind == OutcomeKind::crash);
  CHECK_THAT(run.reply.message, Contains("exited with status 3"));
  CHECK_THAT(run.reply.message, Contains("'echo'"));
  CHECK_THAT(run.reply.message, Contains("out of cheese"));
  CHECK_THAT(run.stderr_text, Contains("fatal: out of cheese"));
  CHECK(run.exit_status == 3);
  CHECK(run.gone_after);
}

TEST_CASE("adapter: an adapter killed by a signal is a crash naming the signal", "[adapter]") {
  ScriptDir dir;
  Run run = run_one(dir.script("signal.sh", kReadId + "echo 'about to die' >&2\nkill -TERM $$\n"));
  CHECK(run.reply.kind == OutcomeKind::crash);
  CHECK_THAT(run.reply.message, Contains("killed by signal SIGTERM"));
  CHECK(run.term_signal == SIGTERM);
  CHECK_THAT(run.stderr_text, Contains("about to die"));
  CHECK(run.gone_after);
}

TEST_CASE("adapter: an adapter that stops answering is a timeout", "[adapter]") {
  ScriptDir dir;
  auto started = std::chrono::steady_clock::now();
  Run run = run_one(dir.script("hang.sh", kReadId + "echo 'thinking' >&2\nsleep 100\n"),
                    milliseconds(300));
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(run.reply.kind == OutcomeKind::timeout);
  CHECK_THAT(run.reply.message, Contains("300 ms"));
  CHECK_THAT(run.reply.message, Contains("'echo'"));
  CHECK_THAT(run.stderr_text, Contains("thinking"));
  CHECK(took < milliseconds(1500));
  CHECK(run.gone_after);
}

TEST_CASE("adapter: garbage on stdout is a protocol error", "[adapter]") {
  ScriptDir dir;
  Run run = run_one(dir.script("garbage.sh", kReadId + "echo 'hello, I am not JSON'\nsleep 100\n"));
  CHECK(run.reply.kind == OutcomeKind::protocol_error);
  CHECK_THAT(run.reply.message, Contains("malformed JSON"));
  CHECK_THAT(run.reply.message, Contains("line 1"));
  CHECK_THAT(run.reply.message, Contains("hello, I am not JSON"));
  CHECK(run.gone_after);
}

TEST_CASE("adapter: non-protocol JSON lines are protocol errors", "[adapter]") {
  ScriptDir dir;
  auto [line, why] = GENERATE(table<std::string, std::string>({
      {"[1,2]", "a batch"},
      {"{\"id\":1,\"result\":{}}", "not JSON-RPC 2.0"},
      {"{\"jsonrpc\":\"2.0\",\"method\":\"iq\",\"params\":{}}", "a notification"},
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{}}", "exactly one of"},
  }));
  Run run = run_one(dir.script("odd.sh", kReadId + "echo '" + line + "'\nsleep 100\n"));
  CHECK(run.reply.kind == OutcomeKind::protocol_error);
  CHECK_THAT(run.reply.message, Contains(why));
  CHECK(run.gone_after);
}

TEST_CASE("adapter: a line over 1 MiB is a protocol error", "[adapter]") {
  ScriptDir dir;
  Run run = run_one(dir.script(
      "long.sh", kReadId + "head -c 1100000 /dev/zero | tr '\\000' x\necho\nsleep 100\n"));
  CHECK(run.reply.kind == OutcomeKind::protocol_error);
  CHECK_THAT(run.reply.message, Contains("over the line limit of 1048576 bytes"));
  CHECK(run.gone_after);
}

TEST_CASE("adapter: stdout over the per-case bound is a protocol error", "[adapter]") {
  ScriptDir dir;
  auto spec =
      dir.script("chatty.sh", kReadId +
                                  "while :; do echo '{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":"
                                  "\"log\",\"params\":{}}'; done\n");
  spec.max_stdout_bytes = 4096;
  Run run = run_one(spec, milliseconds(2000),
                    [](const std::string&, const json&) { return json::object(); });
  CHECK(run.reply.kind == OutcomeKind::protocol_error);
  CHECK_THAT(run.reply.message, Contains("stdout over the per-case limit of 4096 bytes"));
  CHECK(run.gone_after);
}

TEST_CASE("adapter: a stderr flood is kept up to its bound, the rest counted, and an error",
          "[adapter]") {
  ScriptDir dir;
  auto spec = dir.script("flood.sh", kReadId +
                                         "head -c 200000 /dev/zero | tr '\\000' e >&2\n"
                                         "sleep 100\n");
  spec.max_stderr_bytes = 1000;
  pid_t pgid = -1;
  {
    AdapterProcess process(spec);
    REQUIRE(process.start().ok());
    pgid = process.process_group();
    Reply reply = process.request("echo", json::object(), milliseconds(2000));
    CHECK(reply.kind == OutcomeKind::protocol_error);
    CHECK_THAT(reply.message, Contains("stderr over the limit of 1000 bytes"));
    CHECK(process.stderr_text().size() == 1000);
    CHECK(process.stderr_dropped() > 0);
  }
  CHECK(group_gone(pgid));
}

TEST_CASE("adapter: a reply to an unknown id is a protocol error", "[adapter]") {
  ScriptDir dir;
  Run run = run_one(dir.script(
      "wrongid.sh", kReadId + "echo '{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}'\nsleep 100\n"));
  CHECK(run.reply.kind == OutcomeKind::protocol_error);
  CHECK_THAT(run.reply.message, Contains("reply to unknown id 99"));
  CHECK(run.gone_after);
}

TEST_CASE("adapter: a JSON-RPC error, even with an unknown class, is a normal error reply",
          "[adapter]") {
  ScriptDir dir;
  Run run = run_one(dir.script(
      "error.sh", kReadId + "printf '{\"jsonrpc\":\"2.0\",\"id\":%s,\"error\":{\"code\":-32000,"
                            "\"message\":\"no\",\"data\":{\"class\":\"made_up\"}}}\\n' \"$id\"\n"
                            "sleep 100\n"));
  REQUIRE(run.reply.kind == OutcomeKind::ok);
  REQUIRE(run.reply.error);
  CHECK(!run.reply.result);
  CHECK((*run.reply.error)["data"]["class"] == "made_up");
  CHECK(run.gone_after);
}

TEST_CASE("adapter: a request from the adapter that the handler refuses is a protocol error",
          "[adapter]") {
  ScriptDir dir;
  auto spec = dir.script("rude.sh", kReadId +
                                        "echo '{\"jsonrpc\":\"2.0\",\"id\":\"a1\",\"method\":"
                                        "\"format_disk\",\"params\":{}}'\nsleep 100\n");
  Run refused = run_one(spec, milliseconds(2000), [](const std::string& method, const json&) {
    throw AdapterFault("unknown method from the adapter: " + method);
    return json();
  });
  CHECK(refused.reply.kind == OutcomeKind::protocol_error);
  CHECK_THAT(refused.reply.message, Contains("unknown method from the adapter: format_disk"));
  CHECK(refused.gone_after);

  Run no_handler = run_one(spec);
  CHECK(no_handler.reply.kind == OutcomeKind::protocol_error);
  CHECK_THAT(no_handler.reply.message, Contains("format_disk"));
  CHECK(no_handler.gone_after);
}

TEST_CASE("adapter: a background child dies with the group", "[adapter]") {
  ScriptDir dir;
  auto spec =
      dir.script("spawner.sh", "sleep 100 &\necho \"child $!\" >&2\n" + kReadId + "sleep 100\n");
  SECTION("destroyed without a request") {
    pid_t pgid = -1;
    {
      AdapterProcess process(spec);
      REQUIRE(process.start().ok());
      pgid = process.process_group();
      // Wait until the background child exists.
      for (int i = 0; i < 200 && process.stderr_text().find("child") == std::string::npos; ++i) {
        std::this_thread::sleep_for(milliseconds(5));
      }
      CHECK_THAT(process.stderr_text(), Contains("child"));
      CHECK(!group_gone(pgid));
    }
    CHECK(group_gone(pgid));
  }
  SECTION("after a timeout") {
    Run run = run_one(spec, milliseconds(300));
    CHECK(run.reply.kind == OutcomeKind::timeout);
    CHECK(run.gone_after);
  }
}

TEST_CASE("adapter: a failed instance stays failed; a missing program is a crash", "[adapter]") {
  ScriptDir dir;
  {
    AdapterProcess process(dir.script("crash.sh", kReadId + "exit 3\n"));
    REQUIRE(process.start().ok());
    CHECK(process.request("a", json::object(), milliseconds(2000)).kind == OutcomeKind::crash);
    Reply again = process.request("b", json::object(), milliseconds(2000));
    CHECK(again.kind == OutcomeKind::crash);
    CHECK_THAT(again.message, Contains("already ended"));
    CHECK(!process.alive());
  }
  LaunchSpec missing;
  missing.argv = {(dir.root / "no-such-adapter").string()};
  missing.temp_root = dir.root.string();
  AdapterProcess process(missing);
  Reply reply = process.start();
  CHECK(reply.kind == OutcomeKind::crash);
  CHECK_THAT(reply.message, Contains("could not start"));
  CHECK(process.request("a", json::object(), milliseconds(100)).kind == OutcomeKind::crash);
}
