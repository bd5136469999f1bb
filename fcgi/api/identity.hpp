// Who is calling, and what they may do. Accept threads only.
//
// Staff come as a Bearer token (invite token or admin API token, looked up by
// its SHA-256) or with the palabre_s cookie (a Redis staff session). Visitors
// come with the palabre_v cookie (a Redis visitor session of one debate: a
// session presented on another debate's routes counts as absent). A Bearer
// token that is not known is an error (401); an unknown cookie is ignored.
//
// The dispatcher (api/authorize.hpp) checks each route's declared access
// rule before its handler runs; handlers take the admitted caller with
// admitted_staff() / admitted_visitor().
#pragma once

#include <optional>
#include <string>

#include "api/context.hpp"
#include "store/store.hpp"

namespace palabre::api {

using domain::Role;

struct Staff {
  Role role = Role::none;
  std::string event_id;  // the invite's event; empty for admin
  std::string login;     // admin login
  std::string csrf;
  bool via_cookie = false;
  std::string session_hash;  // of the cookie, to log out
  std::string label;         // the invite's label (the person's name), or ""
  std::string invite_id;     // the invite it comes from (Bearer or cookie), or ""
  // When these credentials stop working by themselves (wall clock, ms): the
  // session's absolute end, the invite's expiry, the earlier of both; 0:
  // not by time (admin API tokens).
  int64_t expires_ms = 0;
};

struct Visitor {
  std::string visitor_id;
  std::string event_id;  // the debate the session joined
  std::string name;
  std::string lang;
  std::string csrf;
  std::string session_hash;
};

inline constexpr const char* kVisitorCookie = "palabre_v";
inline constexpr const char* kStaffCookie = "palabre_s";

// The staff member an invite token or admin API token stands for; nullopt
// for an unknown, revoked or expired token. Notes the token's last use.
std::optional<Staff> staff_for_token(Context& ctx, const std::string& token);
// Throws Error(unauthorized) for an unknown Bearer token; Role::none when
// the caller brought no staff credentials.
Staff staff_of(Context& ctx);
// The visitor session of the route's debate ({id}) among the palabre_v
// cookies sent; nullopt when none is (a session of another debate included).
std::optional<Visitor> visitor_of(Context& ctx);

// The caller the route's rule admitted (Context::staff / visitor). For a
// handler whose route has no such rule: internal_error (a bug in the table).
const Staff& admitted_staff(const Context& ctx);
const Visitor& admitted_visitor(const Context& ctx);

// Checks inside a handler, for what a route's rule cannot say alone. Throw
// unauthorized (no credentials), forbidden (wrong role / event) or
// not_joined; they reuse the admitted caller when there is one.
Staff require_admin(Context& ctx);
Staff require_moderator(Context& ctx, const std::string& event_id);
Staff require_guest_or_moderator(Context& ctx, const std::string& event_id);
Visitor require_visitor(Context& ctx);

// For cookie-authenticated mutations (docs/API.md "CSRF"). Throws csrf_failed.
void check_csrf(Context& ctx, const std::string& expected_token);
// Applies check_csrf when the staff member came with the cookie.
void check_staff_csrf(Context& ctx, const Staff& staff);

std::string role_name(Role role);
// For the audit log: "admin:<login>", "moderator:<label>" (or "moderator"
// for an invite without a label), "guest:<label>".
std::string actor_of(const Staff& staff);

// "palabre_v=...; Path=/; HttpOnly; SameSite=Lax; Max-Age=..."; `path`
// below the mount point ("api/events/demo"), or empty for the mount point.
std::string cookie_header(Context& ctx, const char* name, const std::string& value, int max_age_s,
                          const char* same_site, const std::string& path = "");

// The event or 404. A draft answers 404 too, except to admins and to the
// debate's own moderators and guests.
store::Event load_event(Context& ctx, const std::string& event_id);
// Admins, and the debate's own staff.
bool may_see_drafts_of(Context& ctx, const std::string& event_id);

}  // namespace palabre::api
