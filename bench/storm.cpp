// storm — a reconnect storm against one Server-Sent Events URL, for bench/run.
//
// N subscribers follow one stream the way Palabre's pages do
// (static/assets/js/stream.js): each keeps the id of the last event it
// received and, whenever its stream ends or a connection fails, opens a new
// one after a full-jitter back-off (static/assets/js/backoff.js), sending
// that id as Last-Event-ID (or ?last_event_id=, --resume query, as the page
// itself does). The server's "retry:" is ignored, as the page ignores it.
// Every subscriber records the messages it receives (their data carries
// ts=<CLOCK_MONOTONIC ns> seq=<n>, as ssefan's do), so that the run can say
// whether each one got every published message exactly once.
//
// The back-off, exactly as stream.js fail() and backoff.js fullJitter():
//   delay   = max(floor, round(random() * min(max, base * 2^attempt)))
//   attempt = min(attempt + 1, 16) after each failure or end of stream;
//   attempt = 0 once a connection has stayed open --stable-ms (5 s).
// "Open" is what EventSource calls open: a 200 with a text/event-stream
// Content-Type. Anything else (refused, reset, another status, closed
// before the headers, no headers within --connect-timeout-ms) is a failed
// connection and backs off the same way. Reconnections are not paced
// beyond that (browsers are not); only the first connections are
// (--window handshakes in flight), to set the stage.
//
// One run, as bench/run drives it (lines on stdout, progress on stderr):
//   1. connect N; print "connected K" (K subscribers open);
//   2. once all are open, publish --pre-publishes messages --interval-ms
//      apart; once every subscriber has them, print "ready K". The driver
//      then drops the streams (kills workers, reloads or restarts nginx),
//      sending SIGUSR1 to this process just before, to mark the moment;
//   3. the first stream that ends after "ready" is "the drop" (print
//      "dropped"); --storm-publishes more messages go out --interval-ms
//      apart from one interval after it, so that a subscriber that is away
//      can only catch up through its cursor. A publish that fails (server
//      down: no answer, 5xx, 409/429) is retried every 100 ms with the same
//      body and, with --pub-idempotency, the same Idempotency-Key;
//   4. once every subscriber is open again and holds every message
//      published, print "caught_up <ms since the drop>" (or "gave_up <ms>"
//      after --storm-timeout-ms); wait --linger-ms for late duplicates;
//      print one JSON line and exit (0 when every subscriber caught up with
//      nothing missing or doubled, 1 otherwise, 2 on usage).
//
// Measured (JSON): "caught_up_ms" = time from the drop until the last
// subscriber was caught up, where a dropped subscriber is caught up at
// max(the moment its last stream opened, the arrival of every message whose
// publish was answered 2xx before that moment); messages published later
// reach it live and count only for losses. "reconnect_ms" = its own drop to
// that open, per dropped subscriber; "reconnect_attempts" and
// "connect_failures" count connections tried and failed after the drop;
// "never_came_back" = dropped and not open at the end; "missing" and
// "duplicates" are per subscriber and message, over all published messages
// (duplicates as received on the wire: the page would drop them, but a
// server that resumes exactly sends none).
//
// Processes: the parent publishes and coordinates; subscribers run in
// children (one epoll loop each), as many as RLIMIT_NOFILE's hard limit
// requires (each child raises its soft limit to the hard one; 20,000 here,
// so one child per ~19,900 subscribers, or --procs). Source addresses are
// spread over --src-ips addresses from --src-first (default one per 8,000
// subscribers), each socket bound with IP_BIND_ADDRESS_NO_PORT so that each
// address has its own ephemeral ports. A subscriber keeps its address.
//
// Build: g++ -O2 -std=c++17 -o storm storm.cpp   (bench/run does it)
//
// Options
//   --url URL               subscriber URL (http://IPv4:port/path)
//   -n N                    subscribers (default 1000)
//   --resume header|query   how the cursor goes back (default header:
//                           Last-Event-ID; query: ?last_event_id=)
//   --src-first IP, --src-ips K, --window W (256), --procs P
//   --connect-timeout-ms T  a connection without headers after T ms has
//                           failed (default 30000)
//   --backoff-base/--backoff-max/--backoff-floor/--stable-ms   (1000, 30000,
//                           250, 5000: the page's)
//   --pub-url URL, --pub-header 'K: V' (repeatable), --pub-content-type T,
//   --pub-body TEMPLATE ({ts}, {seq}; default 'ts={ts} seq={seq}'),
//   --pub-idempotency       add Idempotency-Key: storm-<run>-<seq>
//   --pub-timeout-ms T      (5000)
//   --pre-publishes M (5), --storm-publishes M (5), --interval-ms I (250),
//   --settle-ms S (1000)
//   --setup-timeout-ms T    to connect everyone and deliver the first
//                           messages (default 180000)
//   --drop-timeout-ms T     from "ready" to the first stream ending (60000)
//   --storm-timeout-ms T    from the drop to giving up (120000)
//   --linger-ms L           after caught up (1000)
//   --quiet                 no progress on stderr

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <queue>
#include <random>
#include <string>
#include <vector>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace {

using i64 = int64_t;
constexpr i64 kMs = 1000000;

i64 now_ns() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return i64(t.tv_sec) * 1000000000LL + t.tv_nsec;
}

bool g_quiet = false;
#define LOG(...)                               \
  do {                                         \
    if (!g_quiet) {                            \
      fprintf(stderr, "storm: " __VA_ARGS__);  \
      fputc('\n', stderr);                     \
    }                                          \
  } while (0)

// Set by SIGUSR1: the driver is about to drop the streams.
volatile sig_atomic_t g_signalled = 0;
i64 g_signal_ns = 0;
void on_usr1(int) {
  if (!g_signalled) {
    timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);  // async-signal-safe
    g_signal_ns = i64(t.tv_sec) * 1000000000LL + t.tv_nsec;
    g_signalled = 1;
  }
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// ---------------------------------------------------------------- options

struct Url {
  std::string host = "127.0.0.1";
  int port = 80;
  std::string path = "/";
};

bool parse_url(const std::string& s, Url& u) {
  const std::string scheme = "http://";
  if (s.compare(0, scheme.size(), scheme) != 0) return false;
  std::string rest = s.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string hp = rest.substr(0, slash);
  u.path = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = hp.rfind(':');
  u.host = colon == std::string::npos ? hp : hp.substr(0, colon);
  u.port = colon == std::string::npos ? 80 : atoi(hp.c_str() + colon + 1);
  if (u.host == "localhost") u.host = "127.0.0.1";
  in_addr probe;
  return inet_pton(AF_INET, u.host.c_str(), &probe) == 1 && u.port > 0 && u.port < 65536;
}

