// For operators: /healthz (Redis and SQL reachable, nginx not about to
// refuse streams) and /metrics (Prometheus, every worker process of the
// fleet: ops/board.hpp).
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "api/ops.hpp"

#include "api/context.hpp"
#include "http/json.hpp"
#include "core/error.hpp"
#include "core/fd.hpp"
#include "core/version.hpp"

#include "ops/board.hpp"
#include "ops/stream_capacity.hpp"
#include "redis/durability.hpp"
#include "redis/replication.hpp"
#include "redis/streams.hpp"
#include "schedule/purge.hpp"

namespace palabre::api {
namespace {

// A load balancer's health check gives up after about a second: answer
// well before that even when Redis is frozen.
constexpr int kHealthRedisTimeoutMs = 500;

http::Response healthz(Context& ctx) {
  bool redis_ok = ctx.services.redis.ping(kHealthRedisTimeoutMs);
  redis::Durability durability;
  if (redis_ok) durability = redis::check_durability(ctx.services.redis);
  const bool durable = !durability.known || durability.warnings.empty();
  bool sql_ok = false;
  try {
    sql_ok = ctx.services.sql().ping();
  } catch (const Error&) {
    ctx.services.drop_sql();
  }
  bool hub_ok = ctx.services.hub.stats().subscribed.load();
  // nginx's capacity arrives with this very request; the board compares it
  // with this host's open streams every second.
  const ops::StreamCapacity& capacity = ops::stream_capacity();
  const bool capacity_known = capacity.capacity() > 0;
  const bool capacity_ok = !capacity.warning();
  std::vector<std::string> warnings = durability.warnings;
  if (!capacity_ok)
    warnings.push_back("nginx relays " + std::to_string(capacity.host_streams()) + " streams of the " +
                       std::to_string(capacity.capacity()) +
                       " it can hold: raise its worker_processes or worker_connections (docs/OPERATIONS.md, Sizing)");
  http::JsonWriter w;
  w.start_object();
  w.field("status", redis_ok && sql_ok ? (hub_ok && durable && capacity_ok ? "ok" : "warn") : "fail");
  w.key("checks");
  w.start_object();
  w.field("redis", redis_ok ? "ok" : "fail");
  w.field("sql", sql_ok ? "ok" : "fail");
  w.field("fanout", hub_ok ? "ok" : "warn");
  if (redis_ok) w.field("durability", !durability.known ? "unknown" : durable ? "ok" : "warn");
  if (capacity_known) w.field("nginx_capacity", capacity_ok ? "ok" : "warn");
  w.end_object();
  if (!warnings.empty()) {
    w.key("warnings");
    w.start_array();
    for (const auto& text : warnings) w.string(text);
    w.end_array();
  }
  w.end_object();
  return http::Response::json(redis_ok && sql_ok ? 200 : 503, w.take());
}

long open_fds() {
  long n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d)) ++n;
    closedir(d);
    n -= 3;  // ".", ".." and the directory's own fd
  }
  return n;
}

// Read with open()/read(), not a stream: the metrics are also rendered
// every few seconds for the other workers (ops/board.hpp), including while
// the process is out of descriptors, and a std::ifstream that fails to open
// there tripped UBSan's vptr check (door.test.js under ASan+UBSan). 0 when
// the file cannot be read.
long rss_bytes() {
  Fd statm(::open("/proc/self/statm", O_RDONLY | O_CLOEXEC));
  if (statm.get() < 0) return 0;
  char text[128];
  ssize_t n = ::read(statm.get(), text, sizeof text - 1);
  if (n <= 0) return 0;
  text[n] = '\0';
  long pages_total = 0, pages_rss = 0;
  if (std::sscanf(text, "%ld %ld", &pages_total, &pages_rss) != 2) return 0;
  return pages_rss * sysconf(_SC_PAGESIZE);
}

void metric(std::string& out, const char* name, const char* type, const char* help, double value) {
  char line[256];
  std::snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s %s\n%s %.0f\n", name, help, name, type, name, value);
  out += line;
}

}  // namespace

