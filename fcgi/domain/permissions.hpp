// Who may call a route: the access rule every route declares in the route
// table (api/*.cpp, http::Router::add), and its evaluation for one caller.
// Pure (no I/O): api/authorize.cpp finds out who the caller is, this file
// says whether that is enough. docs/API.md "Who may call what" lists the
// rules; `palabre-admin routes` prints each route's.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace palabre::domain {

// A staff credential's role. `none`: no staff credential at all.
enum class Role { none, guest, moderator, admin };

enum class Access {
  public_,             // anyone; credentials, if any, are read by the handler
  visitor,             // a visitor session (palabre_v) of the route's debate
  staff,               // any staff credential: admin, or an invite of any debate
  guest_or_moderator,  // admin, or a guest or moderator invite of the route's debate
  moderator,           // admin, or a moderator invite of the route's debate
  admin,               // an admin account (login cookie or API token)
  local,               // ops: nginx admits only the addresses it allows (127.0.0.1, ::1)
};

inline constexpr std::array<Access, 7> kAllAccess = {Access::public_, Access::visitor,   Access::staff,
                                                     Access::guest_or_moderator, Access::moderator,
                                                     Access::admin,   Access::local};

// What the rule sees of the caller.
struct Caller {
  Role role = Role::none;       // from a staff credential that is known and valid
  std::string_view staff_event;  // the invite's debate; empty for admin
  bool visitor = false;          // holds a visitor session of the route's debate
};

enum class Verdict {
  allowed,
  unauthorized,  // 401 unauthorized: no (valid) staff credential
  not_joined,    // 401 not_joined: no visitor session of this debate
  forbidden,     // 403 forbidden: a valid credential whose role or debate does not fit
};

// `event_id`: the route's {id} ("" for routes without one).
Verdict evaluate(Access access, const Caller& caller, std::string_view event_id);

// Whether the rule needs the caller's staff credential or visitor session
// (the dispatcher looks them up only then).
bool needs_staff(Access access);
bool needs_visitor(Access access);

// "public", "visitor", "staff", "guest_or_moderator", "moderator", "admin", "local".
std::string_view access_name(Access access);
std::optional<Access> access_from_name(std::string_view name);

}  // namespace palabre::domain
