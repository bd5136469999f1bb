// Invite links for the staff of one event: a moderator link and a guest link.
// The clear tokens exist only in the returned value (shown once to the
// admin); the store keeps their SHA-256.
//
// Threads: an accept thread or palabre-admin, with its own Store. Errors:
// those of the store (Error(not_found) for an unknown event,
// Error(store_unavailable)).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace palabre::auth {

struct InviteTokens {
  std::string moderator_token, guest_token, moderator_url, guest_url;
};

// `base_url` ends with '/' (e.g. "https://ville.example/palabre/"). The token
// travels in the URL fragment, which browsers do not send to servers and
// nginx does not log; the page exchanges it for a cookie.
InviteTokens create_invites(store::Store& store, const std::string& event_id,
                            std::string_view base_url, const std::string& label, int64_t now_ms);

}  // namespace palabre::auth