struct Options {
  Url sub;
  int n = 1000;
  bool resume_query = false;
  std::string src_first = "127.0.0.2";
  int src_ips = 0, window = 256, procs = 0;
  int connect_timeout_ms = 30000;
  int backoff_base = 1000, backoff_max = 30000, backoff_floor = 250, stable_ms = 5000;
  Url pub;
  bool have_pub = false, pub_idempotency = false;
  std::vector<std::string> pub_headers;
  std::string pub_ctype = "text/plain", pub_body = "ts={ts} seq={seq}";
  int pub_timeout_ms = 5000;
  int pre_publishes = 5, storm_publishes = 5, interval_ms = 250, settle_ms = 1000;
  int setup_timeout_ms = 180000, drop_timeout_ms = 60000, storm_timeout_ms = 120000;
  int linger_ms = 1000;
};

[[noreturn]] void usage(const std::string& msg) {
  fprintf(stderr, "storm: %s\n(the options are listed at the top of bench/storm.cpp)\n", msg.c_str());
  exit(2);
}

Options parse_args(int argc, char** argv) {
  Options o;
  bool have_url = false;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) usage("missing value for " + a);
      return argv[++i];
    };
    auto ival = [&]() { return atoi(val().c_str()); };
    if (a == "--url") {
      if (!parse_url(val(), o.sub)) usage("bad --url (http://IPv4:port/path)");
      have_url = true;
    } else if (a == "-n" || a == "--clients") o.n = ival();
    else if (a == "--resume") {
      std::string m = val();
      if (m != "header" && m != "query") usage("--resume is header or query");
      o.resume_query = m == "query";
    } else if (a == "--src-first") o.src_first = val();
    else if (a == "--src-ips") o.src_ips = ival();
    else if (a == "--window") o.window = ival();
    else if (a == "--procs") o.procs = ival();
    else if (a == "--connect-timeout-ms") o.connect_timeout_ms = ival();
    else if (a == "--backoff-base") o.backoff_base = ival();
    else if (a == "--backoff-max") o.backoff_max = ival();
    else if (a == "--backoff-floor") o.backoff_floor = ival();
    else if (a == "--stable-ms") o.stable_ms = ival();
    else if (a == "--pub-url") {
      if (!parse_url(val(), o.pub)) usage("bad --pub-url (http://IPv4:port/path)");
      o.have_pub = true;
    } else if (a == "--pub-header") o.pub_headers.push_back(val());
    else if (a == "--pub-content-type") o.pub_ctype = val();
    else if (a == "--pub-body") o.pub_body = val();
    else if (a == "--pub-idempotency") o.pub_idempotency = true;
    else if (a == "--pub-timeout-ms") o.pub_timeout_ms = ival();
    else if (a == "--pre-publishes") o.pre_publishes = ival();
    else if (a == "--storm-publishes") o.storm_publishes = ival();
    else if (a == "--interval-ms") o.interval_ms = ival();
    else if (a == "--settle-ms") o.settle_ms = ival();
    else if (a == "--setup-timeout-ms") o.setup_timeout_ms = ival();
    else if (a == "--drop-timeout-ms") o.drop_timeout_ms = ival();
    else if (a == "--storm-timeout-ms") o.storm_timeout_ms = ival();
    else if (a == "--linger-ms") o.linger_ms = ival();
    else if (a == "--quiet") g_quiet = true;
    else if (a == "-h" || a == "--help") usage("help");
    else usage("unknown option " + a);
  }
  if (!have_url) usage("--url is required");
  if (!o.have_pub) usage("--pub-url is required");
  if (o.n < 1) usage("-n must be >= 1");
  if (o.pre_publishes < 1) usage("--pre-publishes must be >= 1 (the subscribers need a cursor)");
  if (o.window < 1) o.window = 1;
  if (o.src_ips <= 0) o.src_ips = std::max(1, (o.n + 7999) / 8000);
  return o;
}

// ---------------------------------------------------------------- HTTP responses

// Incremental reader of one HTTP/1.1 response: head, then a body framed by
// Content-Length, chunked encoding, or the connection's end (Palabre's SSE
// streams: no chunks). The body goes to the caller de-chunked.
struct ResponseReader {
  enum St : uint8_t { kHead, kLength, kChunkSize, kChunkData, kChunkCrlf, kTrailer, kUntilClose, kDone, kBad };
  St st = kHead;
  bool chunked = false, close = false;
  int status = 0;
  i64 remaining = 0;
  std::string head;  // the head, then the current chunk-size or trailer line
  std::string content_type;

  void reset() {
    st = kHead;
    chunked = close = false;
    status = 0;
    remaining = 0;
    head.clear();
    content_type.clear();
  }

  // Returns the bytes used; returns early right after the head (so that
  // the caller can look at it before any body byte), at kDone and at kBad.
  template <class F>
  size_t feed(const char* d, size_t n, F&& on_body) {
    size_t i = 0;
    while (i < n && st != kDone && st != kBad) {
      switch (st) {
        case kHead: {
          size_t old = head.size();
          head.append(d + i, n - i);
          size_t end = head.find("\r\n\r\n", old >= 3 ? old - 3 : 0);
          if (end == std::string::npos) {
            if (head.size() > 65536) st = kBad;
            return n;
          }
          i += end + 4 - old;
          head.resize(end + 2);
          if (!parse_head()) {
            st = kBad;
            return i;
          }
          head.clear();
          if ((status >= 100 && status < 200) || status == 204 || status == 304) st = kDone;
          else if (chunked) st = kChunkSize;
          else if (remaining >= 0 && has_length_) st = remaining > 0 ? kLength : kDone;
          else st = kUntilClose;
          return i;
        }
        case kLength: {
          size_t k = size_t(std::min<i64>(remaining, i64(n - i)));
          on_body(d + i, k);
          i += k;
          remaining -= i64(k);
          if (remaining == 0) st = kDone;
          break;
        }
        case kUntilClose:
          on_body(d + i, n - i);
          i = n;
          break;
        case kChunkSize:
        case kTrailer: {
          char c = d[i++];
          if (c != '\n') {
            if (head.size() < 1024) head.push_back(c);
            else st = kBad;
            break;
          }
          std::string line = trim(head);
          head.clear();
          if (st == kTrailer) {
            if (line.empty()) st = kDone;
            break;
          }
          if (line.empty()) break;
          remaining = strtoll(line.c_str(), nullptr, 16);
          st = remaining > 0 ? kChunkData : kTrailer;
          break;
        }
        case kChunkData: {
          size_t k = size_t(std::min<i64>(remaining, i64(n - i)));
          on_body(d + i, k);
          i += k;
          remaining -= i64(k);
          if (remaining == 0) st = kChunkCrlf;
          break;
        }
        case kChunkCrlf:
          if (d[i++] == '\n') st = kChunkSize;
          break;
        default:
          break;
      }
    }
    return i;
  }

 private:
  bool has_length_ = false;

