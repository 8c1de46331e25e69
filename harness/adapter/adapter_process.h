// One adapter process and the JSON-RPC 2.0 line protocol of adapters/PROTOCOL.md (§2, §12, §13),
// with strict fault isolation: whatever the adapter does, the caller gets an Outcome, never an
// exception and never a hang, and no process of the adapter outlives the AdapterProcess object.
//
// Why plain POSIX and not Boost.Process + Asio (DESIGN.md layer 5 names them): the driver needs
// exactly three things, and POSIX gives each directly where Boost 1.74 makes it awkward:
//  - the child in its own process group before it runs any code: posix_spawn's
//    POSIX_SPAWN_SETPGROUP does it atomically (Boost.Process v1 needs a custom on_exec_setup
//    initializer and a fork in a possibly multi-threaded harness; 1.74 has no process::v2);
//  - one deadline across three pipes (write stdin, read stdout, drain stderr): a single poll()
//    loop (Asio async pipes would need an io_context, a timer and cancellation per request);
//  - a fresh working directory and an exact environment: posix_spawn_file_actions_addchdir_np
//    (glibc >= 2.29) and an explicit envp.
// So no Boost library is linked.
//
// Process-wide side effect: the first start() makes the harness process a child subreaper
// (prctl PR_SET_CHILD_SUBREAPER), so that a background child an adapter leaves behind is
// re-parented to the harness, killed with the group, and reaped here rather than by init.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace oi::adapter {

// How an exchange with the adapter ended. The runner maps it to a verdict (PROTOCOL §13.3):
// ok -> compare the result; timeout -> `timeout`; crash -> `crash`; protocol_error -> `error`.
enum class OutcomeKind {
  ok,              // a response with our id arrived (a `result`, or a JSON-RPC `error` object)
  timeout,         // no line on stdout within the idle timeout
  crash,           // stdout EOF, the process exited (any status) or was killed by a signal,
                   // or it could not be started at all
  protocol_error,  // malformed line, over-long line, output over its bound, unknown reply id,
                   // a request the harness refused (AdapterFault), or a harness failure
};

std::string_view to_string(OutcomeKind kind);

// The result of one request(). For kind == ok exactly one of `result` / `error` is set; a
// JSON-RPC error with any code or class (known or not) is a normal ok reply here: judging the
// class is the runner's job (PROTOCOL §7.3). For any other kind `message` says what happened
// (the method, the bound, the exit status or signal, the tail of stderr) and the process group
// has been killed and reaped.
struct Reply {
  OutcomeKind kind = OutcomeKind::ok;
  std::string message;
  std::optional<nlohmann::json> result;  // the response's "result"
  std::optional<nlohmann::json> error;   // the response's "error" object

  bool ok() const { return kind == OutcomeKind::ok; }
};

// What to start and the bounds to enforce.
struct LaunchSpec {
  // argv[0] is the program: a path (relative ones are taken against the harness's current
  // directory) or a bare name looked up in the clean PATH below.
  std::vector<std::string> argv;
  // Added to the clean environment (PROTOCOL §12.1): PATH=/usr/local/bin:/usr/bin:/bin,
  // LANG=C.UTF-8, LC_ALL=C.UTF-8, HOME and TMPDIR (the working directory),
  // OMEMO_INTEROP_PROTOCOL=1.0. An entry here overrides a clean one of the same name.
  std::map<std::string, std::string> env;
  // Where the per-instance working directory is created (empty: the system temp directory).
  std::string temp_root;
  // Keep the working directory after a timeout / crash / protocol_error (for the report);
  // it is always deleted after an instance that ended without a fault.
  bool keep_workdir_on_fault = true;

  std::size_t max_line_bytes = 1 << 20;      // one stdout line, LF excluded (§13.2)
  std::size_t max_stdout_bytes = 16u << 20;  // stdout per case, since start() or begin_case()
  std::size_t max_stderr_bytes = 1 << 20;    // stderr kept; the rest is counted as dropped
  bool stderr_overflow_is_error = true;      // §13.2: more stderr than that is a flood
};

// Thrown by a RequestHandler to say the adapter's request is itself a violation (an unknown
// method, a request at a time it may not ask): request() ends with protocol_error and `what()`.
// Any other exception from the handler is a harness failure: also protocol_error, message
// prefixed "harness: ". Either way the process group is killed.
class AdapterFault : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Answers a request FROM the adapter (§6); the returned JSON is sent back as its "result".
// The idle timeout does not run while the handler runs.
using RequestHandler =
    std::function<nlohmann::json(const std::string& method, const nlohmann::json& params)>;

