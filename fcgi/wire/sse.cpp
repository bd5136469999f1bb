#include "wire/sse.hpp"

namespace palabre::wire {
namespace {

void append_single_line(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c != '\n' && c != '\r') out.push_back(c);
  }
}

}  // namespace

std::string sse_event(std::string_view id, std::string_view type, std::string_view data) {
  std::string out;
  out.reserve(id.size() + type.size() + data.size() + 24);
  out.append("id: ");
  append_single_line(out, id);
  out.append("\nevent: ");
  append_single_line(out, type);
  out.append("\ndata: ");
  // SSE line ends are CRLF, LF or CR; split on each so none ends the frame.
  for (size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
      out.append("\ndata: ");
    } else {
      out.push_back(c);
    }
  }
  out.append("\n\n");
  return out;
}

std::string sse_ping() { return ": ping\n\n"; }

std::string sse_retry(int ms) { return "retry: " + std::to_string(ms) + "\n\n"; }

std::string sse_hello(int ping_interval_s) {
  return "event: hello\ndata: {\"ping_s\":" + std::to_string(ping_interval_s) + "}\n\n";
}

}  // namespace palabre::wire