  bool parse_head() {
    has_length_ = false;
    size_t eol = head.find("\r\n");
    std::string first = head.substr(0, eol);
    if (first.compare(0, 5, "HTTP/") != 0) return false;
    size_t sp = first.find(' ');
    if (sp == std::string::npos) return false;
    status = atoi(first.c_str() + sp + 1);
    close = first.compare(0, 8, "HTTP/1.0") == 0;
    for (size_t p = eol + 2; p < head.size();) {
      size_t e = head.find("\r\n", p);
      if (e == std::string::npos) e = head.size();
      std::string line = head.substr(p, e - p);
      p = e + 2;
      size_t c = line.find(':');
      if (c == std::string::npos) continue;
      std::string name = lower(trim(line.substr(0, c))), value = trim(line.substr(c + 1));
      if (name == "transfer-encoding" && lower(value).find("chunked") != std::string::npos) chunked = true;
      if (name == "content-length") remaining = atoll(value.c_str()), has_length_ = true;
      if (name == "content-type") content_type = lower(value);
      if (name == "connection") {
        std::string lv = lower(value);
        if (lv.find("close") != std::string::npos) close = true;
        if (lv.find("keep-alive") != std::string::npos) close = false;
      }
    }
    return status > 0;
  }
};

// ---------------------------------------------------------------- Server-Sent Events

// The event stream interpretation of the HTML standard, reduced to what a
// page sees: lines ending in LF (a CR before it is dropped), comments,
// "event", "data" and "id" fields. The id buffer outlives each event, as in
// EventSource; an event whose data is empty is not dispatched; an event cut
// by the end of the connection is never dispatched.
struct SseParser {
  std::string line, type, data, id;
  bool has_data = false;

  template <class F>
  void feed(const char* p, size_t n, F&& on_event) {
    for (size_t i = 0; i < n; i++) {
      char c = p[i];
      if (c != '\n') {
        if (line.size() < 1 << 20) line.push_back(c);
        continue;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) {
        if (has_data) {
          if (!data.empty() && data.back() == '\n') data.pop_back();
          on_event(type, data, id);
        }
        type.clear();
        data.clear();
        has_data = false;
      } else if (line[0] != ':') {
        size_t colon = line.find(':');
        std::string field = line.substr(0, colon), value;
        if (colon != std::string::npos) {
          size_t v = colon + 1;
          if (v < line.size() && line[v] == ' ') v++;
          value = line.substr(v);
        }
        if (field == "event") type = value;
        else if (field == "data") data += value, data += '\n', has_data = true;
        else if (field == "id" && value.find('\0') == std::string::npos) id = value;
        // "retry" is ignored, as the pages ignore it.
      }
      line.clear();
    }
  }
};

// The number after `key` (e.g. "ts=") where key is not preceded by a
// letter or digit; -1 when absent.
i64 marker(const std::string& s, const char* key) {
  size_t k = strlen(key);
  for (size_t p = s.find(key); p != std::string::npos; p = s.find(key, p + 1)) {
    if (p > 0 && isalnum(static_cast<unsigned char>(s[p - 1]))) continue;
    size_t q = p + k;
    i64 v = 0;
    int nd = 0;
    while (q < s.size() && s[q] >= '0' && s[q] <= '9' && nd < 19) v = v * 10 + (s[q++] - '0'), nd++;
    if (nd > 0) return v;
  }
  return -1;
}

uint64_t fnv1a64(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string r;
  for (unsigned char ch : s) {
    if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') r.push_back(char(ch));
    else r += '%', r += hex[ch >> 4], r += hex[ch & 15];
  }
  return r;
}

// ---------------------------------------------------------------- parent <-> child messages

// Each message: uint32 type, uint32 payload length, payload (POD structs).
enum Msg : uint32_t {
  kConnected = 1,  // child -> parent: every subscriber had its first try (Status)
  kStatus = 2,     // child -> parent: Status, when it changes (at most every 20 ms)
  kReadyAck = 3,   // child -> parent: READY seen; drops count from now
  kResult = 4,     // child -> parent: ChildTotals + one SubResult per subscriber
  kPublished = 10, // parent -> child: Published
  kReady = 11,     // parent -> child
  kStop = 12,      // parent -> child
};

struct Status {
  i64 n_subs = 0, n_open = 0, n_current = 0, n_dropped = 0, first_drop_ns = 0, pub_count = 0;
};

struct Published {
  i64 ts = 0, done_ns = 0;  // the body's ts (first try), and when its 2xx came
  int32_t seq = 0, pad = 0;
};

struct ChildTotals {
  i64 n_subs = 0, t_first = 0, t_all_open = 0;
  i64 initial_failures = 0, early_drops = 0, second_drops = 0;
  i64 attempts_after_drop = 0, failures_after_drop = 0;
  i64 f_refused = 0, f_timeout = 0, f_status = 0, f_not_sse = 0, f_closed = 0, f_reset = 0, f_addr = 0,
      f_socket = 0;
  i64 events = 0, resets = 0, stale_markers = 0, bytes = 0;
};

struct SubResult {
  i64 t_drop = 0, t_back = 0, caught_at = 0;
  int32_t have = 0, dup_same_id = 0, dup_new_id = 0, unknown = 0;
  uint8_t dropped = 0, open_at_end = 0, pad[6] = {};
};

bool write_all(int fd, const void* p, size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    c += w;
    n -= size_t(w);
  }
  return true;
}

void send_msg(int fd, uint32_t type, const void* a = nullptr, size_t na = 0, const void* b = nullptr,
              size_t nb = 0) {
  uint32_t hdr[2] = {type, uint32_t(na + nb)};
  std::string buf(reinterpret_cast<const char*>(hdr), sizeof hdr);
  if (na) buf.append(static_cast<const char*>(a), na);
  if (nb) buf.append(static_cast<const char*>(b), nb);
  write_all(fd, buf.data(), buf.size());
}

// Splits what a pipe brought into messages; calls on(type, payload, len).
template <class F>
void take_messages(std::string& buf, F&& on) {
  size_t off = 0;
  while (buf.size() - off >= 8) {
    uint32_t hdr[2];
    memcpy(hdr, buf.data() + off, 8);
    if (buf.size() - off < 8 + size_t(hdr[1])) break;
    on(hdr[0], buf.data() + off + 8, size_t(hdr[1]));
    off += 8 + size_t(hdr[1]);
  }
  buf.erase(0, off);
}

// ---------------------------------------------------------------- subscribers (child)