// One adapter instance. Not thread-safe; one thread drives it. Not copyable or movable.
class AdapterProcess {
 public:
  using Milliseconds = std::chrono::milliseconds;

  explicit AdapterProcess(LaunchSpec spec);
  // Kills the whole process group (SIGKILL to -pgid), reaps it, and removes the working
  // directory unless kept for a fault. Never throws, never blocks for more than ~2 s.
  ~AdapterProcess();
  AdapterProcess(const AdapterProcess&) = delete;
  AdapterProcess& operator=(const AdapterProcess&) = delete;

  // Creates the working directory and spawns the process. ok, or crash with the reason
  // ("could not start ..."). Call once.
  Reply start();

  // Sends one request (id 1, 2, ... for the life of the process) and reads stdout until the
  // response with that id arrives, answering the adapter's own requests through `handler` on
  // the way. `params` must be an object (null is sent as {}). `idle_timeout` bounds the time
  // between two stdout lines. After a non-ok reply the instance is dead: every later call
  // returns the same kind again, with the original message.
  Reply request(const std::string& method, const nlohmann::json& params, Milliseconds idle_timeout);

  void set_request_handler(RequestHandler handler) { handler_ = std::move(handler); }

  // Starts a new case: resets the per-case stdout counter.
  void begin_case() { stdout_bytes_ = 0; }
  std::size_t stdout_bytes() const { return stdout_bytes_; }

  // Kills and reaps the process group now (idempotent). Marks the instance dead as a crash
  // "terminated by the harness" unless it already ended with a fault.
  void terminate();

  // Waits up to `grace` for the process to exit on its own (after `shutdown`), draining stderr;
  // true when it did (exit_status() / term_signal() then say how). The group is not killed.
  bool wait_for_exit(Milliseconds grace);

  // stderr is read while request() runs and by stderr_text(); between requests the pipe
  // buffers it (an adapter that writes more than a pipe holds then simply waits).
  // The stderr captured so far (at most max_stderr_bytes; drains what is pending first) and
  // how many bytes beyond that were dropped.
  const std::string& stderr_text();
  std::size_t stderr_dropped() const { return stderr_dropped_; }
  // The stderr captured since the last call (drained first), with a note of dropped bytes; the
  // capture starts afresh, so max_stderr_bytes bounds each case of a long-lived instance.
  std::string take_stderr();

  bool alive() const { return pid_ > 0 && !fault_; }
  pid_t pid() const { return pid_; }
  pid_t process_group() const { return pgid_; }
  const std::string& working_directory() const { return workdir_; }
  // How the process ended, once reaped: exit status, or the terminating signal.
  std::optional<int> exit_status() const { return exit_status_; }
  std::optional<int> term_signal() const { return term_signal_; }

 private:
  using Clock = std::chrono::steady_clock;

  Reply fail(OutcomeKind kind, std::string message);
  std::optional<std::string> next_line(Clock::time_point deadline, const std::string& method);
  std::optional<std::string> take_line();
  void pump(int timeout_ms);
  void read_stdout();
  long read_stderr();
  void write_stdin();
  void handle_eof(const std::string& method);
  void wait_until(Clock::time_point until);  // reaps the leader if it exits before `until`
  void kill_group();
  void close_fds();
  std::string stderr_tail() const;

  LaunchSpec spec_;
  RequestHandler handler_;
  pid_t pid_ = -1;
  pid_t pgid_ = -1;
  int in_fd_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;       // the leader has been waited for
  bool group_gone_ = false;   // the group has been killed; never signal that id again
  std::int64_t idle_ms_ = 0;  // the current request's idle timeout, for messages
  std::string workdir_;
  std::int64_t next_id_ = 1;
  std::string out_buf_;      // stdout bytes not yet consumed as lines
  std::size_t scanned_ = 0;  // prefix of out_buf_ known to hold no LF
  std::string in_pending_;   // bytes still to write to stdin
  bool stdout_eof_ = false;
  std::size_t stdout_bytes_ = 0;
  std::size_t stdout_lines_ = 0;  // complete lines read, for messages
  bool adapter_fault_ = false;    // ended by the adapter's misbehaviour (keeps the workdir)
  std::string stderr_;
  std::size_t stderr_dropped_ = 0;
  std::optional<Reply> fault_;  // set once the instance is dead
  std::optional<int> exit_status_;
  std::optional<int> term_signal_;
};

}  // namespace oi::adapter
