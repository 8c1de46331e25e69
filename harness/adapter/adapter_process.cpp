// AdapterProcess: posix_spawn into a new process group, one poll() loop over the three pipes,
// line framing and JSON-RPC checks, and the kill-and-reap of the whole group.
#include "adapter/adapter_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>
#include <utility>

namespace oi::adapter {

namespace {

constexpr const char* kCleanPath = "/usr/local/bin:/usr/bin:/bin";
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kTailBytes = 300;
constexpr std::size_t kAbridgeBytes = 120;
// How long a process whose stdout reached EOF may take to exit before it is killed anyway.
constexpr auto kExitGrace = std::chrono::milliseconds(200);
// The upper bound on waiting for the killed group to disappear.
constexpr auto kReapBound = std::chrono::seconds(2);

std::string abridge(std::string_view text) {
  if (text.size() <= kAbridgeBytes) return std::string(text);
  return std::string(text.substr(0, kAbridgeBytes)) + "...";
}

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", sig);
}

void set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// A bare program name is looked up in the clean PATH (not the harness's own PATH); a name with
// a slash is made absolute, since the child changes into its working directory before exec.
std::string resolve_program(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(name, ec);
    return ec ? name : absolute.string();
  }
  std::string_view path = kCleanPath;
  while (!path.empty()) {
    auto colon = path.find(':');
    auto dir = path.substr(0, colon);
    std::string candidate = std::string(dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return name;
}

// write() with SIGPIPE suppressed for this thread only: a closed pipe gives EPIPE, never a
// process-killing signal, and the harness's signal dispositions stay untouched.
ssize_t write_no_sigpipe(int fd, const char* data, std::size_t size) {
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
  sigset_t pending;
  sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  ssize_t n = ::write(fd, data, size);
  int saved_errno = errno;
  if (n < 0 && saved_errno == EPIPE && !was_pending) {
    timespec zero{};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  errno = saved_errno;
  return n;
}

std::string response_line(const nlohmann::json& id, const nlohmann::json& result) {
  nlohmann::json message = {{"jsonrpc", "2.0"}, {"id", id}, {"result", result}};
  return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string_view to_string(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::ok:
      return "ok";
    case OutcomeKind::timeout:
      return "timeout";
    case OutcomeKind::crash:
      return "crash";
    case OutcomeKind::protocol_error:
      return "protocol_error";
  }
  return "?";
}

AdapterProcess::AdapterProcess(LaunchSpec spec) : spec_(std::move(spec)) {}

AdapterProcess::~AdapterProcess() {
  kill_group();
  if (!workdir_.empty() && !(adapter_fault_ && spec_.keep_workdir_on_fault)) {
    std::error_code ec;
    std::filesystem::remove_all(workdir_, ec);
  }
}

Reply AdapterProcess::start() {
  static std::once_flag subreaper_once;
  std::call_once(subreaper_once, [] { prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); });

  auto not_started = [this](std::string why) {
    Reply reply{OutcomeKind::crash, std::move(why), std::nullopt, std::nullopt};
    fault_ = reply;
    return reply;
  };
  if (pid_ > 0 || fault_) return not_started("adapter process already started");
  if (spec_.argv.empty()) return not_started("could not start adapter: empty command");

  std::error_code ec;
  std::filesystem::path root = spec_.temp_root;
  if (root.empty()) root = std::filesystem::temp_directory_path(ec);
  if (ec) return not_started("could not start adapter: no temp directory: " + ec.message());
  std::string templ = (root / "oi-adapter-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    return not_started(fmt::format("could not start adapter: mkdtemp in {}: {}", root.string(),
                                   std::strerror(errno)));
  }
  workdir_ = templ;

  std::map<std::string, std::string> env = {
      {"PATH", kCleanPath}, {"LANG", "C.UTF-8"},  {"LC_ALL", "C.UTF-8"},
      {"HOME", workdir_},   {"TMPDIR", workdir_}, {"OMEMO_INTEROP_PROTOCOL", "1.0"}};
  for (const auto& [key, value] : spec_.env) env[key] = value;
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : env) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = spec_.argv;
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::string program = resolve_program(spec_.argv.front());

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return not_started("could not start adapter: pipe");
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]), ::close(in_pipe[1]);
    return not_started("could not start adapter: pipe");
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]), ::close(in_pipe[1]), ::close(out_pipe[0]), ::close(out_pipe[1]);
    return not_started("could not start adapter: pipe");
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addchdir_np(&actions, workdir_.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);  // a new group whose id is the child's pid
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attr, &no_signals);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGALRM, SIGUSR1, SIGUSR2}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigdefault(&attr, &defaults);

  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  in_fd_ = in_pipe[1];
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
  if (rc != 0) {
    close_fds();
    adapter_fault_ = true;
    return not_started(
        fmt::format("could not start adapter '{}': {}", spec_.argv.front(), std::strerror(rc)));
  }
  pid_ = pid;
  pgid_ = pid;
  set_nonblocking(in_fd_);
  set_nonblocking(out_fd_);
  set_nonblocking(err_fd_);
  return Reply{};
}