class Swarm {
 public:
  Swarm(const Options& o, int first, int count, int window, i64 t0, int ctl, int res)
      : o_(o), first_(first), window_(window), t0_(t0), ctl_(ctl), res_(res), subs_(size_t(count)),
        rng_(std::random_device{}() ^ uint64_t(getpid()) ^ uint64_t(t0)) {
    tot_.n_subs = count;
    dst_.sin_family = AF_INET;
    dst_.sin_port = htons(uint16_t(o.sub.port));
    inet_pton(AF_INET, o.sub.host.c_str(), &dst_.sin_addr);
    in_addr a;
    if (inet_pton(AF_INET, o.src_first.c_str(), &a) != 1) {
      fprintf(stderr, "storm: bad --src-first\n");
      _exit(2);
    }
    for (size_t i = 0; i < subs_.size(); i++)
      subs_[i].src = ntohl(a.s_addr) + uint32_t((size_t(first_) + i) % size_t(o.src_ips));
    base_req_ = "Host: " + o.sub.host + ":" + std::to_string(o.sub.port) +
                "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n";
  }

  int run() {
    ep_ = epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kCtl;
    epoll_ctl(ep_, EPOLL_CTL_ADD, ctl_, &ev);
    std::vector<epoll_event> evs(1024);
    while (!stop_) {
      i64 now = now_ns();
      launch_initial(now);
      run_timers(now);
      report(now);
      int wait_ms = 20;
      if (!timers_.empty()) {
        i64 left = timers_.top().when - now_ns();
        wait_ms = int(std::clamp<i64>((left + kMs - 1) / kMs, 0, 20));
      }
      int k = epoll_wait(ep_, evs.data(), int(evs.size()), wait_ms);
      for (int e = 0; e < k && !stop_; e++) {
        uint64_t id = evs[size_t(e)].data.u64;
        if (id == kCtl) read_ctl();
        else handle(size_t(id), evs[size_t(e)].events);
      }
    }
    finish();
    return 0;
  }

 private:
  enum State : uint8_t { kIdle, kWait, kConnecting, kWriting, kHead, kOpen };
  struct Got {
    i64 ts, at;
    uint64_t id_hash;
  };
  struct Sub {
    int fd = -1;
    State state = kIdle;
    bool initial = false;  // the first try, counted in the launch window
    bool dropped = false;
    uint32_t src = 0, gen = 0;
    int attempt = 0;
    i64 opened_at = 0, t_drop = 0, t_back = 0;
    std::string out;
    size_t out_off = 0;
    ResponseReader http;
    SseParser sse;
    std::string last_id;
    std::vector<Got> got;
    int32_t have = 0, dup_same_id = 0, dup_new_id = 0, unknown = 0;
  };
  struct Timer {
    i64 when;
    uint32_t idx, gen;
    bool operator>(const Timer& t) const { return when > t.when; }
  };
  static constexpr uint64_t kCtl = ~uint64_t(0);

  const Options& o_;
  int first_, window_;
  i64 t0_;
  int ctl_, res_, ep_ = -1;
  std::vector<Sub> subs_;
  std::mt19937_64 rng_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  sockaddr_in dst_{};
  std::string base_req_, ctl_buf_;
  std::vector<Published> pub_;
  ChildTotals tot_;
  size_t next_ = 0;
  int inflight_initial_ = 0;
  bool stop_ = false, ready_ = false, sent_connected_ = false;
  i64 first_drop_ = 0, last_report_ = 0;
  Status last_status_;

  // backoff.js fullJitter, then stream.js fail()'s attempt counter.
  i64 next_delay_ms(Sub& s) {
    double ceiling = std::min<double>(o_.backoff_max, double(o_.backoff_base) * std::ldexp(1.0, std::max(0, std::min(s.attempt, 30))));
    double r = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    i64 delay = std::max<i64>(o_.backoff_floor, i64(std::floor(r * ceiling + 0.5)));
    s.attempt = std::min(s.attempt + 1, 16);
    return delay;
  }

  void launch_initial(i64 now) {
    while (inflight_initial_ < window_ && next_ < subs_.size()) {
      size_t i = next_++;
      if (tot_.t_first == 0) tot_.t_first = now;
      subs_[i].initial = true;
      inflight_initial_++;
      try_connect(i, now);
    }
  }

  void run_timers(i64 now) {
    while (!timers_.empty() && timers_.top().when <= now) {
      Timer t = timers_.top();
      timers_.pop();
      Sub& s = subs_[t.idx];
      if (t.gen != s.gen) continue;
      if (s.state == kWait) try_connect(t.idx, now);
      else if (s.state == kConnecting || s.state == kWriting || s.state == kHead) failed(t.idx, tot_.f_timeout, now);
    }
  }

  void set_timer(size_t i, i64 when) {
    Sub& s = subs_[i];
    s.gen++;
    timers_.push({when, uint32_t(i), s.gen});
  }

