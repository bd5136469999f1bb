// Server-Sent Events text for the hub: entry frames, the ping comment, the
// retry hint and the hello frame. Pure functions; any thread; never throw except std::bad_alloc.
//
// Each frame is built once per published entry (not per stream) and wrapped
// in a shared Frame by the caller (hub/mirror.cpp).
#pragma once

#include <string>
#include <string_view>

namespace palabre::wire {

// "id: <id>\nevent: <type>\ndata: <data>\n\n". Data is one-line JSON by
// contract (redis/scripts/apply.lua); should it contain a line break anyway,
// each line becomes its own "data:" line, which EventSource joins back with
// "\n", instead of a frame that ends early. Line breaks in id or type, which
// would let a value forge fields, are dropped.
std::string sse_event(std::string_view id, std::string_view type, std::string_view data);

// ": ping\n\n": keeps nginx's fastcgi_read_timeout and browsers' idle timers
// from closing a quiet stream.
std::string sse_ping();

// "retry: <ms>\n\n": how long EventSource waits before reconnecting.
std::string sse_retry(int ms);

// "event: hello\ndata: {\"ping_s\":<s>}\n\n": the first event of every stream,
// written at once. A page that got the headers but no hello within seconds
// is behind a proxy that holds the stream back, and falls back to long-poll
// (static/assets/js/stream.js). No "id:" line: it is not an entry and must
// not move the client's Last-Event-ID. Built once per hub.
std::string sse_hello(int ping_interval_s);

}  // namespace palabre::wire
