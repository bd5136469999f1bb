// palabre-worker: wiring only. Reads the configuration, opens the FastCGI
// socket, starts the hub thread, the phase clock and a fixed pool of accept
// threads, and shuts down cleanly on SIGTERM/SIGINT: stop accepting, let
// in-flight requests finish, end every parked stream, exit.
#include <fcgiapp.h>
#include <grp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "api/context.hpp"
#include "api/dispatch.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/test_clock.hpp"
#include "http/handoff.hpp"
#include "http/response.hpp"
#include "hub/hub.hpp"
#include "mail/outbox.hpp"
#include "redis/durability.hpp"
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

int open_listen_socket(const Config& config) {
  int fd = open_socket(config, config.listen);
  if (fd < 0) return -1;
  // Accepted connections inherit the listening socket's receive timeout, so
  // libfcgi's blocking reads of params and body give up on a connection that
  // sends nothing instead of holding an accept thread forever. Streams handed
  // to the hub are non-blocking, where it does not apply.
  struct timeval timeout{config.fcgi_read_timeout_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return fd;
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

}  // namespace

int main() {
  Config config;
  try {
    config = config_from_env();
  } catch (const std::exception& e) {
    log::error("bad configuration", {{"error", e.what()}});
    return 2;
  }
  log::set_min_level(level_from(config.log_level));
  ids::ensure_crypto_ready();
  ops::name_this_host(config.host_name);

  // Block the shutdown signals before any thread starts so that only
  // sigwait() below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  try {
    store::open_sqlite(config.sqlite_path)->migrate();
  } catch (const std::exception& e) {
    log::warn("SQL store not ready at start-up", {{"error", e.what()}});
  }

  if (FCGX_Init() != 0) {
    log::error("FCGX_Init failed");
    return 1;
  }
  int listen_fd = open_listen_socket(config);
  if (listen_fd < 0) {
    log::error("cannot open the FastCGI socket", {{"listen", config.listen}, {"error", std::strerror(errno)}});
    return 1;
  }

#ifdef PALABRE_TEST_HOOKS
  // Test builds only (core/test_clock.hpp): the tests move this clock.
  const char* clock_file = std::getenv("PALABRE_TEST_CLOCK_FILE");
  TestClock clock(clock_file ? clock_file : "");
  log::warn("test hooks compiled in: the clock follows PALABRE_TEST_CLOCK_FILE; not for production");
#else
  SystemClock clock;
#endif
  hub::Hub hub(config);
  if (!config.stream_listen.empty()) {
    int door_fd = open_socket(config, config.stream_listen);
    if (door_fd < 0) {
      log::error("cannot open the stream socket",
                 {{"listen", config.stream_listen}, {"error", std::strerror(errno)}});
      return 1;
    }
    hub.open_door(door_fd);
  }
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

  std::vector<std::thread> accept_threads;
  for (int i = 0; i < config.accept_threads; ++i)
    accept_threads.emplace_back(accept_loop, listen_fd, std::cref(config), std::ref(hub), std::cref(clock),
                                std::cref(router), std::ref(metrics));
  std::vector<std::thread> door_threads;
  if (!config.stream_listen.empty())
    for (int i = 0; i < config.door_threads; ++i)
      door_threads.emplace_back(door_loop, std::cref(config), std::ref(hub), std::cref(clock), std::cref(router),
                                std::ref(metrics));
  warn_if_redis_may_lose_data(config);
  log::info("worker started", {{"listen", config.listen},
                               {"streams", config.stream_listen.empty() ? "(accept threads)" : config.stream_listen},
                               {"accept_threads", std::to_string(config.accept_threads)},
                               {"pid", std::to_string(::getpid())}});

  int sig = 0;
  sigwait(&signals, &sig);
  log::info("shutting down", {{"signal", std::to_string(sig)}});
  // Drain without failing a request. First remove the socket's name: nginx's
  // next connect fails at once, before anything is sent, so it passes even a
  // POST to another worker. Then keep accepting a moment, for connections
  // that were queued before, and only then stop accepting.
  const bool unix_socket = !config.listen.empty() && config.listen.front() == '/';
  if (unix_socket) {
    ::unlink(config.listen.c_str());
    if (!config.stream_listen.empty()) ::unlink(config.stream_listen.c_str());
    std::this_thread::sleep_for(std::chrono::milliseconds(kDrainQueuedMs));
  }
  FCGX_ShutdownPending();
  // Wakes every thread blocked in accept(); requests already accepted finish.
  ::shutdown(listen_fd, SHUT_RDWR);
  for (auto& t : accept_threads) t.join();
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
  ::close(listen_fd);
  log::info("worker stopped");
  return 0;
}