  void try_connect(size_t i, i64 now) {
    Sub& s = subs_[i];
    if (s.dropped) tot_.attempts_after_drop++;
    s.http.reset();
    s.sse = SseParser();
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return failed(i, tot_.f_socket, now);
    int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    linger lg{1, 0};  // close with RST: no TIME_WAIT pile-up over thousands of reconnections
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    src.sin_addr.s_addr = htonl(s.src);
    s.fd = fd;
    s.state = kConnecting;
    if (bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) < 0) return failed(i, tot_.f_addr, now);
    int r = connect(fd, reinterpret_cast<sockaddr*>(&dst_), sizeof dst_);
    if (r < 0 && errno != EINPROGRESS) {
      int e = errno;
      return failed(i, e == ECONNREFUSED ? tot_.f_refused : e == EADDRNOTAVAIL ? tot_.f_addr : tot_.f_reset, now);
    }
    epoll_event ev{};
    ev.events = EPOLLOUT;
    ev.data.u64 = i;
    epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
    set_timer(i, now + i64(o_.connect_timeout_ms) * kMs);
  }

  void close_fd(Sub& s) {
    if (s.fd >= 0) {
      epoll_ctl(ep_, EPOLL_CTL_DEL, s.fd, nullptr);
      close(s.fd);
      s.fd = -1;
    }
  }

  void end_initial(Sub& s) {
    if (s.initial) {
      s.initial = false;
      inflight_initial_--;
    }
  }

  // A connection that never opened: back off and try again.
  void failed(size_t i, i64& counter, i64 now) {
    Sub& s = subs_[i];
    close_fd(s);
    counter++;
    if (s.initial) tot_.initial_failures++;
    end_initial(s);
    if (s.dropped) tot_.failures_after_drop++;
    s.state = kWait;
    set_timer(i, now + next_delay_ms(s) * kMs);
  }

  // An open stream ended (closed, reset, or a body that came to its end).
  void ended(size_t i, i64 now) {
    Sub& s = subs_[i];
    close_fd(s);
    if (!ready_) tot_.early_drops++;
    else if (!s.dropped) {
      s.dropped = true;
      s.t_drop = now;
      if (first_drop_ == 0 || now < first_drop_) first_drop_ = now;
    } else tot_.second_drops++;
    if (now - s.opened_at >= i64(o_.stable_ms) * kMs) s.attempt = 0;  // stream.js stableTimer fired
    s.state = kWait;
    set_timer(i, now + next_delay_ms(s) * kMs);
  }

  void opened(size_t i, i64 now) {
    Sub& s = subs_[i];
    s.state = kOpen;
    s.gen++;  // no handshake timer any more
    s.opened_at = now;
    end_initial(s);
    if (s.dropped) s.t_back = now;
  }

  std::string request(const Sub& s) const {
    std::string path = o_.sub.path;
    std::string r;
    if (!s.last_id.empty() && o_.resume_query) {
      path += path.find('?') == std::string::npos ? '?' : '&';
      path += "last_event_id=" + url_encode(s.last_id);
    }
    r = "GET " + path + " HTTP/1.1\r\n" + base_req_;
    if (!s.last_id.empty() && !o_.resume_query) r += "Last-Event-ID: " + s.last_id + "\r\n";
    r += "\r\n";
    return r;
  }

  void set_events(const Sub& s, size_t i, uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = i;
    epoll_ctl(ep_, EPOLL_CTL_MOD, s.fd, &ev);
  }

  void handle(size_t i, uint32_t events) {
    Sub& s = subs_[i];
    if (s.fd < 0) return;
    i64 now = now_ns();
    if (s.state == kConnecting) {
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) return failed(i, err == ECONNREFUSED ? tot_.f_refused : tot_.f_reset, now);
      s.out = request(s);
      s.out_off = 0;
      s.state = kWriting;
    }
    if (s.state == kWriting) {
      if (events & EPOLLERR) return failed(i, tot_.f_reset, now);
      while (s.out_off < s.out.size()) {
        ssize_t w = send(s.fd, s.out.data() + s.out_off, s.out.size() - s.out_off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return set_events(s, i, EPOLLOUT);
        if (w <= 0) return failed(i, tot_.f_reset, now);
        s.out_off += size_t(w);
      }
      s.out.clear();
      s.out.shrink_to_fit();
      s.state = kHead;
      set_events(s, i, EPOLLIN);
      return;
    }
    if (s.state == kHead || s.state == kOpen) read_some(i, now);
  }

  void read_some(size_t i, i64 now) {
    static char buf[65536];
    Sub& s = subs_[i];
    ssize_t r = recv(s.fd, buf, sizeof buf, 0);
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      return s.state == kOpen ? ended(i, now) : failed(i, tot_.f_reset, now);
    }
    if (r == 0) return s.state == kOpen ? ended(i, now) : failed(i, tot_.f_closed, now);
    tot_.bytes += r;
    size_t off = 0;
    auto on_event = [&](const std::string& type, const std::string& data, const std::string& id) {
      on_sse_event(s, type, data, id, now);
    };
    auto on_body = [&](const char* p, size_t n) { s.sse.feed(p, n, on_event); };
    while (off < size_t(r)) {
      bool in_head = s.http.st == ResponseReader::kHead;
      off += s.http.feed(buf + off, size_t(r) - off, on_body);
      if (s.http.st == ResponseReader::kBad) return s.state == kOpen ? ended(i, now) : failed(i, tot_.f_closed, now);
      if (in_head && s.http.st != ResponseReader::kHead) {
        if (s.http.status != 200) return failed(i, tot_.f_status, now);
        if (s.http.content_type.find("text/event-stream") == std::string::npos)
          return failed(i, tot_.f_not_sse, now);
        opened(i, now);
      }
      if (s.http.st == ResponseReader::kDone) return ended(i, now);  // the server ended the stream
    }
  }

  void on_sse_event(Sub& s, const std::string& type, const std::string& data, const std::string& id, i64 now) {
    tot_.events++;
    if (!id.empty()) s.last_id = id;  // stream.js: "if (id) this.lastEventId = id"
    if (type == "reset") {
      tot_.resets++;
      return;
    }
    i64 ts = marker(data, "ts=");
    if (ts < 0) return;
    if (ts < t0_ || ts > now) {
      tot_.stale_markers++;
      return;
    }
    uint64_t h = fnv1a64(id);
    for (const Got& g : s.got) {
      if (g.ts != ts) continue;
      if (g.id_hash == h) s.dup_same_id++;
      else s.dup_new_id++;
      return;
    }
    s.got.push_back({ts, now, h});
    bool known = false;
    for (const Published& p : pub_) known |= p.ts == ts;
    if (known) s.have++;
  }

  void read_ctl() {
    char buf[4096];
    ssize_t r = read(ctl_, buf, sizeof buf);
    if (r <= 0) {
      if (r < 0 && errno == EINTR) return;
      stop_ = true;  // the parent is gone
      return;
    }
    ctl_buf_.append(buf, size_t(r));
    take_messages(ctl_buf_, [&](uint32_t type, const char* p, size_t n) {
      if (type == kPublished && n == sizeof(Published)) {
        Published m;
        memcpy(&m, p, sizeof m);
        pub_.push_back(m);
        for (Sub& s : subs_)
          for (const Got& g : s.got)
            if (g.ts == m.ts) s.have++;
      } else if (type == kReady) {
        ready_ = true;
        send_msg(res_, kReadyAck);
      } else if (type == kStop) {
        stop_ = true;
      }
    });
  }

  Status status() const {
    Status st;
    st.n_subs = i64(subs_.size());
    for (const Sub& s : subs_) {
      if (s.state == kOpen) {
        st.n_open++;
        if (s.have == i64(pub_.size())) st.n_current++;
      }
      st.n_dropped += s.dropped;
    }
    st.first_drop_ns = first_drop_;
    st.pub_count = i64(pub_.size());
    return st;
  }

  void report(i64 now) {
    if (!sent_connected_ && next_ == subs_.size() && inflight_initial_ == 0) {
      sent_connected_ = true;
      tot_.t_all_open = now;
      Status st = status();
      send_msg(res_, kConnected, &st, sizeof st);
    }
    if (now - last_report_ < 20 * kMs) return;
    Status st = status();
    bool same = memcmp(&st, &last_status_, sizeof st) == 0;
    if (same && now - last_report_ < 500 * kMs) return;
    last_report_ = now;
    last_status_ = st;
    send_msg(res_, kStatus, &st, sizeof st);
  }

  void finish() {
    std::vector<SubResult> out(subs_.size());
    for (size_t i = 0; i < subs_.size(); i++) {
      Sub& s = subs_[i];
      SubResult& r = out[i];
      r.dropped = s.dropped;
      r.t_drop = s.t_drop;
      r.t_back = s.state == kOpen ? s.t_back : 0;
      r.open_at_end = s.state == kOpen;
      r.have = s.have;
      r.dup_same_id = s.dup_same_id;
      r.dup_new_id = s.dup_new_id;
      for (const Got& g : s.got) {
        bool known = false;
        for (const Published& p : pub_) known |= p.ts == g.ts;
        r.unknown += !known;
      }
      // Caught up: open, holding every message published, and at the
      // latest of its reconnection and the arrival of what was published
      // before it.
      if (s.dropped && r.t_back > 0 && s.have == i64(pub_.size())) {
        i64 at = r.t_back;
        for (const Published& p : pub_) {
          if (p.done_ns >= r.t_back) continue;
          for (const Got& g : s.got)
            if (g.ts == p.ts) at = std::max(at, g.at);
        }
        r.caught_at = at;
      }
      close_fd(s);
    }
    send_msg(res_, kResult, &tot_, sizeof tot_, out.data(), out.size() * sizeof(SubResult));
  }
};

