// Staff sign-in: invite or admin token exchanged for a cookie, admin login
// with a password, logout, and "who am I".
#include "api/body.hpp"
#include "api/context.hpp"
#include "api/identity.hpp"
#include "auth/passwords.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "redis/sessions.hpp"

namespace palabre::api {
namespace {

http::Response start_session(Context& ctx, const redis::StaffSession& session_in, int status_code) {
  redis::StaffSession session = session_in;
  session.csrf = ids::random_token(24);
  std::string cookie = ids::random_token(32);
  int ttl = ctx.config().staff_session_hours * 3600;
  redis::save_staff_session(ctx.services.redis, ids::sha256_hex(cookie), session, ttl);
  http::JsonWriter w;
  w.start_object();
  w.field("role", session.role);
  w.field_or_null("event_id", session.event_id);
  w.field_or_null("login", session.login);
  w.field("csrf_token", session.csrf);
  w.end_object();
  http::Response r = http::Response::json(status_code, w.take());
  r.with_header("Set-Cookie", cookie_header(ctx, kStaffCookie, cookie, ttl, "Strict"));
  return r;
}

http::Response exchange(Context& ctx) {
  rapidjson::Document body = body_object(ctx);
  auto staff = staff_for_token(ctx, http::require_string(body, "token"));
  if (!staff) throw Error(Code::unauthorized, "This invite link is not valid.");
  return start_session(ctx, {role_name(staff->role), staff->event_id, staff->login, ""}, 200);
}

http::Response login(Context& ctx) {
  rapidjson::Document body = body_object(ctx);
  std::string login = http::require_string(body, "login");
  std::string password = http::require_string(body, "password");
  auto account = ctx.services.sql().find_account(login);
  // Verify against a fixed hash when the login is unknown, so that timing
  // does not reveal which logins exist.
  static const std::string kDummyHash = auth::hash_password("palabre-dummy-password");
  bool ok = auth::verify_password(account ? account->password_hash : kDummyHash, password);
  if (!account || !ok) throw Error(Code::unauthorized, "Wrong login or password.");
  return start_session(ctx, {"admin", "", account->login, ""}, 200);
}

http::Response logout(Context& ctx) {
  Staff s = staff_of(ctx);
  if (s.via_cookie) {
    check_staff_csrf(ctx, s);
    redis::delete_staff_session(ctx.services.redis, s.session_hash);
  }
  http::Response r = http::Response::no_content();
  r.with_header("Set-Cookie", cookie_header(ctx, kStaffCookie, "", 0, "Strict"));
  return r;
}

http::Response me(Context& ctx) {
  Staff s = staff_of(ctx);
  if (s.role == Role::none) throw Error(Code::unauthorized, "Not signed in.");
  http::JsonWriter w;
  w.start_object();
  w.field("role", role_name(s.role));
  w.field_or_null("event_id", s.event_id);
  w.field_or_null("login", s.login);
  w.field_or_null("csrf_token", s.csrf);
  w.end_object();
  return http::Response::json(200, w.take());
}

}  // namespace

void register_auth_routes(Router& router) {
  router.add("POST", "/api/auth/exchange", exchange);
  router.add("POST", "/api/auth/login", login);
  router.add("POST", "/api/auth/logout", logout);
  router.add("GET", "/api/auth/me", me);
}

}  // namespace palabre::api
