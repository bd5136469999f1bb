// E-mail reminders without an account (docs/API.md "Reminders"): a visitor
// leaves an address, confirms it from the mail's /r/{token} page, and gets
// one mail before the debate starts. These handlers only write SQL; the
// mails go out from each worker's outbox thread (mail/outbox.hpp).
//
// Nothing here tells whether an address is known: the request answers 202
// for every well-formed address, and unsubscribing answers the same for a
// token that names nothing (any more).
#include <cctype>

#include "api/body.hpp"
#include "api/client_address.hpp"
#include "api/context.hpp"
#include "api/identity.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "domain/mail_address.hpp"
#include "http/html.hpp"
#include "http/json.hpp"
#include "mail/texts.hpp"
#include "redis/address_limits.hpp"
#include "redis/keys.hpp"

namespace palabre::api {
namespace {
// Per network address and debate, per PALABRE_ADDRESS_WINDOW_S: a family
// or a class behind one address subscribes; a script mailing strangers
// does not get far.
constexpr int kRequestsPerAddress = 10;
// A second request for an address still unconfirmed sends its
// confirmation again only after this long.
constexpr int64_t kResendAfterMs = 10 * 60 * 1000;
constexpr size_t kMaxTokenChars = 128;

// The path's token, as ids::random_token writes them; anything else is no token.
std::string token_hash_of(Context& ctx) {
  const std::string& token = ctx.param("token");
  bool ok = !token.empty() && token.size() <= kMaxTokenChars;
  for (unsigned char c : token)
    if (!std::isalnum(c) && c != '-' && c != '_') ok = false;
  if (!ok) throw Error(Code::not_found, "No such reminder.");
  return ids::sha256_hex(token);
}

std::string language_for(const store::Event& e, const std::optional<std::string>& asked) {
  if (asked && mail::has_texts(*asked)) return *asked;
  for (const auto& l : e.languages)
    if (mail::has_texts(l)) return l;
  return "fr";
}

http::Response request_reminder(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  store::Event e = load_event(ctx, event_id);
  rapidjson::Document body = body_object(ctx);
  std::optional<std::string> email = domain::normalized_mail_address(http::require_string(body, "email"));
  if (!email) throw Error(Code::invalid_email, "Field 'email' must be an e-mail address such as name@example.org.");
  std::string lang = language_for(e, http::get_string(body, "lang"));
  if (ctx.config().smtp_url.empty())
    throw Error(Code::mail_unavailable, "This site sends no e-mail: add the debate to your calendar instead.");
  if (e.closed || ctx.now_ms() >= e.starts_at_ms)
    throw Error(Code::event_closed, "This debate has started: reminders are sent before the start.");
  if (int wait = redis::take_slot(ctx.services.redis, keys::reminder_rate(event_id, address_hash(ctx)),
                                  kRequestsPerAddress, ctx.config().address_window_s)) {
    Error err(Code::rate_limited, "Many reminders were asked from your network; try again in a moment.");
    err.retry_after = wait;
    throw err;
  }
  store::Reminder r;
  r.event_id = event_id;
  r.email = *email;
  r.lang = lang;
  r.base_url = ctx.req.base_url();
  r.created_ms = ctx.now_ms();
  ctx.services.sql().subscribe_reminder(r, ctx.now_ms() - kResendAfterMs);
  http::JsonWriter w;
  w.start_object();
  w.field("status", "accepted");
  w.end_object();
  return http::Response::json(202, w.take());
}

http::Response reminder_json(const store::Reminder& r) {
  http::JsonWriter w;
  w.start_object();
  w.field("event_id", r.event_id);
  w.field("confirmed", r.confirmed_ms != 0);
  w.field("lang", r.lang);
  w.end_object();
  http::Response out = http::Response::json(200, w.take());
  out.with_header("Cache-Control", "no-store");
  return out;
}

// What the /r/{token} page shows before its button: which debate, and
// whether the address is already confirmed. A GET changes nothing, so the
// mail scanners that open links do not confirm anything.
http::Response get_reminder(Context& ctx) {
  auto r = ctx.services.sql().find_reminder(token_hash_of(ctx));
  if (!r) throw Error(Code::not_found, "No such reminder: it was sent, cancelled, or has expired.");
  return reminder_json(*r);
}

http::Response confirm(Context& ctx) {
  const std::string hash = token_hash_of(ctx);
  store::Store& sql = ctx.services.sql();
  if (!sql.confirm_reminder(hash, ctx.now_ms()))
    throw Error(Code::not_found, "No such reminder: it was sent, cancelled, or has expired.");
  auto r = sql.find_reminder(hash);
  if (!r) throw Error(Code::not_found, "No such reminder: it was sent, cancelled, or has expired.");
  return reminder_json(*r);
}

// The human page of the unsubscribe link (a mail client without RFC 8058
// opens it): one button that posts what a one-click client posts. Written
// here rather than in static/ because it must work without script.
std::string page(const mail::Texts& t, std::string_view body) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string(t.lang) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                    std::string(t.unsubscribe_title) +
                    " – Palabre</title>\n<link rel=\"icon\" href=\"data:,\">\n"
                    "<link rel=\"stylesheet\" href=\"../../../assets/palabre.css\">\n</head>\n<body>\n"
                    "<main id=\"main\">\n<h1>" + std::string(t.unsubscribe_title) + "</h1>\n";
  out.append(body);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

http::Response html(std::string body) {
  http::Response r = http::Response::text("text/html; charset=utf-8", std::move(body));
  r.with_header("Cache-Control", "no-store");
  return r;
}

const mail::Texts& texts_of(Context& ctx) {
  return mail::texts_for(ctx.req.query_param("lang").value_or("fr"));
}

http::Response unsubscribe_page(Context& ctx) {
  token_hash_of(ctx);
  const mail::Texts& t = texts_of(ctx);
  std::string body = "<p>" + std::string(t.unsubscribe_question) +
                     "</p>\n<form method=\"post\" action=\"unsubscribe?lang=" + std::string(t.lang) +
                     "\">\n<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\n"
                     "<button type=\"submit\">" + std::string(t.unsubscribe_button) + "</button>\n</form>\n";
  return html(page(t, body));
}

// RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" to the
// List-Unsubscribe address, without cookies; the token in the path is the
// only credential, and the request only deletes. The dispatcher lets this
// route's form body through (api/dispatch.cpp).
http::Response unsubscribe(Context& ctx) {
  ctx.services.sql().delete_reminder_by_token(token_hash_of(ctx));
  const mail::Texts& t = texts_of(ctx);
  return html(page(t, "<p role=\"status\">" + std::string(t.unsubscribe_done) + "</p>\n"));
}
}  // namespace

void register_reminder_routes(Router& router) {
  router.add("POST", "/api/events/{id}/reminders", Access::public_, request_reminder);
  router.add("GET", "/api/reminders/{token}", Access::public_, get_reminder);
  router.add("POST", "/api/reminders/{token}/confirm", Access::public_, confirm);
  router.add("GET", "/api/reminders/{token}/unsubscribe", Access::public_, unsubscribe_page);
  router.add("POST", "/api/reminders/{token}/unsubscribe", Access::public_, unsubscribe);
}

}  // namespace palabre::api