// ---------------------------------------------------------------- publisher (parent)

// One keep-alive connection with blocking I/O bounded by --pub-timeout-ms;
// a failed request drops the connection and the next one opens another.
class Publisher {
 public:
  explicit Publisher(const Options& o) : o_(o) {}
  ~Publisher() { drop(); }

  // Returns the HTTP status, or -1 when no answer came.
  int post(const std::string& body, const std::string& extra_header) {
    if (fd_ < 0 && !open()) return -1;
    std::string req = "POST " + o_.pub.path + " HTTP/1.1\r\nHost: " + o_.pub.host + ":" +
                      std::to_string(o_.pub.port) + "\r\nContent-Type: " + o_.pub_ctype +
                      "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    for (auto& h : o_.pub_headers) req += h + "\r\n";
    if (!extra_header.empty()) req += extra_header + "\r\n";
    req += "\r\n" + body;
    if (!write_all(fd_, req.data(), req.size())) return drop(), -1;
    ResponseReader p;
    auto ignore = [](const char*, size_t) {};
    char buf[16384];
    while (p.st != ResponseReader::kDone) {
      ssize_t r = recv(fd_, buf, sizeof buf, 0);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        if (r == 0 && p.st == ResponseReader::kUntilClose) break;
        return drop(), -1;
      }
      for (size_t off = 0; off < size_t(r) && p.st != ResponseReader::kDone && p.st != ResponseReader::kBad;)
        off += p.feed(buf + off, size_t(r) - off, ignore);
      if (p.st == ResponseReader::kBad) return drop(), -1;
    }
    if (p.close || p.st != ResponseReader::kDone) drop();
    return p.status;
  }

 private:
  const Options& o_;
  int fd_ = -1;

  bool open() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return false;
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{o_.pub_timeout_ms / 1000, (o_.pub_timeout_ms % 1000) * 1000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(o_.pub.port));
    inet_pton(AF_INET, o_.pub.host.c_str(), &a.sin_addr);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) {
      drop();
      return false;
    }
    return true;
  }
  void drop() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
};

// ---------------------------------------------------------------- coordinator (parent)

struct Child {
  pid_t pid = -1;
  int ctl = -1, res = -1;
  std::string buf;
  bool eof = false, connected = false, ready_ack = false, result = false;
  Status st;
  ChildTotals tot;
  std::vector<SubResult> subs;
};

void pump(std::vector<Child>& kids, int wait_ms) {
  std::vector<pollfd> pf;
  std::vector<size_t> idx;
  for (size_t k = 0; k < kids.size(); k++)
    if (!kids[k].eof) pf.push_back({kids[k].res, POLLIN, 0}), idx.push_back(k);
  if (pf.empty()) {
    if (wait_ms > 0) usleep(useconds_t(wait_ms) * 1000);
    return;
  }
  if (poll(pf.data(), pf.size(), wait_ms) <= 0) return;
  static char buf[1 << 16];
  for (size_t j = 0; j < pf.size(); j++) {
    if (!(pf[j].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    Child& c = kids[idx[j]];
    ssize_t n = read(c.res, buf, sizeof buf);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      c.eof = true;
      continue;
    }
    c.buf.append(buf, size_t(n));
    take_messages(c.buf, [&](uint32_t type, const char* p, size_t len) {
      if ((type == kConnected || type == kStatus) && len == sizeof(Status)) {
        memcpy(&c.st, p, sizeof(Status));
        if (type == kConnected) c.connected = true;
      } else if (type == kReadyAck) {
        c.ready_ack = true;
      } else if (type == kResult && len >= sizeof(ChildTotals)) {
        memcpy(&c.tot, p, sizeof(ChildTotals));
        size_t ns = (len - sizeof(ChildTotals)) / sizeof(SubResult);
        c.subs.resize(ns);
        if (ns) memcpy(c.subs.data(), p + sizeof(ChildTotals), ns * sizeof(SubResult));
        c.result = true;
      }
    });
  }
}

// Pumps until pred() or `until`; returns pred().
template <class P>
bool wait_until(std::vector<Child>& kids, i64 until, P pred) {
  while (!pred()) {
    i64 left = until - now_ns();
    if (left <= 0) return pred();
    pump(kids, int(std::min<i64>(left / kMs + 1, 20)));
  }
  return true;
}

double pct(std::vector<i64>& v, double q) {  // nearest rank, ms; v sorted
  if (v.empty()) return -1;
  size_t k = size_t(std::ceil(q * double(v.size())));
  k = std::clamp<size_t>(k, 1, v.size());
  return double(v[k - 1]) / 1e6;
}

std::string subst(std::string s, const std::string& what, const std::string& with) {
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + with.size())) s.replace(p, what.size(), with);
  return s;
}