Reply AdapterProcess::request(const std::string& method, const nlohmann::json& params,
                              Milliseconds idle_timeout) {
  if (fault_) {
    return Reply{fault_->kind, "adapter instance already ended: " + fault_->message, std::nullopt,
                 std::nullopt};
  }
  if (pid_ <= 0)
    return Reply{OutcomeKind::crash, "adapter not started", std::nullopt, std::nullopt};

  const std::int64_t id = next_id_++;
  nlohmann::json message = {{"jsonrpc", "2.0"},
                            {"id", id},
                            {"method", method},
                            {"params", params.is_null() ? nlohmann::json::object() : params}};
  std::string line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (line.size() > spec_.max_line_bytes) {
    return Reply{
        OutcomeKind::protocol_error,
        fmt::format("harness: request '{}' is {} bytes, over the line limit", method, line.size()),
        std::nullopt, std::nullopt};
  }
  in_pending_ += line;
  in_pending_ += '\n';

  idle_ms_ = idle_timeout.count();
  auto deadline = Clock::now() + idle_timeout;
  for (;;) {
    auto got = next_line(deadline, method);
    if (!got) return *fault_;
    deadline = Clock::now() + idle_timeout;
    const std::string& text = *got;
    const std::size_t number = stdout_lines_;

    auto bad = [&](std::string_view what) {
      return fail(OutcomeKind::protocol_error, fmt::format("{} on stdout line {} (during '{}'): {}",
                                                           what, number, method, abridge(text)));
    };
    if (text.empty()) return bad("blank line");
    nlohmann::json msg = nlohmann::json::parse(text, nullptr, false);
    if (msg.is_discarded()) return bad("malformed JSON (or not UTF-8)");
    if (msg.is_array()) return bad("a batch (JSON array)");
    if (!msg.is_object()) return bad("not a JSON object");
    auto version = msg.find("jsonrpc");
    if (version == msg.end() || *version != "2.0") return bad("not JSON-RPC 2.0");

    auto id_field = msg.find("id");
    if (msg.contains("method")) {
      // A request of the adapter (§6).
      const auto& name = msg["method"];
      if (!name.is_string()) return bad("a request whose method is not a string");
      if (id_field == msg.end()) return bad("a notification (request without id)");
      if (!id_field->is_number_integer() && !id_field->is_string()) {
        return bad("a request whose id is neither an integer nor a string");
      }
      auto params_field = msg.find("params");
      if (params_field == msg.end() || !params_field->is_object()) {
        return bad("a request whose params is not an object");
      }
      const std::string adapter_method = name.get<std::string>();
      if (!handler_) {
        return fail(OutcomeKind::protocol_error,
                    fmt::format("adapter request '{}' (during '{}'), but the harness takes none",
                                adapter_method, method));
      }
      nlohmann::json result;
      try {
        result = handler_(adapter_method, *params_field);
      } catch (const AdapterFault& fault) {
        return fail(OutcomeKind::protocol_error,
                    fmt::format("adapter request '{}' (during '{}'): {}", adapter_method, method,
                                fault.what()));
      } catch (const std::exception& ex) {
        return fail(OutcomeKind::protocol_error,
                    fmt::format("harness: handler of adapter request '{}' failed: {}",
                                adapter_method, ex.what()));
      } catch (...) {
        return fail(OutcomeKind::protocol_error,
                    fmt::format("harness: handler of adapter request '{}' failed", adapter_method));
      }
      in_pending_ += response_line(*id_field, result);
      deadline = Clock::now() + idle_timeout;  // the clock stood still while the handler ran
      continue;
    }

    // A response: exactly one of result / error, to our outstanding id.
    bool has_result = msg.contains("result");
    bool has_error = msg.contains("error");
    if (has_result == has_error) return bad("a response without exactly one of result / error");
    if (id_field == msg.end()) return bad("a response without id");
    if (*id_field != nlohmann::json(id)) {
      return fail(OutcomeKind::protocol_error,
                  fmt::format("reply to unknown id {} (outstanding: {} '{}')",
                              abridge(id_field->dump()), id, method));
    }
    Reply reply;
    if (has_error) {
      if (!msg["error"].is_object()) return bad("an error response whose error is not an object");
      reply.error = std::move(msg["error"]);
    } else {
      reply.result = std::move(msg["result"]);
    }
    return reply;
  }
}

