// Worker configuration, parsed at start-up from the configuration files and
// the environment (PALABRE_*, core/settings.hpp). Read-only after parse;
// shared by every thread (a SIGHUP parses a new one to compare, and applies
// only the log level: fcgi/main.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/settings.hpp"

namespace palabre {

struct Config {
  // FastCGI listen socket: a unix socket path, or ":port"/"host:port". A
  // unix socket is created 0660 (owner and group only: anyone who can speak
  // FastCGI to it bypasses nginx), in the group socket_group when set (the
  // group nginx's workers run in, e.g. www-data).
  std::string listen = "/run/palabre/palabre.sock";
  std::string socket_group;
  // A connection that sends no FastCGI input for this long is dropped, so
  // that local clients cannot pin every accept thread with idle connections.
  int fcgi_read_timeout_s = 10;
  int listen_backlog = 4096;
  int accept_threads = 4;
  // The hub's door (hub/hub.hpp): the listening socket for the stream
  // locations, read by the hub thread itself. Empty: derived from a unix
  // `listen` (stream_socket_for); "off": no door, streams come through the
  // accept threads only (nginx must then send them to `listen`).
  std::string stream_listen;
  // Threads that run the stream requests the hub cannot serve alone.
  int door_threads = 2;

  // Redis: host and port, or a unix socket path when redis_socket is set.
  std::string redis_host = "127.0.0.1";
  int redis_port = 6379;
  std::string redis_socket;
  int redis_db = 0;
  int redis_timeout_ms = 2000;
  // The hub publishes a probe on its own channel this often and restarts its
  // Pub/Sub connection when the probe does not come back within
  // redis_timeout_ms: an open but silent subscriber is otherwise invisible.
  int pubsub_probe_ms = 5000;
  // Redis AUTH (redis/handshake.hpp): every connection authenticates when a
  // password is set, as redis_user (a Redis 6 ACL user) or as the default
  // user. The password is read from redis_password_file at start-up, never
  // from the environment (which /proc shows to the same user).
  std::string redis_user;
  std::string redis_password_file;
  std::string redis_password;
  // Redis Sentinel (redis/sentinel.hpp): with sentinels set, every
  // connection asks them where the master named redis_master_name is, and
  // redis_host/port/socket are not used. The sentinels' own password
  // (requirepass of sentinel.conf) is read from redis_sentinel_password_file.
  struct HostPort {
    std::string host;
    int port = 0;
  };
  std::vector<HostPort> redis_sentinels;
  std::string redis_master_name;
  std::string redis_sentinel_password_file;
  std::string redis_sentinel_password;
  // Before a mutation's response acknowledges it, WAIT until this many
  // replicas have it (api/replication.hpp); 0: no wait.
  int redis_wait_replicas = 0;
  int redis_wait_timeout_ms = 1000;

  // SQL store: a SQLite file path.
  std::string sqlite_path = "palabre.db";
  // SQL store on PostgreSQL instead, when set: a libpq URI
  // (postgresql://user@host:port/db?...), without a password
  // (store::open, docs/OPERATIONS.md).
  std::string database_url;

  // Mount point as seen by browsers ("/" or "/palabre/"); the nginx snippet
  // also passes it per request as PALABRE_PREFIX, which wins.
  std::string prefix = "/";
  // Public base URL of the mount point (e.g. "https://ville.example/palabre/"):
  // every absolute URL Palabre writes (event url, invite links, calendars,
  // transcripts) starts with it; no client header (Host, X-Forwarded-*) is
  // ever used for them. Empty: built from what nginx's own configuration
  // says (scheme, server_name, port), never from the request's headers.
  std::string public_url;
  // This machine's name in metrics labels and in the per-host sum of open
  // streams (ops/board.hpp). Empty: the system's host name. Set it when
  // several hosts share one name (containers, network namespaces).
  std::string host_name;