void say_line(const char* fmt, long long v) {  // a control line on stdout, for the driver
  printf(fmt, v);
  fputc('\n', stdout);
  fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_args(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa {};
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, nullptr);
  const i64 t0 = now_ns();

  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  getrlimit(RLIMIT_NOFILE, &rl);
  const i64 per_proc = std::max<i64>(1, i64(rl.rlim_cur) - 64);
  int procs = std::max<int>(o.procs > 0 ? o.procs : 1, int((o.n + per_proc - 1) / per_proc));
  procs = std::min(procs, o.n);
  int window = std::max(1, o.window / procs);
  LOG("%d subscribers to %s:%d%s over %d source address(es), %d process(es), nofile %llu, resume by %s",
      o.n, o.sub.host.c_str(), o.sub.port, o.sub.path.c_str(), o.src_ips, procs,
      static_cast<unsigned long long>(rl.rlim_cur), o.resume_query ? "?last_event_id=" : "Last-Event-ID");

  std::vector<Child> kids(static_cast<size_t>(procs));
  fflush(stdout);
  fflush(stderr);
  for (int k = 0; k < procs; k++) {
    int ctl[2], res[2];
    if (pipe2(ctl, O_CLOEXEC) < 0 || pipe2(res, O_CLOEXEC) < 0) {
      perror("pipe");
      return 2;
    }
    int first = int(i64(o.n) * k / procs), last = int(i64(o.n) * (k + 1) / procs);
    pid_t pid = fork();
    if (pid < 0) {
      perror("fork");
      return 2;
    }
    if (pid == 0) {
      signal(SIGUSR1, SIG_IGN);
      close(ctl[1]);
      close(res[0]);
      for (int j = 0; j < k; j++) close(kids[size_t(j)].ctl), close(kids[size_t(j)].res);
      Swarm s(o, first, last - first, window, t0, ctl[0], res[1]);
      _exit(s.run());
    }
    close(ctl[0]);
    close(res[1]);
    kids[size_t(k)].pid = pid;
    kids[size_t(k)].ctl = ctl[1];
    kids[size_t(k)].res = res[0];
  }

  auto sum = [&](i64 Status::*f) {
    i64 s = 0;
    for (auto& c : kids) s += c.st.*f;
    return s;
  };
  auto all_current = [&](i64 pubs) {
    return [&kids, pubs] {
      for (auto& c : kids)
        if (!c.eof && (c.st.pub_count != pubs || c.st.n_current != c.st.n_subs)) return false;
      return true;
    };
  };
  const i64 setup_deadline = t0 + i64(o.setup_timeout_ms) * kMs;
  Publisher pub(o);
  std::vector<Published> published;
  int publish_failed = 0, publish_attempts = 0;
  char run_tag[32];
  snprintf(run_tag, sizeof run_tag, "%llx", static_cast<unsigned long long>(t0 ^ (i64(getpid()) << 32)));

  // One message: the same body (and key) on every try, until a 2xx or `until`.
  auto publish = [&](int seq, i64 until) {
    i64 ts = now_ns();
    std::string body = subst(subst(o.pub_body, "{ts}", std::to_string(ts)), "{seq}", std::to_string(seq));
    std::string key = o.pub_idempotency ? "Idempotency-Key: storm-" + std::string(run_tag) + "-" + std::to_string(seq) : "";
    for (;;) {
      publish_attempts++;
      int status = pub.post(body, key);
      if (status >= 200 && status < 300) {
        Published m;
        m.ts = ts;
        m.done_ns = now_ns();
        m.seq = seq;
        published.push_back(m);
        for (auto& c : kids) send_msg(c.ctl, kPublished, &m, sizeof m);
        return true;
      }
      bool retry = status < 0 || status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
      if (!retry || now_ns() + 100 * kMs > until) {
        LOG("publish %d failed (last status %d)", seq, status);
        publish_failed++;
        return false;
      }
      wait_until(kids, now_ns() + 100 * kMs, [] { return false; });
    }
  };

  // 1. Connect.
  wait_until(kids, setup_deadline, [&] {
    for (auto& c : kids)
      if (!c.connected && !c.eof) return false;
    return true;
  });
  i64 n_first_open = sum(&Status::n_open);
  say_line("connected %lld", n_first_open);
  LOG("connected %lld/%d after their first try (%.1f s)", static_cast<long long>(n_first_open), o.n,
      double(now_ns() - t0) / 1e9);
  bool all_open = wait_until(kids, setup_deadline, [&] { return sum(&Status::n_open) == o.n; });
  if (!all_open) LOG("only %lld/%d open at the setup deadline", static_cast<long long>(sum(&Status::n_open)), o.n);

  // 2. The first messages, then "ready".
  wait_until(kids, now_ns() + i64(o.settle_ms) * kMs, [] { return false; });
  for (int s = 0; s < o.pre_publishes; s++) {
    i64 when = now_ns() + (s ? i64(o.interval_ms) * kMs : 0);
    wait_until(kids, when, [] { return false; });
    publish(s, setup_deadline);
  }
  bool ready = wait_until(kids, std::min(setup_deadline, now_ns() + 30000 * kMs), all_current(i64(published.size())));
  for (auto& c : kids) send_msg(c.ctl, kReady);
  wait_until(kids, now_ns() + 5000 * kMs, [&] {
    for (auto& c : kids)
      if (!c.ready_ack && !c.eof) return false;
    return true;
  });
  i64 n_ready = sum(&Status::n_current);
  say_line("ready %lld", n_ready);
  LOG("ready: %lld/%d subscribers hold the %zu first messages", static_cast<long long>(n_ready), o.n, published.size());

  // 3. The drop, and the messages published while the subscribers are away.
  auto first_drop = [&] {
    i64 t = 0;
    for (auto& c : kids)
      if (c.st.first_drop_ns && (t == 0 || c.st.first_drop_ns < t)) t = c.st.first_drop_ns;
    return t;
  };
  bool dropped = wait_until(kids, now_ns() + i64(o.drop_timeout_ms) * kMs, [&] { return first_drop() != 0; });
  i64 t_drop = first_drop();
  i64 storm_deadline = (dropped ? t_drop : now_ns()) + i64(o.storm_timeout_ms) * kMs;
  bool caught_up = false;
  i64 caught_up_live = 0;
  if (dropped) {
    say_line("dropped %lld", static_cast<long long>(sum(&Status::n_dropped)));
    LOG("the drop: first stream ended %.0f ms after the signal", g_signalled ? double(t_drop - g_signal_ns) / 1e6 : -1.0);
    for (int s = 0; s < o.storm_publishes; s++) {
      wait_until(kids, t_drop + i64(s + 1) * o.interval_ms * kMs, [] { return false; });
      publish(o.pre_publishes + s, storm_deadline);
    }
    // 4. Everyone back and holding everything.
    caught_up = wait_until(kids, storm_deadline, all_current(i64(published.size())));
    caught_up_live = now_ns() - t_drop;
    say_line(caught_up ? "caught_up %lld" : "gave_up %lld", static_cast<long long>(caught_up_live / kMs));
    LOG("%s %.0f ms after the drop: %lld/%d open and current", caught_up ? "caught up" : "gave up",
        double(caught_up_live) / 1e6, static_cast<long long>(sum(&Status::n_current)), o.n);
    wait_until(kids, now_ns() + i64(o.linger_ms) * kMs, [] { return false; });
  } else {
    say_line("no_drop %lld", 0);
    LOG("no stream ended within %d ms of ready", o.drop_timeout_ms);
  }

  // Collect.
  for (auto& c : kids) send_msg(c.ctl, kStop);
  wait_until(kids, now_ns() + 30000 * kMs, [&] {
    for (auto& c : kids)
      if (!c.result && !c.eof) return false;
    return true;
  });
  for (auto& c : kids) {
    close(c.ctl);
    close(c.res);
    int st;
    i64 until = now_ns() + 3000 * kMs;
    while (waitpid(c.pid, &st, WNOHANG) == 0) {
      if (now_ns() > until) {
        kill(c.pid, SIGKILL);  // our own child, by its pid
        waitpid(c.pid, &st, 0);
        break;
      }
      usleep(10000);
    }
  }

  ChildTotals t;
  std::vector<i64> reconnect, catch_up;
  i64 n_subs = 0, n_dropped = 0, came_back = 0, never_back = 0, missing = 0, subs_missing = 0;
  i64 dup_same = 0, dup_new = 0, subs_dup = 0, unknown = 0, not_caught = 0, last_caught = 0, last_drop = 0;
  const i64 n_pub = i64(published.size());
  for (auto& c : kids) {
#define ADD(f) t.f += c.tot.f
    ADD(initial_failures); ADD(early_drops); ADD(second_drops); ADD(attempts_after_drop);
    ADD(failures_after_drop); ADD(f_refused); ADD(f_timeout); ADD(f_status); ADD(f_not_sse); ADD(f_closed);
    ADD(f_reset); ADD(f_addr); ADD(f_socket); ADD(events); ADD(resets); ADD(stale_markers); ADD(bytes);
#undef ADD
    for (const SubResult& r : c.subs) {
      n_subs++;
      i64 miss = std::max<i64>(0, n_pub - r.have);
      missing += miss;
      subs_missing += miss > 0;
      dup_same += r.dup_same_id;
      dup_new += r.dup_new_id;
      subs_dup += (r.dup_same_id + r.dup_new_id) > 0;
      unknown += r.unknown;
      if (!r.dropped) continue;
      n_dropped++;
      last_drop = std::max(last_drop, r.t_drop);
      if (r.t_back > 0) {
        came_back++;
        reconnect.push_back(r.t_back - r.t_drop);
      } else {
        never_back++;
      }
      if (r.caught_at > 0) {
        catch_up.push_back(r.caught_at - t_drop);
        last_caught = std::max(last_caught, r.caught_at);
      } else {
        not_caught++;
      }
    }
  }
  i64 not_received = o.n - n_subs;  // children that never reported
  std::sort(reconnect.begin(), reconnect.end());
  std::sort(catch_up.begin(), catch_up.end());
  bool all_caught = dropped && not_caught == 0 && n_dropped > 0;
  bool ok = dropped && all_caught && missing == 0 && dup_same + dup_new == 0 && not_received == 0;

  std::string j = "{\"tool\":\"storm\"";
  char b[1024];
  auto add = [&](const char* fmt, auto... args) {
    snprintf(b, sizeof b, fmt, args...);
    j += b;
  };
  auto ll = [](i64 v) { return static_cast<long long>(v); };
  auto ms_or_null = [&](bool have, i64 ns) {
    if (!have) return std::string("null");
    snprintf(b, sizeof b, "%.1f", double(ns) / 1e6);
    return std::string(b);
  };
  add(",\"url\":\"http://%s:%d%s\",\"resume\":\"%s\"", o.sub.host.c_str(), o.sub.port, o.sub.path.c_str(),
      o.resume_query ? "query" : "header");
  add(",\"n_target\":%d,\"n_first_open\":%lld,\"n_ready\":%lld,\"ready\":%s,\"procs\":%d,\"src_ips\":%d", o.n,
      ll(n_first_open), ll(n_ready), ready ? "true" : "false", procs, o.src_ips);
  add(",\"initial_failures\":%lld,\"early_drops\":%lld", ll(t.initial_failures), ll(t.early_drops));
  add(",\"pre_publishes\":%d,\"storm_publishes\":%d,\"publish_ok\":%lld,\"publish_failed\":%d,\"publish_attempts\":%d",
      o.pre_publishes, o.storm_publishes, ll(n_pub), publish_failed, publish_attempts);
  add(",\"dropped\":%lld,\"drop_seen\":%s,\"drop_spread_ms\":%s,\"signal_to_drop_ms\":%s", ll(n_dropped),
      dropped ? "true" : "false", ms_or_null(dropped && last_drop > 0, last_drop - t_drop).c_str(),
      ms_or_null(dropped && g_signalled, t_drop - g_signal_ns).c_str());
  add(",\"came_back\":%lld,\"never_came_back\":%lld,\"second_drops\":%lld", ll(came_back), ll(never_back),
      ll(t.second_drops));
  add(",\"reconnect_attempts\":%lld,\"connect_failures\":%lld", ll(t.attempts_after_drop), ll(t.failures_after_drop));
  add(",\"connect_failure_kinds\":{\"refused\":%lld,\"timeout\":%lld,\"http_status\":%lld,\"not_event_stream\":%lld,"
      "\"closed\":%lld,\"reset\":%lld,\"addr\":%lld,\"socket\":%lld}",
      ll(t.f_refused), ll(t.f_timeout), ll(t.f_status), ll(t.f_not_sse), ll(t.f_closed), ll(t.f_reset), ll(t.f_addr),
      ll(t.f_socket));
  add(",\"reconnect_ms\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f}", pct(reconnect, .5), pct(reconnect, .99),
      pct(reconnect, 1));
  add(",\"all_caught_up\":%s,\"not_caught_up\":%lld,\"caught_up_ms\":%s,\"caught_up_from_signal_ms\":%s",
      all_caught ? "true" : "false", ll(not_caught), ms_or_null(all_caught, last_caught - t_drop).c_str(),
      ms_or_null(all_caught && g_signalled, last_caught - g_signal_ns).c_str());
  add(",\"caught_up_live_ms\":%s", ms_or_null(dropped, caught_up_live).c_str());
  add(",\"caught_up_per_sub_ms\":{\"p50\":%.1f,\"p99\":%.1f}", pct(catch_up, .5), pct(catch_up, .99));
  add(",\"messages_expected\":%lld,\"messages_received\":%lld,\"missing\":%lld,\"subs_missing\":%lld",
      ll(i64(o.n) * n_pub), ll(i64(o.n) * n_pub - missing - not_received * n_pub), ll(missing + not_received * n_pub),
      ll(subs_missing + not_received));
  add(",\"duplicates\":%lld,\"duplicates_same_id\":%lld,\"duplicates_new_id\":%lld,\"subs_with_duplicates\":%lld",
      ll(dup_same + dup_new), ll(dup_same), ll(dup_new), ll(subs_dup));
  add(",\"resets\":%lld,\"unknown_messages\":%lld,\"stale_markers\":%lld,\"events\":%lld,\"bytes\":%lld",
      ll(t.resets), ll(unknown), ll(t.stale_markers), ll(t.events), ll(t.bytes));
  add(",\"backoff\":{\"base_ms\":%d,\"max_ms\":%d,\"floor_ms\":%d,\"stable_ms\":%d}", o.backoff_base, o.backoff_max,
      o.backoff_floor, o.stable_ms);
  add(",\"timed_out\":%s,\"wall_s\":%.3f}", (dropped && !caught_up) ? "true" : "false", double(now_ns() - t0) / 1e9);
  printf("%s\n", j.c_str());
  fflush(stdout);
  return ok ? 0 : 1;
}