std::string own_metrics(const hub::HubStats& s, const http::RouteMetrics* route_metrics) {
  std::string out;
  // Which build answers: the version and commit as labels, the value 1
  // (the usual shape, so that a dashboard can join on it).
  out += "# HELP palabre_build_info The version and commit of this worker.\n# TYPE palabre_build_info gauge\n";
  out += std::string("palabre_build_info{version=\"") + version::number + "\",commit=\"" + version::commit + "\"} 1\n";
  metric(out, "palabre_sse_streams", "gauge", "SSE streams open in this worker.", s.sse_streams.load());
  metric(out, "palabre_longpolls_waiting", "gauge", "Long-poll requests waiting in this worker.",
         s.longpolls_waiting.load());
  metric(out, "palabre_streams_opened_total", "counter", "Streams and long-polls parked since start.",
         s.streams_opened_total.load());
  metric(out, "palabre_deliveries_total", "counter", "Frames queued to streams and long-polls.",
         s.frames_delivered_total.load());
  metric(out, "palabre_messages_published_total", "counter",
         "Entries this worker appended to debate streams (public, staff and guest feeds).",
         static_cast<double>(redis::published_total()));
  metric(out, "palabre_redis_replica_waits_total", "counter",
         "WAITs for Redis replicas after a mutation (PALABRE_REDIS_WAIT_REPLICAS).",
         static_cast<double>(redis::replica_waits_total()));
  metric(out, "palabre_redis_replica_shortfalls_total", "counter",
         "Of those, too few replicas in time: answered 503 not_replicated.",
         static_cast<double>(redis::replica_shortfalls_total()));
  metric(out, "palabre_purged_total", "counter",
         "Unpublished questions, staff/guest streams and audit details deleted by this worker's retention purge.",
         static_cast<double>(schedule::purged_total()));
  metric(out, "palabre_fanout_messages_total", "counter", "Messages received on the fan-out channel.",
         s.fanout_messages_total.load());
  metric(out, "palabre_backlog_overflows_total", "counter", "Streams closed because their client stopped reading.",
         s.backlog_overflows_total.load());
  metric(out, "palabre_redis_reconnects_total", "counter", "Reconnections of the hub's Redis connections.",
         s.redis_reconnects_total.load());
  metric(out, "palabre_redis_errors_total", "counter", "Errors on the hub's Redis connections.",
         s.redis_errors_total.load());
  metric(out, "palabre_mirror_reloads_total", "counter", "History reloads after a gap or reconnect.",
         s.mirror_reloads_total.load());
  metric(out, "palabre_pubsub_probe_failures_total", "counter",
         "Pub/Sub probes that did not come back in time (the subscriber was restarted).",
         s.pubsub_probe_failures_total.load());
  metric(out, "palabre_door_connections_total", "counter",
         "Connections nginx opened to this worker's stream socket (kept ones are reused).",
         s.door_connections_total.load());
  metric(out, "palabre_door_requests_total", "counter", "Stream and long-poll requests read on the stream socket.",
         s.door_requests_total.load());
  metric(out, "palabre_door_served_by_hub_total", "counter",
         "Of those, parked by the hub alone from its copy (no thread, no Redis round trip).",
         s.door_served_by_hub_total.load());
  metric(out, "palabre_fanout_subscribed", "gauge", "1 when the fan-out subscription is up.",
         s.subscribed.load() ? 1 : 0);
  metric(out, "palabre_process_resident_memory_bytes", "gauge", "Resident memory of this worker.", rss_bytes());
  metric(out, "palabre_process_open_fds", "gauge", "Open file descriptors of this worker.", open_fds());
  const ops::StreamCapacity& capacity = ops::stream_capacity();
  metric(out, "palabre_nginx_stream_capacity", "gauge",
         "Streams this host's nginx can relay at once, as nginx/render told the workers (0: not told).",
         static_cast<double>(capacity.capacity()));
  metric(out, "palabre_host_streams", "gauge",
         "Streams open on every worker process of this host, as this worker last added them up.",
         static_cast<double>(capacity.host_streams()));
  metric(out, "palabre_nginx_capacity_warning", "gauge",
         "1 while this host's streams are at 90 % of nginx's capacity or more (until below 80 %).",
         capacity.warning() ? 1 : 0);
  metric(out, "palabre_nginx_capacity_warnings_total", "counter",
         "Times this host's streams reached 90 % of nginx's capacity.",
         static_cast<double>(capacity.episodes_total()));
  if (route_metrics) out += route_metrics->render();
  return out;
}

namespace {

// This process's metrics rendered now, and every other worker's last
// snapshot from Redis (at most ops::Board::kSnapshotStaleMs old), each
// sample labelled worker="host:pid". Without Redis, this process's only.
// ?scope=process: this process's own text, unlabelled and live (what the
// tests compare process by process, asking each worker's socket).
http::Response metrics(Context& ctx) {
  if (ctx.req.query_param("scope") == "process")
    return http::Response::text("text/plain; version=0.0.4; charset=utf-8",
                                own_metrics(ctx.services.hub.stats(), ctx.services.metrics));
  std::vector<ops::WorkerMetrics> workers;
  workers.push_back({ops::worker_label(), own_metrics(ctx.services.hub.stats(), ctx.services.metrics)});
  try {
    for (auto& w : ops::other_workers_metrics(ctx.services.redis, ops::wall_ms())) workers.push_back(std::move(w));
  } catch (const Error&) {
    // Redis away: palabre_scrape_workers says how many answered.
  }
  std::string out = ops::merge_metrics(workers);
  metric(out, "palabre_scrape_workers", "gauge", "Worker processes whose metrics this scrape holds.",
         static_cast<double>(workers.size()));
  return http::Response::text("text/plain; version=0.0.4; charset=utf-8", std::move(out));
}

}  // namespace

void register_ops_routes(Router& router) {
  // nginx answers both to the monitoring addresses only (palabre.conf.in,
  // nginx/render --monitor-from).
  router.add("GET", "/healthz", Access::local, healthz);
  router.add("GET", "/metrics", Access::local, metrics);
}

}  // namespace palabre::api
