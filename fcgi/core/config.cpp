#include "core/config.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace palabre {
namespace {
// The settings config_from is reading. One parse at a time per thread (the
// main thread at start and on SIGHUP; palabre-admin; the tests), and the
// read_* helpers below stay one line per setting.
thread_local const Settings* current_settings = nullptr;

const char* env(const char* name) { return current_settings->find(name); }

void read_string(const char* name, std::string& out) {
  if (const char* v = env(name)) out = v;
}

template <typename Int>
void read_int(const char* name, Int& out, long long min, long long max) {
  const char* v = env(name);
  if (!v) return;
  char* end = nullptr;
  long long n = std::strtoll(v, &end, 10);
  if (*end != '\0' || n < min || n > max)
    throw std::runtime_error(std::string(name) + " must be an integer in [" +
                             std::to_string(min) + ", " + std::to_string(max) + "]");
  out = static_cast<Int>(n);
}

void read_bool(const char* name, bool& out) {
  if (const char* v = env(name)) {
    std::string_view s(v);
    out = (s == "1" || s == "true" || s == "yes" || s == "on");
  }
}

// What a mail header may carry unquoted: no spaces, brackets or line breaks.
bool plain_address(std::string_view s) {
  size_t at = s.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= s.size() || s.size() > 254) return false;
  for (unsigned char ch : s)
    if (ch <= ' ' || ch >= 0x7f || ch == '<' || ch == '>' || ch == '"' || ch == ',' || ch == ';') return false;
  return true;
}

void read_smtp_credentials(Config& c) {
  std::ifstream in(c.smtp_credentials_file);
  if (!in) throw std::runtime_error("PALABRE_SMTP_CREDENTIALS_FILE cannot be read: " + c.smtp_credentials_file);
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  for (std::string* line : {&first, &second})
    while (!line->empty() && (line->back() == '\r' || line->back() == '\n')) line->pop_back();
  size_t colon = first.find(':');
  if (second.empty() && colon != std::string::npos) {
    c.smtp_user = first.substr(0, colon);
    c.smtp_password = first.substr(colon + 1);
  } else {
    c.smtp_user = first;
    c.smtp_password = second;
  }
  if (c.smtp_user.empty() || c.smtp_password.empty())
    throw std::runtime_error("PALABRE_SMTP_CREDENTIALS_FILE must hold user:password, or the user and the password on two lines");
}

// The first line of a secret's file, without its line break.
std::string read_secret_file(const char* setting, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string(setting) + " cannot be read: " + path);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.empty()) throw std::runtime_error(std::string(setting) + " holds no password on its first line: " + path);
  return line;
}

// "host:port,host:port" (an IPv6 address in brackets: "[::1]:26379").
std::vector<Config::HostPort> parse_sentinels(const std::string& list) {
  std::vector<Config::HostPort> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    size_t colon = item.rfind(':');
    char* end = nullptr;
    long port = colon == std::string::npos ? 0 : std::strtol(item.c_str() + colon + 1, &end, 10);
    if (colon == 0 || colon == std::string::npos || !end || *end != '\0' || port < 1 || port > 65535)
      throw std::runtime_error("PALABRE_REDIS_SENTINELS must be a comma-separated list of host:port, not \"" + item + "\"");
    std::string host = item.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    out.push_back({host, static_cast<int>(port)});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

void read_redis_access(Config& c) {
  read_string("PALABRE_REDIS_USER", c.redis_user);
  read_string("PALABRE_REDIS_PASSWORD_FILE", c.redis_password_file);
  std::string sentinels;
  read_string("PALABRE_REDIS_SENTINELS", sentinels);
  read_string("PALABRE_REDIS_MASTER_NAME", c.redis_master_name);
  read_string("PALABRE_REDIS_SENTINEL_PASSWORD_FILE", c.redis_sentinel_password_file);
  read_int("PALABRE_REDIS_WAIT_REPLICAS", c.redis_wait_replicas, 0, 16);
  read_int("PALABRE_REDIS_WAIT_TIMEOUT_MS", c.redis_wait_timeout_ms, 10, 60000);
  if (!c.redis_password_file.empty())
    c.redis_password = read_secret_file("PALABRE_REDIS_PASSWORD_FILE", c.redis_password_file);
  if (!c.redis_user.empty() && c.redis_password.empty())
    throw std::runtime_error("PALABRE_REDIS_USER needs PALABRE_REDIS_PASSWORD_FILE");
  if (!c.redis_sentinel_password_file.empty())
    c.redis_sentinel_password = read_secret_file("PALABRE_REDIS_SENTINEL_PASSWORD_FILE", c.redis_sentinel_password_file);
  if (c.redis_wait_replicas > 0 && c.redis_wait_timeout_ms >= c.redis_timeout_ms)
    throw std::runtime_error("PALABRE_REDIS_WAIT_TIMEOUT_MS must be below PALABRE_REDIS_TIMEOUT_MS");
  if (!sentinels.empty()) c.redis_sentinels = parse_sentinels(sentinels);
  if (c.redis_sentinels.empty() != c.redis_master_name.empty())
    throw std::runtime_error("PALABRE_REDIS_SENTINELS and PALABRE_REDIS_MASTER_NAME go together");
}

void read_smtp(Config& c) {
  read_string("PALABRE_SMTP_URL", c.smtp_url);
  read_string("PALABRE_SMTP_FROM", c.smtp_from);
  read_string("PALABRE_SMTP_CREDENTIALS_FILE", c.smtp_credentials_file);
  read_int("PALABRE_SMTP_TIMEOUT_MS", c.smtp_timeout_ms, 1000, 600000);
  read_int("PALABRE_SMTP_RETRY_S", c.smtp_retry_s, 1, 86400);
  read_int("PALABRE_REMINDER_LEAD_S", c.reminder_lead_s, 0, 30 * 86400);
  if (c.smtp_url.empty()) return;
  if (c.smtp_url.rfind("smtp://", 0) != 0 && c.smtp_url.rfind("smtps://", 0) != 0)
    throw std::runtime_error("PALABRE_SMTP_URL must start with smtp:// or smtps://");
  if (!plain_address(c.smtp_from))
    throw std::runtime_error("PALABRE_SMTP_FROM must be an address such as palabre@ville.example when PALABRE_SMTP_URL is set");
  if (!c.smtp_credentials_file.empty()) read_smtp_credentials(c);
}
}  // namespace