std::optional<std::string> AdapterProcess::next_line(Clock::time_point deadline,
                                                     const std::string& method) {
  for (;;) {
    if (auto line = take_line()) return line;
    if (fault_) return std::nullopt;
    if (stdout_eof_) {
      handle_eof(method);
      return std::nullopt;
    }
    auto now = Clock::now();
    if (now >= deadline) {
      fail(OutcomeKind::timeout,
           fmt::format("no line from the adapter within the idle timeout of {} ms while '{}' "
                       "(id {}) was outstanding",
                       idle_ms_, method, next_id_ - 1));
      return std::nullopt;
    }
    auto remaining = std::chrono::ceil<Milliseconds>(deadline - now).count();
    pump(static_cast<int>(std::min<long long>(remaining, 60'000)));
    if (fault_) return std::nullopt;
  }
}

std::optional<std::string> AdapterProcess::take_line() {
  auto lf = out_buf_.find('\n', scanned_);
  if (lf == std::string::npos) {
    scanned_ = out_buf_.size();
    if (out_buf_.size() > spec_.max_line_bytes) {
      fail(OutcomeKind::protocol_error,
           fmt::format("stdout line {} is over the line limit of {} bytes", stdout_lines_ + 1,
                       spec_.max_line_bytes));
    }
    return std::nullopt;
  }
  std::string line = out_buf_.substr(0, lf);
  out_buf_.erase(0, lf + 1);
  scanned_ = 0;
  ++stdout_lines_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.size() > spec_.max_line_bytes) {
    fail(OutcomeKind::protocol_error,
         fmt::format("stdout line {} is over the line limit of {} bytes", stdout_lines_,
                     spec_.max_line_bytes));
    return std::nullopt;
  }
  return line;
}

void AdapterProcess::pump(int timeout_ms) {
  pollfd fds[3];
  nfds_t count = 0;
  int out_index = -1, err_index = -1, in_index = -1;
  if (out_fd_ >= 0 && !stdout_eof_) {
    out_index = static_cast<int>(count);
    fds[count++] = pollfd{out_fd_, POLLIN, 0};
  }
  if (err_fd_ >= 0) {
    err_index = static_cast<int>(count);
    fds[count++] = pollfd{err_fd_, POLLIN, 0};
  }
  if (in_fd_ >= 0 && !in_pending_.empty()) {
    in_index = static_cast<int>(count);
    fds[count++] = pollfd{in_fd_, POLLOUT, 0};
  }
  int n = ::poll(fds, count, timeout_ms);
  if (n <= 0) return;  // timeout or EINTR: the caller checks its deadline
  if (in_index >= 0 && fds[in_index].revents != 0) write_stdin();
  if (err_index >= 0 && fds[err_index].revents != 0) read_stderr();
  if (out_index >= 0 && fds[out_index].revents != 0) read_stdout();
}

void AdapterProcess::read_stdout() {
  char buffer[kReadChunk];
  ssize_t n = ::read(out_fd_, buffer, sizeof buffer);
  if (n == 0) {
    stdout_eof_ = true;
    return;
  }
  if (n < 0) {
    if (errno != EAGAIN && errno != EINTR) stdout_eof_ = true;
    return;
  }
  stdout_bytes_ += static_cast<std::size_t>(n);
  if (stdout_bytes_ > spec_.max_stdout_bytes) {
    fail(OutcomeKind::protocol_error,
         fmt::format("stdout over the per-case limit of {} bytes", spec_.max_stdout_bytes));
    return;
  }
  out_buf_.append(buffer, static_cast<std::size_t>(n));
}

long AdapterProcess::read_stderr() {
  char buffer[kReadChunk];
  ssize_t n = ::read(err_fd_, buffer, sizeof buffer);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    close_fd(err_fd_);
    return 0;
  }
  if (n < 0) return 0;
  auto size = static_cast<std::size_t>(n);
  std::size_t room = spec_.max_stderr_bytes - std::min(spec_.max_stderr_bytes, stderr_.size());
  stderr_.append(buffer, std::min(room, size));
  if (size > room) {
    stderr_dropped_ += size - room;
    if (spec_.stderr_overflow_is_error && !fault_ && pid_ > 0) {
      fail(OutcomeKind::protocol_error,
           fmt::format("stderr over the limit of {} bytes", spec_.max_stderr_bytes));
    }
  }
  return n;
}

void AdapterProcess::write_stdin() {
  if (in_fd_ < 0) {
    in_pending_.clear();
    return;
  }
  ssize_t n = write_no_sigpipe(in_fd_, in_pending_.data(), in_pending_.size());
  if (n > 0) {
    in_pending_.erase(0, static_cast<std::size_t>(n));
  } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
    // The adapter closed its stdin (or died): what it does next (EOF, silence) decides.
    in_pending_.clear();
    close_fd(in_fd_);
  }
}

