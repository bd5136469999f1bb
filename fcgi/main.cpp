// palabre-worker: wiring only. Reads the configuration, opens the FastCGI
// sockets (or takes them from systemd), starts the hub thread, the phase
// clock and a fixed pool of accept threads, reloads on SIGHUP, and shuts
// down cleanly on SIGTERM/SIGINT: stop accepting, let in-flight requests
// finish, end every parked stream, exit.
#include <fcgiapp.h>
#include <grp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "api/context.hpp"
#include "api/dispatch.hpp"
#include "core/clock.hpp"
#include "core/command_line.hpp"
#include "core/config.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/settings.hpp"
#include "core/systemd.hpp"
#include "core/test_clock.hpp"
#include "http/handoff.hpp"
#include "http/response.hpp"
#include "hub/hub.hpp"
#include "mail/outbox.hpp"
#include "redis/durability.hpp"
#include "redis/key_names_upgrade.hpp"
#include "schedule/phase_clock.hpp"
#include "store/store.hpp"
#include "api/ops.hpp"
#include "ops/board.hpp"

using namespace palabre;

namespace {

log::Level level_from(const std::string& name) {
  if (name == "debug") return log::Level::debug;
  if (name == "warn") return log::Level::warn;
  if (name == "error") return log::Level::error;
  return log::Level::info;
}

// A listening socket created 0660 from the start (no window in which anyone
// may connect: speaking FastCGI to it directly would bypass nginx), in the
// configured group.
int open_socket(const Config& config, const std::string& where) {
  bool unix_socket = !where.empty() && where.front() == '/';
  if (unix_socket) ::unlink(where.c_str());  // a stale socket from a crash
  mode_t old_umask = ::umask(0117);
  int fd = FCGX_OpenSocket(where.c_str(), config.listen_backlog);
  int open_errno = errno;
  ::umask(old_umask);
  errno = open_errno;
  if (fd < 0) return -1;
  if (unix_socket && !config.socket_group.empty()) {
    struct group* g = ::getgrnam(config.socket_group.c_str());
    if (!g || ::chown(where.c_str(), static_cast<uid_t>(-1), g->gr_gid) != 0) {
      log::error("cannot give the FastCGI socket to its group",
                 {{"group", config.socket_group}, {"error", g ? std::strerror(errno) : "no such group"}});
      ::close(fd);
      return -1;
    }
  }
  return fd;
}

// Accepted connections inherit the listening socket's receive timeout, so
// libfcgi's blocking reads of params and body give up on a connection that
// sends nothing instead of holding an accept thread forever. Streams handed
// to the hub are non-blocking, where it does not apply.
void set_read_timeout(int listen_fd, const Config& config) {
  struct timeval timeout{config.fcgi_read_timeout_s, 0};
  ::setsockopt(listen_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

// The sockets the worker serves: its own (PALABRE_LISTEN and the door's
// PALABRE_STREAM_LISTEN), or those systemd passed (palabre.socket: the main
// socket, then the door's), which every palabre@N process shares.
struct Sockets {
  int listen_fd = -1;
  int door_fd = -1;  // -1: no door, streams come through the accept threads
  bool from_systemd = false;
};

bool open_sockets(Config& config, Sockets& out) {
  std::vector<int> passed;
  try {
    passed = systemd::listening_sockets();
  } catch (const std::exception& e) {
    log::error("bad sockets from systemd", {{"error", e.what()}});
    return false;
  }
  if (!passed.empty()) {
    out.from_systemd = true;
    out.listen_fd = passed[0];
    out.door_fd = passed.size() > 1 ? passed[1] : -1;
    // What the log and the shutdown path say about them.
    config.listen = "systemd:" + std::to_string(out.listen_fd);
    config.stream_listen = out.door_fd >= 0 ? "systemd:" + std::to_string(out.door_fd) : "";
    set_read_timeout(out.listen_fd, config);
    return true;
  }
  out.listen_fd = open_socket(config, config.listen);
  if (out.listen_fd < 0) {
    log::error("cannot open the FastCGI socket", {{"listen", config.listen}, {"error", std::strerror(errno)}});
    return false;
  }
  set_read_timeout(out.listen_fd, config);
  if (!config.stream_listen.empty()) {
    out.door_fd = open_socket(config, config.stream_listen);
    if (out.door_fd < 0) {
      log::error("cannot open the stream socket",
                 {{"listen", config.stream_listen}, {"error", std::strerror(errno)}});
      return false;
    }
  }
  return true;
}

void accept_loop(int listen_fd, const Config& config, hub::Hub& hub, const Clock& clock,
                 const api::Router& router, http::RouteMetrics& metrics) {
  api::Services services(config, hub, clock);
  services.metrics = &metrics;
  http::FcgiRequest fcgi(listen_fd);
  while (fcgi.accept()) {
    bool handed_off = api::serve_one(fcgi, services, router, metrics);
    if (!handed_off) fcgi.finish();
    // Only now wake the hubs for what this request published: its response
    // has left, ahead of the fan-out (redis/streams.hpp, announce_entry).
    services.redis.send_later();
  }
}

// Runs the stream requests the hub's door leaves to threads (hub/hub.hpp):
// the ordinary handlers, with the hub writing whatever they answer.
void door_loop(const Config& config, hub::Hub& hub, const Clock& clock, const api::Router& router,
               http::RouteMetrics& metrics) {
  api::Services services(config, hub, clock);
  services.metrics = &metrics;
  hub::DoorRequest in;
  while (hub.next_door_request(in)) {
    http::DoorParker parker;
    http::Response response = api::serve_read(in.request, services, router, metrics, parker);
    hub::DoorReply reply;
    reply.ticket = in.ticket;
    if (response.handed_off && parker.parked) {
      reply.park = std::move(parker.parked);
    } else {
      if (response.handed_off) response = http::Response::no_content();
      reply.response = http::response_text(response);
    }
    hub.door_reply(std::move(reply));
    services.redis.send_later();
  }
}

// How long a stopping worker still accepts connections queued on its socket
// before it stopped being reachable by name.
constexpr int kDrainQueuedMs = 300;

// Acknowledged messages must survive a Redis restart: say so loudly when
// this Redis would lose them (also on /healthz).
void warn_if_redis_may_lose_data(const Config& config) {
  redis::Connection redis(config);
  redis::Durability d = redis::check_durability(redis);
  for (const auto& text : d.warnings) log::warn("redis may lose data", {{"problem", text}});
}

// The configuration and the settings it came from, for telling what a
// reload changes.
struct LoadedConfig {
  Config config;
  std::map<std::string, std::string, std::less<>> values;
};

LoadedConfig load_config(const std::vector<std::string>& files) {
  Settings settings = settings_from(files);
  LoadedConfig loaded{config_from(settings), settings.values()};
  settings.reject_unknown();
  return loaded;
}

// SIGHUP: read the files again. The log level changes at once; anything
// else changed needs a restart (sockets, threads and connections were made
// from it), which the log says. A file that no longer parses changes
// nothing.
void reload(const std::vector<std::string>& files, LoadedConfig& current) {
  systemd::notify_reloading();
  try {
    LoadedConfig fresh = load_config(files);
    std::vector<std::string> changed = changed_settings(current.values, fresh.values);
    std::string needs_restart;
    for (const auto& name : changed) {
      if (name == "PALABRE_LOG_LEVEL") continue;
      needs_restart += (needs_restart.empty() ? "" : " ") + name;
    }
    log::set_min_level(level_from(fresh.config.log_level));
    // The running Config stays as it is: every thread reads it unlocked.
    current.values = std::move(fresh.values);
    log::info("configuration reloaded", {{"log_level", fresh.config.log_level}, {"changed", std::to_string(changed.size())}});
    if (!needs_restart.empty())
      log::warn("changed settings take effect at the next restart", {{"settings", needs_restart}});
  } catch (const std::exception& e) {
    log::error("configuration not reloaded: it does not parse; the running one stays", {{"error", e.what()}});
  }
  systemd::notify_ready();
}

// Wakes an accept thread blocked in accept() on a socket other processes
// share (systemd's): shutdown() would stop theirs too. libfcgi gives up
// accepting on EINTR once FCGX_ShutdownPending() was called; the handler
// does nothing, it only makes accept() return. A thread not in accept()
// (serving a request: nginx sends it whole at once, so its reads do not
// block) is not signalled.
void on_wake(int) {}

struct AcceptThread {
  std::thread thread;
  std::atomic<pid_t> tid{0};
  std::atomic<bool> done{false};
};

// Whether the thread is in accept() now (Linux: /proc/self/task/TID/syscall
// starts with the number of the system call it is blocked in).
bool blocked_in_accept(pid_t tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/syscall");
  long number = -1;
  in >> number;
  return in && (number == SYS_accept || number == SYS_accept4);
}

// Signals the thread until it leaves libfcgi's accept loop (bounded: a
// thread serving a request goes back to accept() when done, and libfcgi
// checks the shutdown flag before each accept()).
void wake_from_accept(AcceptThread& a) {
  for (int i = 0; i < 1000 && !a.done.load(); ++i) {
    pid_t tid = a.tid.load();
    if (tid != 0 && blocked_in_accept(tid)) ::pthread_kill(a.thread.native_handle(), SIGUSR1);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

int main(int argc, char** argv) {
  WorkerArgs args;
  try {
    args = parse_worker_args(std::vector<std::string_view>(argv + 1, argv + argc));
  } catch (const CommandLineError& e) {
    std::cerr << "palabre-worker: " << e.what() << "\nTry 'palabre-worker --help'.\n";
    return 2;
  }
  if (args.help) {
    std::cout << worker_usage();
    return 0;
  }
  if (args.version) {
    std::cout << version_line("palabre-worker") << '\n';
    return 0;
  }
  LoadedConfig loaded;
  try {
    loaded = load_config(args.config_files);
  } catch (const std::exception& e) {
    log::error("bad configuration", {{"error", e.what()}});
    return 2;
  }
  Config& config = loaded.config;
  log::set_min_level(level_from(config.log_level));
  ids::ensure_crypto_ready();
  ops::name_this_host(config.host_name);

  // Block the signals main handles before any thread starts so that only
  // sigwait() below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  struct sigaction wake{};
  wake.sa_handler = on_wake;
  sigemptyset(&wake.sa_mask);
  ::sigaction(SIGUSR1, &wake, nullptr);  // no SA_RESTART: accept() returns EINTR

  try {
    store::open(config)->migrate();
  } catch (const std::exception& e) {
    log::warn("SQL store not ready at start-up", {{"error", e.what()}});
  }
  // Keys written before debates had a hash tag get their new names, once
  // (redis/key_names_upgrade.hpp), before this worker reads any.
  try {
    redis::Connection redis(config);
    redis::upgrade_key_names(redis);
  } catch (const std::exception& e) {
    log::error("redis key names not upgraded at start-up: keys of the old naming are not seen",
               {{"error", e.what()}});
  }

  if (FCGX_Init() != 0) {
    log::error("FCGX_Init failed");
    return 1;
  }
  Sockets sockets;
  if (!open_sockets(config, sockets)) return 1;

#ifdef PALABRE_TEST_HOOKS
  // Test builds only (core/test_clock.hpp): the tests move this clock.
  TestClock clock(config.test_clock_file);
  log::warn("test hooks compiled in: the clock follows PALABRE_TEST_CLOCK_FILE; not for production");
#else
  SystemClock clock;
#endif
  hub::Hub hub(config);
  if (sockets.door_fd >= 0) hub.open_door(sockets.door_fd);
  std::thread hub_thread([&hub] { hub.run(); });

  schedule::PhaseClock phase_clock(config, clock);
  std::thread phase_thread([&phase_clock] { phase_clock.run(); });
  // The reminder mails (mail/outbox.hpp), only when SMTP is configured.
  mail::Outbox outbox(config, clock);
  std::thread outbox_thread;
  if (!config.smtp_url.empty()) outbox_thread = std::thread([&outbox] { outbox.run(); });

  api::Router router;
  api::register_all_routes(router);
  std::vector<std::string> route_names;
  for (const auto& r : router.routes()) route_names.push_back(r.method + " " + r.name);
  http::RouteMetrics metrics(route_names);
  // This process's figures in Redis for the others' /metrics and /healthz (ops/board.hpp).
  ops::Board ops_board(config, hub.stats(), [&hub, &metrics] { return api::own_metrics(hub.stats(), &metrics); });
  std::thread ops_board_thread([&ops_board] { ops_board.run(); });

  std::vector<std::unique_ptr<AcceptThread>> accept_threads;
  for (int i = 0; i < config.accept_threads; ++i) {
    auto& a = *accept_threads.emplace_back(std::make_unique<AcceptThread>());
    a.thread = std::thread([&a, &sockets, &config, &hub, &clock, &router, &metrics] {
      a.tid.store(static_cast<pid_t>(::gettid()));
      accept_loop(sockets.listen_fd, config, hub, clock, router, metrics);
      a.done.store(true);
    });
  }
  std::vector<std::thread> door_threads;
  if (sockets.door_fd >= 0)
    for (int i = 0; i < config.door_threads; ++i)
      door_threads.emplace_back(door_loop, std::cref(config), std::ref(hub), std::cref(clock), std::cref(router),
                                std::ref(metrics));
  warn_if_redis_may_lose_data(config);
  log::info("worker started", {{"version", version_line("palabre-worker")},
                               {"listen", config.listen},
                               {"streams", config.stream_listen.empty() ? "(accept threads)" : config.stream_listen},
                               {"accept_threads", std::to_string(config.accept_threads)},
                               {"pid", std::to_string(::getpid())}});
  systemd::notify_ready();

  int sig = 0;
  while (sigwait(&signals, &sig) == 0 && sig == SIGHUP) reload(args.config_files, loaded);
  log::info("shutting down", {{"signal", std::to_string(sig)}});
  systemd::notify_stopping();
  if (sockets.from_systemd) {
    // Shared sockets: the other palabre@N processes take what is queued;
    // stop accepting at once.
    FCGX_ShutdownPending();
    for (auto& a : accept_threads) wake_from_accept(*a);
  } else {
    // Drain without failing a request. First remove the socket's name:
    // nginx's next connect fails at once, before anything is sent, so it
    // passes even a POST to another worker. Then keep accepting a moment,
    // for connections that were queued before, and only then stop accepting.
    const bool unix_socket = !config.listen.empty() && config.listen.front() == '/';
    if (unix_socket) {
      ::unlink(config.listen.c_str());
      if (!config.stream_listen.empty()) ::unlink(config.stream_listen.c_str());
      std::this_thread::sleep_for(std::chrono::milliseconds(kDrainQueuedMs));
    }
    FCGX_ShutdownPending();
    // Wakes every thread blocked in accept(); requests already accepted finish.
    ::shutdown(sockets.listen_fd, SHUT_RDWR);
  }
  for (auto& a : accept_threads) a->thread.join();
  phase_clock.stop();
  phase_thread.join();
  ops_board.stop();
  ops_board_thread.join();
  outbox.stop();  // cuts a mail being sent short; its claim is released
  if (outbox_thread.joinable()) outbox_thread.join();
  hub.stop();
  hub_thread.join();
  // The hub closed the door: the door threads finish what they hold and end.
  for (auto& t : door_threads) t.join();
  // The socket's name is not removed here: a new worker may own it by now.
  ::close(sockets.listen_fd);
  log::info("worker stopped");
  return 0;
}
