#include "api/identity.hpp"

#include <stdexcept>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "domain/text_rules.hpp"
#include "auth/invites.hpp"
#include "domain/staff_session.hpp"
#include "redis/sessions.hpp"
#include "redis/staff_sessions.hpp"

namespace palabre::api {
namespace {
// last_used_at of invites and tokens is kept to the minute: a console's
// every request does not write to SQL.
constexpr int64_t kLastUseResolutionMs = 60'000;

std::optional<std::string> bearer_token(const http::Request& req) {
  auto h = req.header("Authorization");
  if (!h) return std::nullopt;
  std::string_view v = *h;
  if (v.size() < 7 || (v.substr(0, 7) != "Bearer " && v.substr(0, 7) != "bearer ")) return std::nullopt;
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  return std::string(v);
}

Role role_from(std::string_view name) {
  if (name == "admin") return Role::admin;
  if (name == "moderator") return Role::moderator;
  if (name == "guest") return Role::guest;
  return Role::none;
}

std::string host_of_origin(std::string_view origin) {
  size_t scheme = origin.find("://");
  return std::string(scheme == std::string_view::npos ? origin : origin.substr(scheme + 3));
}
}  // namespace

std::optional<Staff> staff_for_token(Context& ctx, const std::string& token) {
  std::string hash = ids::sha256_hex(token);
  store::Store& sql = ctx.services.sql();
  const int64_t now = ctx.now_ms();
  Staff staff;
  if (auto invite = sql.find_invite(hash)) {
    if (!auth::invite_usable(*invite, now, ctx.config().invite_grace_s * 1000LL)) return std::nullopt;
    if (now - invite->last_used_ms >= kLastUseResolutionMs) sql.touch_invite(invite->id, now);
    staff.role = role_from(invite->role);
    staff.event_id = invite->event_id;
    staff.label = invite->label;
    staff.invite_id = invite->id;
    staff.expires_ms = auth::invite_expiry_ms(*invite, ctx.config().invite_grace_s * 1000LL);
    return staff;
  }
  if (auto t = sql.find_api_token(hash)) {
    if (t->revoked) return std::nullopt;
    if (now - t->last_used_ms >= kLastUseResolutionMs) sql.touch_api_token(t->id, now);
    staff.role = Role::admin;
    staff.login = t->login;
    return staff;
  }
  return std::nullopt;
}

Staff staff_of(Context& ctx) {
  if (ctx.staff) return *ctx.staff;
  Staff staff;
  if (auto token = bearer_token(ctx.req)) {
    if (auto known = staff_for_token(ctx, *token)) return *known;
    throw Error(Code::unauthorized, "The token is not valid.");
  }
  auto cookie = ctx.req.cookie(kStaffCookie);
  if (!cookie || cookie->empty()) return staff;
  std::string hash = ids::sha256_hex(*cookie);
  redis::Connection& redis = ctx.services.redis;
  auto s = redis::staff::load(redis, hash);
  if (!s) return staff;
  const int64_t now = ctx.now_ms();
  const int64_t idle_ms = ctx.config().staff_idle_s * 1000LL;
  domain::SessionTimes times{s->created_ms, s->last_seen_ms, s->absolute_end_ms};
  if (domain::session_state(times, now, idle_ms) != domain::SessionState::active) {
    redis::staff::remove(redis, hash);
    throw Error(Code::session_expired, "Your session has expired; sign in again.");
  }
  if (!s->invite_id.empty()) {
    // The invite may have been revoked or have expired since the exchange:
    // the session ends with it.
    auto invite = ctx.services.sql().find_invite_by_id(s->invite_id);
    if (!invite || !auth::invite_usable(*invite, now, ctx.config().invite_grace_s * 1000LL)) {
      redis::staff::remove(redis, hash);
      return staff;
    }
    if (now - invite->last_used_ms >= kLastUseResolutionMs) ctx.services.sql().touch_invite(invite->id, now);
    staff.expires_ms = auth::invite_expiry_ms(*invite, ctx.config().invite_grace_s * 1000LL);
  }
  if (domain::session_needs_refresh(times, now, idle_ms)) {
    times.last_seen_ms = now;
    redis::staff::refresh(redis, hash, now, domain::session_key_ttl_s(times, now, idle_ms));
  }
  staff.role = role_from(s->role);
  staff.event_id = s->event_id;
  staff.login = s->login;
  staff.csrf = s->csrf;
  staff.via_cookie = true;
  staff.session_hash = hash;
  staff.label = s->label;
  staff.invite_id = s->invite_id;
  if (staff.expires_ms == 0 || s->absolute_end_ms < staff.expires_ms) staff.expires_ms = s->absolute_end_ms;
  return staff;
}

std::optional<Visitor> visitor_of(Context& ctx) {
  if (ctx.visitor) return *ctx.visitor;
  auto id = ctx.params.find("id");
  if (id == ctx.params.end()) return std::nullopt;
  // A browser sends one cookie per debate (each with its debate's Path) and
  // maybe one more from before cookies were scoped: look at a few, keep the
  // session of this debate. Sessions of other debates, or of none, count
  // as absent.
  constexpr size_t kMaxCookies = 4;
  auto cookies = ctx.req.cookies(kVisitorCookie);
  if (cookies.size() > kMaxCookies) cookies.resize(kMaxCookies);
  for (const auto& cookie : cookies) {
    if (cookie.empty()) continue;
    std::string hash = ids::sha256_hex(cookie);
    auto s = redis::load_visitor_session(ctx.services.redis, id->second, hash);
    if (!s || s->event_id != id->second) continue;
    return Visitor{s->visitor_id, s->event_id, s->name, s->lang, s->csrf, hash};
  }
  return std::nullopt;
}

const Staff& admitted_staff(const Context& ctx) {
  if (!ctx.staff) throw std::logic_error("the route's access rule admits no staff member");
  return *ctx.staff;
}

const Visitor& admitted_visitor(const Context& ctx) {
  if (!ctx.visitor) throw std::logic_error("the route's access rule admits no visitor");
  return *ctx.visitor;
}

Staff require_admin(Context& ctx) {
  Staff s = staff_of(ctx);
  if (s.role == Role::none) throw Error(Code::unauthorized, "Sign in as an administrator.");
  if (s.role != Role::admin) throw Error(Code::forbidden, "Only administrators may do this.");
  return s;
}

Staff require_moderator(Context& ctx, const std::string& event_id) {
  Staff s = staff_of(ctx);
  if (s.role == Role::none) throw Error(Code::unauthorized, "Use your moderator invite link or token.");
  if (s.role == Role::admin) return s;
  if (s.role != Role::moderator || s.event_id != event_id)
    throw Error(Code::forbidden, "Only this debate's moderators may do this.");
  return s;
}

Staff require_guest_or_moderator(Context& ctx, const std::string& event_id) {
  Staff s = staff_of(ctx);
  if (s.role == Role::none) throw Error(Code::unauthorized, "Use your invite link or token.");
  if (s.role == Role::admin) return s;
  if ((s.role != Role::moderator && s.role != Role::guest) || s.event_id != event_id)
    throw Error(Code::forbidden, "Only this debate's guests and moderators may do this.");
  return s;
}

Visitor require_visitor(Context& ctx) {
  auto v = visitor_of(ctx);
  if (!v) throw Error(Code::not_joined, "Join the debate with a pseudonym first.");
  return *v;
}

void check_csrf(Context& ctx, const std::string& expected_token) {
  const http::Request& req = ctx.req;
  if (auto site = req.header("Sec-Fetch-Site"); site && *site == "cross-site")
    throw Error(Code::csrf_failed, "Cross-site requests are refused.");
  if (auto origin = req.header("Origin")) {
    std::string host(req.header("Host").value_or(""));
    if (*origin == "null" || host.empty() || host_of_origin(*origin) != host)
      throw Error(Code::csrf_failed, "The request comes from another site.");
  }
  if (auto token = req.header("X-CSRF-Token")) {
    if (expected_token.empty() || !ids::equal_constant_time(*token, expected_token))
      throw Error(Code::csrf_failed, "The CSRF token does not match this session.");
  }
}

void check_staff_csrf(Context& ctx, const Staff& staff) {
  if (staff.via_cookie) check_csrf(ctx, staff.csrf);
}

std::string role_name(Role role) {
  switch (role) {
    case Role::admin: return "admin";
    case Role::moderator: return "moderator";
    case Role::guest: return "guest";
    case Role::none: return "none";
  }
  return "none";
}

std::string actor_of(const Staff& staff) {
  if (staff.role == Role::admin) return "admin:" + staff.login;
  if (!staff.label.empty()) return role_name(staff.role) + ":" + staff.label;
  return role_name(staff.role);
}

std::string cookie_header(Context& ctx, const char* name, const std::string& value, int max_age_s,
                          const char* same_site, const std::string& path) {
  std::string c = std::string(name) + "=" + value + "; Path=" + ctx.req.prefix + path + "; HttpOnly; SameSite=" +
                  same_site + "; Max-Age=" + std::to_string(max_age_s);
  if (ctx.config().secure_cookies || ctx.req.origin().rfind("https://", 0) == 0) c += "; Secure";
  return c;
}

bool may_see_drafts_of(Context& ctx, const std::string& event_id) {
  Staff caller;
  if (ctx.staff) {
    caller = *ctx.staff;
  } else {
    try {
      caller = staff_of(ctx);
    } catch (const Error&) {
      return false;  // an unknown token sees what the public sees
    }
  }
  return caller.role == Role::admin || (caller.role != Role::none && caller.event_id == event_id);
}

store::Event load_event(Context& ctx, const std::string& event_id) {
  if (!domain::is_event_id(event_id)) throw Error(Code::not_found, "No such debate.");
  auto e = ctx.services.sql().get_event(event_id);
  if (!e) throw Error(Code::not_found, "No such debate.");
  // A draft does not exist for the public: the same 404 as no debate.
  if (e->draft && !may_see_drafts_of(ctx, event_id)) throw Error(Code::not_found, "No such debate.");
  return *e;
}

}  // namespace palabre::api
