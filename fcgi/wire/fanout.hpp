// The messages on keys::fanout_channel() that wake every worker's hub: the
// encoders the accept threads publish with and the parser the hubs read
// with, side by side so that the two cannot drift apart. Pure; any thread;
// the parser never throws. Its views point into the payload, which hiredis
// frees when the callback returns: copy what must outlive it.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "core/stream_id.hpp"

namespace palabre::wire {

// "<stream key>\n<entry id>\n<previous entry id or 0-0>\n<type>\n<data JSON>"
struct PublishedEntry {
  std::string_view stream_key;
  std::string_view id_text;  // as Redis wrote it, reused verbatim in frames
  StreamId id;
  StreamId prev;
  std::string_view type;
  std::string_view data;
};

// "!close-visitor\n<event id>\n<visitor id>": a ban.
struct CloseVisitor {
  std::string_view event_id;
  std::string_view visitor_id;
};

// "!close-staff\n<kind>\n<value>": kind "session" (a staff session's hash:
// a logout) or "invite" (an invite id: a revocation).
struct CloseStaff {
  std::string_view kind;
  std::string_view value;
};

// monostate: malformed, or a control message this worker does not know (a
// newer worker may publish kinds an older one must ignore during a rollout).
using FanoutMessage = std::variant<std::monostate, PublishedEntry, CloseVisitor, CloseStaff>;

FanoutMessage parse_fanout_message(std::string_view payload);

std::string encode_entry(std::string_view stream_key, std::string_view id, std::string_view prev,
                         std::string_view type, std::string_view data);
std::string encode_close_visitor(std::string_view event_id, std::string_view visitor_id);
// kind: "session" or "invite".
std::string encode_close_staff(std::string_view kind, std::string_view value);

}  // namespace palabre::wire
