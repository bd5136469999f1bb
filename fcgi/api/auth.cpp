// Staff sign-in: invite or admin token exchanged for a cookie, admin login
// with a password (throttled, and with a bounded number of argon2id hashes at
// once), logout of one session or of every session of an admin, and "who am
// I". Why each limit is what it is: docs/SECURITY.md, "Staff sign-in,
// sessions and invites".
#include <algorithm>
#include <chrono>

#include "api/body.hpp"
#include "api/client_address.hpp"
#include "api/context.hpp"
#include "api/identity.hpp"
#include "auth/password_gate.hpp"
#include "auth/passwords.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/login_throttle.hpp"
#include "domain/staff_session.hpp"
#include "redis/login_throttle.hpp"
#include "redis/staff_sessions.hpp"

namespace palabre::api {
namespace {

http::Response start_session(Context& ctx, redis::staff::Session session, int status_code) {
  const int64_t now = ctx.now_ms();
  const int64_t idle_ms = ctx.config().staff_idle_s * 1000LL;
  domain::SessionTimes times = domain::new_session_times(now, ctx.config().staff_absolute_s * 1000LL);
  session.csrf = ids::random_token(24);
  session.created_ms = times.created_ms;
  session.last_seen_ms = times.last_seen_ms;
  session.absolute_end_ms = times.absolute_end_ms;
  std::string cookie = ids::random_token(32);
  std::string hash = ids::sha256_hex(cookie);
  redis::staff::save(ctx.services.redis, hash, session, domain::session_key_ttl_s(times, now, idle_ms));
  if (!session.login.empty())
    redis::staff::index_for_login(ctx.services.redis, session.login, hash,
                                  ctx.config().staff_absolute_s + domain::kExpiredGraceS);
  http::JsonWriter w;
  w.start_object();
  w.field("role", session.role);
  w.field_or_null("event_id", session.event_id);
  w.field_or_null("login", session.login);
  w.field_or_null("label", session.label);
  w.field("csrf_token", session.csrf);
  w.end_object();
  http::Response r = http::Response::json(status_code, w.take());
  // The browser may drop the cookie at the absolute limit; the server ends
  // the session earlier when it idles.
  r.with_header("Set-Cookie", cookie_header(ctx, kStaffCookie, cookie, ctx.config().staff_absolute_s, "Strict"));
  return r;
}

http::Response exchange(Context& ctx) {
  rapidjson::Document body = body_object(ctx);
  auto staff = staff_for_token(ctx, http::require_string(body, "token"));
  if (!staff) throw Error(Code::unauthorized, "This invite link is not valid.");
  redis::staff::Session session;
  session.role = role_name(staff->role);
  session.event_id = staff->event_id;
  session.login = staff->login;
  session.invite_id = staff->invite_id;
  session.label = staff->label;
  return start_session(ctx, std::move(session), 200);
}

Error throttled(int64_t until_ms, int64_t now_ms) {
  Error e(Code::login_throttled, "Too many failed sign-ins; wait before trying again.");
  e.retry_after = domain::retry_after_s(until_ms, now_ms);
  return e;
}

http::Response login(Context& ctx) {
  rapidjson::Document body = body_object(ctx);
  std::string login = http::require_string(body, "login");
  std::string password = http::require_string(body, "password");
  redis::Connection& redis = ctx.services.redis;
  // Throttled by login whether or not it exists, so that a 429 tells nothing
  // about which logins do.
  redis::LoginScopes scopes = redis::login_scopes(login, address_hash(ctx));
  if (int64_t until = redis::login_blocked_until(redis, scopes); until > ctx.now_ms())
    throw throttled(until, ctx.now_ms());

  auto account = ctx.services.sql().find_account(login);
  bool ok = false;
  {
    auto permit = auth::password_gate(ctx.config()).enter(std::chrono::milliseconds(ctx.config().password_wait_ms));
    if (!permit) {
      Error e(Code::busy, "Too many sign-ins at once; try again in a moment.");
      e.retry_after = 1;
      throw e;
    }
    // Verify against a fixed hash when the login is unknown, so that timing
    // does not reveal which logins exist.
    static const std::string kDummyHash = auth::hash_password("palabre-dummy-password");
    ok = auth::verify_password(account ? account->password_hash : kDummyHash, password);
  }
  const int64_t now = ctx.now_ms();
  if (!account || !ok) {
    redis::record_login_failure(redis, scopes, now);
    throw Error(Code::unauthorized, "Wrong login or password.");
  }
  redis::record_login_success(redis, scopes);
  redis::staff::Session session;
  session.role = "admin";
  session.login = account->login;
  return start_session(ctx, std::move(session), 200);
}

http::Response clear_cookie(Context& ctx) {
  http::Response r = http::Response::no_content();
  r.with_header("Set-Cookie", cookie_header(ctx, kStaffCookie, "", 0, "Strict"));
  return r;
}

// Ends the session: deleted in Redis, and its open staff streams closed on
// every worker. An expired session is already gone; the cookie is cleared.
http::Response logout(Context& ctx) {
  Staff s;
  try {
    s = staff_of(ctx);
  } catch (const Error& e) {
    // An unknown Bearer token has no session to end either: logout is
    // public (the route table) and answers 204 to anyone.
    if (e.code() == Code::session_expired || e.code() == Code::unauthorized) return clear_cookie(ctx);
    throw;
  }
  if (s.via_cookie) {
    check_staff_csrf(ctx, s);
    redis::staff::remove(ctx.services.redis, s.session_hash);
    if (!s.login.empty()) redis::staff::unindex_for_login(ctx.services.redis, s.login, s.session_hash);
    redis::staff::close_streams(ctx.services.redis, "session", s.session_hash);
  }
  return clear_cookie(ctx);
}

// "Log out everywhere": every session of this admin's login, on every
// browser, and their staff streams. API tokens are not sessions: they are
// revoked with palabre-admin revoke-token.
http::Response logout_all(Context& ctx) {
  const Staff& admin = admitted_staff(ctx);
  auto hashes = redis::staff::remove_all_of_login(ctx.services.redis, admin.login);
  for (const auto& h : hashes) redis::staff::close_streams(ctx.services.redis, "session", h);
  http::JsonWriter w;
  w.start_object();
  w.field("sessions_ended", static_cast<int64_t>(hashes.size()));
  w.end_object();
  http::Response r = http::Response::json(200, w.take());
  if (admin.via_cookie) r.with_header("Set-Cookie", cookie_header(ctx, kStaffCookie, "", 0, "Strict"));
  return r;
}

// The sessions signed in with this admin's login (one per browser), newest
// first, so that "log out everywhere" is decided knowingly. An id is the
// first 16 hex digits of the session's hash: it names the session in the
// list and opens nothing.
http::Response list_sessions(Context& ctx) {
  const Staff& admin = admitted_staff(ctx);
  auto sessions = redis::staff::list_of_login(ctx.services.redis, admin.login);
  std::sort(sessions.begin(), sessions.end(),
            [](const auto& a, const auto& b) { return a.second.created_ms > b.second.created_ms; });
  const int64_t idle_ms = ctx.config().staff_idle_s * 1000LL;
  http::JsonWriter w;
  w.start_object();
  w.key("items");
  w.start_array();
  for (const auto& [hash, s] : sessions) {
    w.start_object();
    w.field("id", hash.substr(0, 16));
    w.field("created_at", timefmt::format_rfc3339(s.created_ms));
    w.field("last_seen_at", timefmt::format_rfc3339(s.last_seen_ms));
    w.field("expires_at", timefmt::format_rfc3339(std::min(s.last_seen_ms + idle_ms, s.absolute_end_ms)));
    w.field("current", hash == admin.session_hash);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response me(Context& ctx) {
  Staff s = staff_of(ctx);
  if (s.role == Role::none) throw Error(Code::unauthorized, "Not signed in.");
  http::JsonWriter w;
  w.start_object();
  w.field("role", role_name(s.role));
  w.field_or_null("event_id", s.event_id);
  w.field_or_null("login", s.login);
  w.field_or_null("label", s.label);
  w.field_or_null("csrf_token", s.csrf);
  w.end_object();
  return http::Response::json(200, w.take());
}

}  // namespace

void register_auth_routes(Router& router) {
  // The credentials of exchange and login are in their bodies; logout ends
  // whatever session the cookie names (CSRF-checked in the handler).
  router.add("POST", "/api/auth/exchange", Access::public_, exchange);
  router.add("POST", "/api/auth/login", Access::public_, login);
  router.add("POST", "/api/auth/logout", Access::public_, logout);
  router.add("POST", "/api/auth/logout-all", Access::admin, logout_all);
  router.add("GET", "/api/auth/sessions", Access::admin, list_sessions);
  router.add("GET", "/api/auth/me", Access::staff, me);
}

}  // namespace palabre::api