  size_t max_text_chars = 2000;
  size_t max_body_bytes = 64 * 1024;
  int questions_per_window = 10;  // per visitor and event
  int question_window_s = 60;
  // Per network address and event, whatever the cookies: generous enough
  // for a school class or a town hall's public Wi-Fi behind one address.
  int joins_per_address = 60;
  int questions_per_address = 120;
  int address_window_s = 60;
  int ping_interval_s = 15;
  int longpoll_timeout_s = 25;
  size_t stream_backlog_bytes = 256 * 1024;  // per parked stream
  size_t history_max_entries = 10000;        // Redis stream MAXLEN (exact), and each hub copy's
  int visitor_session_days = 30;
  // Pending and rejected questions, the staff and guest feeds and the
  // texts in the audit log's details are deleted this long after a debate
  // closed (schedule/purge.hpp, docs/PRIVACY.md), checked every
  // purge_interval_s.
  int retention_days = 30;
  int purge_interval_s = 60;
  // The organiser's logo (api/logo.cpp): fetched once over https with
  // these limits; logo_ca_file (PALABRE_LOGO_CA_FILE) replaces the system's
  // CAs for that fetch (a private CA; the tests' self-signed server).
  int logo_timeout_ms = 5000;
  int logo_max_bytes = 512 * 1024;
  std::string logo_ca_file;
  // E-mail reminders (mail/outbox.hpp, api/reminders.cpp), sent with
  // libcurl. smtp_url ("smtp://host:port", "smtps://host:port") empty: no
  // mail at all, and POST /api/events/{id}/reminders answers 503
  // mail_unavailable. The credentials come from a file (never the
  // environment, which /proc shows to the same user): "user:password" on one
  // line, or the user and the password on two; read at start-up. With
  // credentials a smtp:// server must offer STARTTLS.
  std::string smtp_url;
  std::string smtp_from;  // the mails' From address
  std::string smtp_credentials_file;
  std::string smtp_user;
  std::string smtp_password;
  int smtp_timeout_ms = 20000;  // one whole SMTP exchange
  // The first wait after a temporary failure (4xx, no connection, timeout),
  // doubled at each attempt, at most an hour; given up after 8 attempts.
  int smtp_retry_s = 60;
  // The reminder goes out this long before the debate starts.
  int reminder_lead_s = 1800;
  int staff_session_hours = 24;  // legacy: sets staff_absolute_s when given
  // Staff sessions (api/auth.cpp): ended after this long without a request,
  // and this long after sign-in whatever the use.
  int staff_idle_s = 2 * 3600;
  int staff_absolute_s = 12 * 3600;
  // Invites without their own expiry stop working this long after their
  // debate's late-question window ends.
  int invite_grace_s = 0;
  // argon2id hashes at once per worker process, requests allowed to wait for
  // one, and for how long, before 503 busy (auth/password_gate.hpp).
  int password_hashes = 1;
  int password_queue = 1;
  int password_wait_ms = 300;
  bool secure_cookies = false;  // set when nginx terminates TLS
  // Client addresses are kept only as HMACs under a key that Redis forgets
  // after this long (api/client_address.hpp).
  int address_key_rotation_s = 24 * 3600;
  std::string log_level = "info";
  // Test builds only (core/test_clock.hpp): the file holding the offset the
  // tests move the clock by. Ignored by production builds.
  std::string test_clock_file;
};

// Reads every setting from `settings`; throws std::runtime_error on a
// malformed value. Call settings.reject_unknown() after it: only then does
// it know every name.
Config config_from(const Settings& settings);

// The environment over the given configuration files, in order.
Settings settings_from(const std::vector<std::string>& config_files);

// The environment alone, unknown names refused (tests, tools).
Config config_from_env();

// The door's socket next to a worker's unix socket: "/run/palabre/w-1.sock"
// → "/run/palabre/w-1-streams.sock" (any other name gets "-streams"). The
// same rule is in nginx/render, which finds the doors from the workers'
// sockets. A TCP address gets the next port: "10.0.0.5:9000" → "10.0.0.5:9001".
std::string stream_socket_for(const std::string& listen);

}  // namespace palabre
