// relay_floor — the cheapest possible upstream for an nginx-relayed SSE
// fan-out, used by bench/run as "the floor" of Palabre's architecture.
//
// One thread, one epoll set, no library. Every GET is a subscriber: it gets
// the text/event-stream response headers at once and then every broadcast.
// Every POST (with a Content-Length body of at most 64 KiB) is a publish:
// "data: <body>\n\n" is written to every subscriber, then the POST gets 204.
// A frame is built once per publish; per subscriber it costs one write().
//
// What it leaves out, on purpose: history and resume (no Last-Event-ID), any
// parsing beyond the request line and Content-Length, keep-alive (nginx
// talks HTTP/1.0 to it and the upstream connection closes after each
// request), authentication. A subscriber whose socket is full keeps an
// output queue; past 1 MiB it is dropped, like Palabre's stream backlog.
//
// Usage:  relay_floor LISTEN...   LISTEN = unix:/path/to/socket or 127.0.0.1:PORT
// Build:  g++ -O2 -std=c++17 -o relay_floor relay_floor.cpp  (bench/run does it)
//
// One LISTEN: one process. Several: one single-threaded process per LISTEN
// (forked; the first process only waits for them), because one process may
// hold at most 20,000 descriptors here and 40,000 subscribers need 40,000.
// nginx spreads subscribers over the sockets like over Palabre's workers; a
// publish that reaches one process is passed to the others through a pipe
// each (bodies < PIPE_BUF, so each write is atomic), and each broadcasts to
// its own subscribers. The 204 goes out once the receiving process has
// written its own subscribers and the pipes.
//
// Stops on SIGTERM/SIGINT. Prints one line per second of counters when
// anything changed (stderr).

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr size_t kMaxHead = 8192;
constexpr size_t kMaxBody = 64 * 1024;
constexpr size_t kMaxQueued = 1024 * 1024;
constexpr char kSseHead[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
    "X-Accel-Buffering: no\r\nConnection: close\r\n\r\n";
constexpr char kPubOk[] = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
constexpr char kBad[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

enum class State { Head, Body, Subscriber, Closing };

struct Conn {
  int fd = -1;
  State state = State::Head;
  std::string in;         // request head, then body
  size_t body_len = 0;    // Content-Length of a POST
  std::string out;        // bytes not yet accepted by the socket
  size_t out_off = 0;
  long sub_index = -1;    // position in subscribers, or -1
  bool want_out = false;  // EPOLLOUT registered
};

int ep = -1;
std::vector<Conn*> conns;          // by fd
std::vector<int> subscribers;      // fds of subscribers
long n_published = 0, n_dropped = 0, n_accepted = 0;
std::vector<int> sibling_pipes;  // write ends of the other processes' pipes
int own_pipe = -1;               // read end of this process's pipe


void update_events(Conn* c) {
  bool want = c->out.size() > c->out_off;
  if (want == c->want_out) return;
  c->want_out = want;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (want ? uint32_t(EPOLLOUT) : 0u);
  ev.data.fd = c->fd;
  epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

void close_conn(Conn* c) {
  if (c->sub_index >= 0) {
    int last = subscribers.back();
    subscribers[size_t(c->sub_index)] = last;
    conns[size_t(last)]->sub_index = c->sub_index;
    subscribers.pop_back();
  }
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, nullptr);
  close(c->fd);
  conns[size_t(c->fd)] = nullptr;
  delete c;
}

// Writes what is queued, then data; queues the rest. Returns false if the
// connection was closed.
bool send_bytes(Conn* c, const char* data, size_t len) {
  if (c->out.size() > c->out_off) {  // keep order: queue behind what waits
    c->out.append(data, len);
  } else {
    c->out.clear();
    c->out_off = 0;
    while (len > 0) {
      ssize_t w = write(c->fd, data, len);
      if (w > 0) {
        data += w;
        len -= size_t(w);
      } else if (w < 0 && errno == EINTR) {
        continue;
      } else if (w < 0 && errno == EAGAIN) {
        break;
      } else {
        close_conn(c);
        return false;
      }
    }
    c->out.append(data, len);
  }
  if (c->out.size() - c->out_off > kMaxQueued) {
    n_dropped++;
    close_conn(c);
    return false;
  }
  update_events(c);
  return true;
}

bool flush_out(Conn* c) {
  while (c->out.size() > c->out_off) {
    ssize_t w = write(c->fd, c->out.data() + c->out_off, c->out.size() - c->out_off);
    if (w > 0) {
      c->out_off += size_t(w);
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && errno == EAGAIN) {
      break;
    } else {
      close_conn(c);
      return false;
    }
  }
  if (c->out_off == c->out.size()) {
    c->out.clear();
    c->out_off = 0;
    if (c->state == State::Closing) {
      close_conn(c);
      return false;
    }
  }
  update_events(c);
  return true;
}

void broadcast(const std::string& body) {
  std::string frame;
  frame.reserve(body.size() + 8);
  frame += "data: ";
  frame += body;
  frame += "\n\n";
  // A subscriber that fails is swap-removed: walk backwards so that the
  // element moved into its slot has already been served.
  for (size_t i = subscribers.size(); i-- > 0;) {
    if (i >= subscribers.size()) continue;
    send_bytes(conns[size_t(subscribers[i])], frame.data(), frame.size());
  }
  n_published++;
}

size_t content_length(const std::string& head) {
  const char* p = head.c_str();
  while ((p = strchr(p, '\n')) != nullptr) {
    p++;
    if (strncasecmp(p, "content-length:", 15) == 0) return size_t(strtoul(p + 15, nullptr, 10));
  }
  return 0;
}

void finish_post(Conn* c) {
  std::string body = c->in.substr(0, c->body_len);
  broadcast(body);
  if (!sibling_pipes.empty()) {
    uint32_t len = uint32_t(body.size());
    std::string msg(reinterpret_cast<const char*>(&len), sizeof len);
    msg += body;
    for (int p : sibling_pipes) {
      ssize_t w;
      do w = write(p, msg.data(), msg.size());
      while (w < 0 && errno == EINTR);
    }
  }
  c->state = State::Closing;
  c->in.clear();
  if (send_bytes(c, kPubOk, sizeof kPubOk - 1)) flush_out(c);
}

void on_readable(Conn* c) {
  char buf[16384];
  for (;;) {
    ssize_t r = read(c->fd, buf, sizeof buf);
    if (r == 0) {
      close_conn(c);
      return;
    }
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      close_conn(c);
      return;
    }
    if (c->state == State::Subscriber || c->state == State::Closing) continue;  // ignored
    c->in.append(buf, size_t(r));
    if (c->state == State::Head) {
      size_t end = c->in.find("\r\n\r\n");
      if (end == std::string::npos) {
        if (c->in.size() > kMaxHead) {
          c->state = State::Closing;
          if (send_bytes(c, kBad, sizeof kBad - 1)) flush_out(c);
          return;
        }
        continue;
      }
      std::string head = c->in.substr(0, end + 2);
      c->in.erase(0, end + 4);
      if (head.compare(0, 4, "GET ") == 0) {
        c->state = State::Subscriber;
        c->in.clear();
        c->sub_index = long(subscribers.size());
        subscribers.push_back(c->fd);
        if (!send_bytes(c, kSseHead, sizeof kSseHead - 1)) return;
        continue;
      }
      if (head.compare(0, 5, "POST ") == 0) {
        c->body_len = content_length(head);
        if (c->body_len > kMaxBody || (!sibling_pipes.empty() && c->body_len + 4 > PIPE_BUF)) {
          c->state = State::Closing;
          if (send_bytes(c, kBad, sizeof kBad - 1)) flush_out(c);
          return;
        }
        c->state = State::Body;
      } else {
        c->state = State::Closing;
        if (send_bytes(c, kBad, sizeof kBad - 1)) flush_out(c);
        return;
      }
    }
    if (c->state == State::Body && c->in.size() >= c->body_len) {
      finish_post(c);
      return;
    }
  }
}

// Publishes relayed by a sibling process: [uint32 length][body], whole
// messages only (each was one atomic write).
void on_pipe() {
  static std::string buf;
  char tmp[65536];
  for (;;) {
    ssize_t r = read(own_pipe, tmp, sizeof tmp);
    if (r > 0) {
      buf.append(tmp, size_t(r));
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    break;
  }
  size_t off = 0;
  while (buf.size() - off >= 4) {
    uint32_t len;
    memcpy(&len, buf.data() + off, 4);
    if (buf.size() - off - 4 < len) break;
    broadcast(buf.substr(off + 4, len));
    off += 4 + len;
  }
  buf.erase(0, off);
}

int open_listener(const char* spec) {
  int fd;
  if (strncmp(spec, "unix:", 5) == 0) {
    const char* path = spec + 5;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a.sun_path) {
      fprintf(stderr, "relay_floor: socket path too long\n");
      exit(2);
    }
    strcpy(a.sun_path, path);
    unlink(path);
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) {
      perror("relay_floor: bind");
      exit(1);
    }
  } else {
    const char* colon = strrchr(spec, ':');
    if (!colon) {
      fprintf(stderr, "relay_floor: listen on unix:/path or host:port\n");
      exit(2);
    }
    std::string host(spec, size_t(colon - spec));
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(atoi(colon + 1)));
    inet_pton(AF_INET, host.c_str(), &a.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) {
      perror("relay_floor: bind");
      exit(1);
    }
  }
  if (listen(fd, 4096) < 0) {
    perror("relay_floor: listen");
    exit(1);
  }
  return fd;
}