void AdapterProcess::wait_until(Clock::time_point until) {
  if (pid_ <= 0) return;
  while (!reaped_) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      if (WIFEXITED(status)) exit_status_ = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) term_signal_ = WTERMSIG(status);
      break;
    }
    if (r < 0 && errno != EINTR) break;
    if (Clock::now() >= until) break;
    if (err_fd_ >= 0) {
      pollfd fd{err_fd_, POLLIN, 0};
      if (::poll(&fd, 1, 5) > 0) read_stderr();
    } else {
      std::this_thread::sleep_for(Milliseconds(5));
    }
  }
}

bool AdapterProcess::wait_for_exit(Milliseconds grace) {
  wait_until(Clock::now() + grace);
  return reaped_;
}

void AdapterProcess::handle_eof(const std::string& method) {
  // Give the process a moment to exit on its own, so the message can name its status; keep
  // draining stderr meanwhile (its last words are the most useful part).
  wait_until(Clock::now() + kExitGrace);
  while (err_fd_ >= 0 && read_stderr() > 0) {
  }
  if (fault_) return;  // a stderr flood found while draining
  std::string how;
  if (exit_status_) {
    how = fmt::format("adapter exited with status {}", *exit_status_);
  } else if (term_signal_) {
    how = fmt::format("adapter killed by signal {}", signal_name(*term_signal_));
  } else {
    how = "adapter closed stdout without exiting";
  }
  fail(OutcomeKind::crash,
       fmt::format("{} while '{}' (id {}) was outstanding", how, method, next_id_ - 1));
}

Reply AdapterProcess::fail(OutcomeKind kind, std::string message) {
  if (fault_) return *fault_;
  if (kind != OutcomeKind::protocol_error || message.rfind("harness:", 0) != 0) {
    adapter_fault_ = true;
  }
  // Set before the kill: draining stderr during the kill must not report a second fault.
  fault_ = Reply{kind, std::move(message), std::nullopt, std::nullopt};
  kill_group();
  std::string tail = stderr_tail();
  if (!tail.empty() && kind != OutcomeKind::protocol_error) fault_->message += "; stderr: " + tail;
  return *fault_;
}

void AdapterProcess::terminate() {
  kill_group();
  if (!fault_ && pid_ > 0) {
    fault_ = Reply{OutcomeKind::crash, "terminated by the harness", std::nullopt, std::nullopt};
  }
}

void AdapterProcess::kill_group() {
  if (pgid_ > 0 && !group_gone_) {
    group_gone_ = true;
    ::kill(-pgid_, SIGKILL);
    if (!reaped_) {
      int status = 0;
      pid_t r;
      do {
        r = ::waitpid(pid_, &status, 0);
      } while (r < 0 && errno == EINTR);
      reaped_ = true;
      if (r == pid_) {
        if (WIFEXITED(status)) exit_status_ = WEXITSTATUS(status);
        if (WIFSIGNALED(status)) term_signal_ = WTERMSIG(status);
      }
    }
    // Other members: reaped here when they are our children (we are a subreaper), else by
    // their parent; wait, boundedly, until the group is gone.
    auto until = Clock::now() + kReapBound;
    for (;;) {
      while (::waitpid(-pgid_, nullptr, WNOHANG) > 0) {
      }
      if (::kill(-pgid_, 0) != 0 && errno == ESRCH) break;
      if (Clock::now() >= until) break;
      ::kill(-pgid_, SIGKILL);
      std::this_thread::sleep_for(Milliseconds(1));
    }
  }
  // Keep what stderr still holds, then close the pipes.
  while (err_fd_ >= 0 && read_stderr() > 0) {
  }
  close_fds();
}

void AdapterProcess::close_fds() {
  close_fd(in_fd_);
  close_fd(out_fd_);
  close_fd(err_fd_);
}

const std::string& AdapterProcess::stderr_text() {
  while (err_fd_ >= 0 && read_stderr() > 0) {
  }
  return stderr_;
}

std::string AdapterProcess::take_stderr() {
  std::string text = stderr_text();
  if (stderr_dropped_ > 0) {
    text += fmt::format("\n[... {} more bytes of stderr dropped]\n", stderr_dropped_);
  }
  stderr_.clear();
  stderr_dropped_ = 0;
  return text;
}

std::string AdapterProcess::stderr_tail() const {
  std::string_view view = stderr_;
  while (!view.empty() && (view.back() == '\n' || view.back() == '\r' || view.back() == ' ')) {
    view.remove_suffix(1);
  }
  if (view.size() > kTailBytes) view = view.substr(view.size() - kTailBytes);
  return std::string(view);
}

}  // namespace oi::adapter