Config config_from(const Settings& settings) {
  struct Reading {
    explicit Reading(const Settings& s) { current_settings = &s; }
    ~Reading() { current_settings = nullptr; }
  } reading(settings);
  Config c;
  read_string("PALABRE_LISTEN", c.listen);
  read_string("PALABRE_SOCKET_GROUP", c.socket_group);
  read_int("PALABRE_FCGI_READ_TIMEOUT_S", c.fcgi_read_timeout_s, 1, 3600);
  read_int("PALABRE_LISTEN_BACKLOG", c.listen_backlog, 16, 65535);
  read_int("PALABRE_ACCEPT_THREADS", c.accept_threads, 1, 6);
  read_string("PALABRE_STREAM_LISTEN", c.stream_listen);
  if (c.stream_listen.empty()) c.stream_listen = stream_socket_for(c.listen);
  if (c.stream_listen == "off") c.stream_listen.clear();
  read_int("PALABRE_DOOR_THREADS", c.door_threads, 1, 8);
  read_string("PALABRE_REDIS_HOST", c.redis_host);
  read_int("PALABRE_REDIS_PORT", c.redis_port, 1, 65535);
  read_string("PALABRE_REDIS_SOCKET", c.redis_socket);
  read_int("PALABRE_REDIS_DB", c.redis_db, 0, 1024);
  read_int("PALABRE_REDIS_TIMEOUT_MS", c.redis_timeout_ms, 50, 60000);
  read_int("PALABRE_PUBSUB_PROBE_MS", c.pubsub_probe_ms, 250, 600000);
  read_redis_access(c);
  read_string("PALABRE_SQLITE_PATH", c.sqlite_path);
  read_string("PALABRE_HOST_NAME", c.host_name);
  read_string("PALABRE_DATABASE_URL", c.database_url);
  read_string("PALABRE_PREFIX", c.prefix);
  if (c.prefix.empty() || c.prefix.front() != '/') c.prefix.insert(c.prefix.begin(), '/');
  if (c.prefix.back() != '/') c.prefix.push_back('/');
  read_string("PALABRE_PUBLIC_URL", c.public_url);
  if (!c.public_url.empty()) {
    if (c.public_url.rfind("https://", 0) != 0 && c.public_url.rfind("http://", 0) != 0)
      throw std::runtime_error("PALABRE_PUBLIC_URL must start with https:// or http://");
    if (c.public_url.find_first_of(" \t\r\n\"'<>") != std::string::npos)
      throw std::runtime_error("PALABRE_PUBLIC_URL may not contain spaces, quotes or angle brackets");
    if (c.public_url.back() != '/') c.public_url.push_back('/');
  }
  read_int("PALABRE_MAX_TEXT_CHARS", c.max_text_chars, 1, 100000);
  read_int("PALABRE_MAX_BODY_BYTES", c.max_body_bytes, 1024, 16 * 1024 * 1024);
  read_int("PALABRE_QUESTIONS_PER_WINDOW", c.questions_per_window, 1, 100000);
  read_int("PALABRE_QUESTION_WINDOW_S", c.question_window_s, 1, 86400);
  read_int("PALABRE_JOINS_PER_ADDRESS", c.joins_per_address, 1, 1000000);
  read_int("PALABRE_QUESTIONS_PER_ADDRESS", c.questions_per_address, 1, 1000000);
  read_int("PALABRE_ADDRESS_WINDOW_S", c.address_window_s, 1, 86400);
  read_int("PALABRE_PING_INTERVAL_S", c.ping_interval_s, 1, 20);
  read_int("PALABRE_LONGPOLL_TIMEOUT_S", c.longpoll_timeout_s, 1, 55);
  read_int("PALABRE_STREAM_BACKLOG_BYTES", c.stream_backlog_bytes, 4096, 64 * 1024 * 1024);
  read_int("PALABRE_HISTORY_MAX_ENTRIES", c.history_max_entries, 10, 10000000);
  read_int("PALABRE_VISITOR_SESSION_DAYS", c.visitor_session_days, 1, 365);
  read_int("PALABRE_RETENTION_DAYS", c.retention_days, 1, 3650);
  read_int("PALABRE_PURGE_INTERVAL_S", c.purge_interval_s, 1, 86400);
  read_int("PALABRE_LOGO_TIMEOUT_MS", c.logo_timeout_ms, 100, 60000);
  read_int("PALABRE_LOGO_MAX_BYTES", c.logo_max_bytes, 1024, 8 * 1024 * 1024);
  read_string("PALABRE_LOGO_CA_FILE", c.logo_ca_file);
  read_int("PALABRE_STAFF_SESSION_HOURS", c.staff_session_hours, 1, 24 * 30);
  if (env("PALABRE_STAFF_SESSION_HOURS")) c.staff_absolute_s = c.staff_session_hours * 3600;
  read_int("PALABRE_STAFF_IDLE_S", c.staff_idle_s, 2, 30 * 86400);
  read_int("PALABRE_STAFF_ABSOLUTE_S", c.staff_absolute_s, 2, 30 * 86400);
  read_int("PALABRE_INVITE_GRACE_S", c.invite_grace_s, 0, 365 * 86400);
  read_int("PALABRE_PASSWORD_HASHES", c.password_hashes, 1, 64);
  read_int("PALABRE_PASSWORD_QUEUE", c.password_queue, 0, 64);
  read_int("PALABRE_PASSWORD_WAIT_MS", c.password_wait_ms, 0, 10000);
  read_bool("PALABRE_SECURE_COOKIES", c.secure_cookies);
  read_int("PALABRE_ADDRESS_KEY_ROTATION_S", c.address_key_rotation_s, 60, 30 * 24 * 3600);
  read_string("PALABRE_LOG_LEVEL", c.log_level);
  if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" && c.log_level != "error")
    throw std::runtime_error("PALABRE_LOG_LEVEL must be debug, info, warn or error");
  read_string("PALABRE_TEST_CLOCK_FILE", c.test_clock_file);
  read_smtp(c);
  return c;
}

Settings settings_from(const std::vector<std::string>& config_files) {
  Settings settings = Settings::from_environment();
  for (const auto& file : config_files) settings.add_file(file);
  return settings;
}

Config config_from_env() {
  Settings settings = Settings::from_environment();
  Config c = config_from(settings);
  settings.reject_unknown();
  return c;
}

std::string stream_socket_for(const std::string& listen) {
  if (listen.empty()) return "";
  if (listen.front() != '/') {
    // "host:port" or ":port": the next port.
    size_t colon = listen.rfind(':');
    if (colon == std::string::npos) return "";
    int port = std::atoi(listen.c_str() + colon + 1);
    if (port <= 0 || port >= 65535) return "";
    return listen.substr(0, colon + 1) + std::to_string(port + 1);
  }
  static constexpr std::string_view kSock = ".sock";
  std::string_view base(listen);
  if (base.size() > kSock.size() && base.substr(base.size() - kSock.size()) == kSock) {
    base.remove_suffix(kSock.size());
    return std::string(base) + "-streams.sock";
  }
  return listen + "-streams";
}

}  // namespace palabre