long now_s() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec;
}

}  // namespace

int serve(const char* spec);

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: relay_floor LISTEN...  (LISTEN = unix:/path | host:port)\n");
    return 2;
  }
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  conns.assign(size_t(rl.rlim_cur) + 16, nullptr);
  signal(SIGPIPE, SIG_IGN);
  int k = argc - 1;
  if (k == 1) {
    struct sigaction sa{};
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    return serve(argv[1]);
  }
  std::vector<int> rd(static_cast<size_t>(k)), wr(static_cast<size_t>(k));
  for (int i = 0; i < k; i++) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) {
      perror("relay_floor: pipe");
      return 1;
    }
    rd[size_t(i)] = p[0];
    wr[size_t(i)] = p[1];
  }
  std::vector<pid_t> kids;
  for (int i = 0; i < k; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      struct sigaction sa{};
      sa.sa_handler = on_signal;
      sigaction(SIGTERM, &sa, nullptr);
      sigaction(SIGINT, &sa, nullptr);
      for (int j = 0; j < k; j++) {
        if (j == i) {
          close(wr[size_t(j)]);
          own_pipe = rd[size_t(j)];
          fcntl(own_pipe, F_SETFL, fcntl(own_pipe, F_GETFL) | O_NONBLOCK);
        } else {
          close(rd[size_t(j)]);
          sibling_pipes.push_back(wr[size_t(j)]);
        }
      }
      _exit(serve(argv[i + 1]));
    }
    kids.push_back(pid);
  }
  for (int i = 0; i < k; i++) close(rd[size_t(i)]), close(wr[size_t(i)]);
  // The parent only waits; SIGTERM/SIGINT are passed on to the children.
  struct sigaction sa{};
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  size_t alive = kids.size();
  while (alive > 0) {
    if (g_stop) {
      for (pid_t p : kids) kill(p, SIGTERM);
      g_stop = 0;
    }
    pid_t p = waitpid(-1, nullptr, 0);
    if (p > 0) alive--;
  }
  return 0;
}

