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

// One invite (v2): its public id, the clear token and the page URL.
struct IssuedInvite {
  std::string id, token, url;
};

// `role` is "moderator" or "guest"; `expires_ms` 0 means "with the debate's
// late-question window" (store::Invite).
IssuedInvite create_invite(store::Store& store, const std::string& event_id, const std::string& role,
                           const std::string& label, std::string_view base_url, int64_t now_ms,
                           int64_t expires_ms = 0);

// When an invite stops working: its own expiry, else the end of its
// debate's late-question window plus `grace_ms` (config
// invite_grace_s). Pure.
int64_t invite_expiry_ms(const store::Invite& invite, int64_t grace_ms);
// False for a revoked or expired invite. Pure.
bool invite_usable(const store::Invite& invite, int64_t now_ms, int64_t grace_ms);

// v1: a moderator invite and a guest invite at once.
struct InviteTokens {
  std::string moderator_token, guest_token, moderator_url, guest_url;
};

// `base_url` ends with '/' (e.g. "https://ville.example/palabre/"). The token
// travels in the URL fragment, which browsers do not send to servers and
// nginx does not log; the page exchanges it for a cookie.
InviteTokens create_invites(store::Store& store, const std::string& event_id,
                            std::string_view base_url, const std::string& label, int64_t now_ms);

}  // namespace palabre::auth