int serve(const char* spec) {
  int lfd = open_listener(spec);
  ep = epoll_create1(EPOLL_CLOEXEC);
  epoll_event lev{};
  lev.events = EPOLLIN;
  lev.data.fd = lfd;
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
  if (own_pipe >= 0) {
    epoll_event pev{};
    pev.events = EPOLLIN;
    pev.data.fd = own_pipe;
    epoll_ctl(ep, EPOLL_CTL_ADD, own_pipe, &pev);
  }

  std::vector<epoll_event> evs(1024);
  long last_report = now_s(), reported_subs = -1, reported_pubs = -1;
  while (!g_stop) {
    int n = epoll_wait(ep, evs.data(), int(evs.size()), 1000);
    for (int i = 0; i < n; i++) {
      int fd = evs[size_t(i)].data.fd;
      if (fd == own_pipe) {
        on_pipe();
        continue;
      }
      if (fd == lfd) {
        for (;;) {
          int cfd = accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (cfd < 0) break;
          if (size_t(cfd) >= conns.size()) {
            close(cfd);
            continue;
          }
          n_accepted++;
          Conn* c = new Conn;
          c->fd = cfd;
          conns[size_t(cfd)] = c;
          epoll_event ev{};
          ev.events = EPOLLIN | EPOLLRDHUP;
          ev.data.fd = cfd;
          epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &ev);
        }
        continue;
      }
      Conn* c = conns[size_t(fd)];
      if (!c) continue;
      uint32_t e = evs[size_t(i)].events;
      if (e & (EPOLLERR | EPOLLHUP)) {
        close_conn(c);
        continue;
      }
      if ((e & EPOLLOUT) && !flush_out(c)) continue;
      if (e & (EPOLLIN | EPOLLRDHUP)) on_readable(c);
    }
    long t = now_s();
    if (t != last_report) {
      last_report = t;
      if (long(subscribers.size()) != reported_subs || n_published != reported_pubs) {
        reported_subs = long(subscribers.size());
        reported_pubs = n_published;
        fprintf(stderr, "relay_floor[%s]: subscribers=%zu published=%ld accepted=%ld dropped=%ld\n", spec,
                subscribers.size(), n_published, n_accepted, n_dropped);
      }
    }
  }
  return 0;
}
