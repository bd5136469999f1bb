// Citizens: join with a pseudonym (no account), ask, follow their own questions.
#include "actions/audience.hpp"
#include "actions/questions.hpp"
#include "actions/visitors.hpp"
#include "domain/controls.hpp"
#include "domain/word_filter.hpp"
#include "api/mutation.hpp"
#include "api/body.hpp"
#include "api/client_address.hpp"
#include "api/context.hpp"
#include "api/idempotency.hpp"
#include "api/identity.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "api/event_json.hpp"
#include "domain/question.hpp"
#include "domain/retention.hpp"
#include "domain/text_rules.hpp"
#include "redis/address_limits.hpp"
#include "redis/keys.hpp"
#include "redis/questions.hpp"
#include "redis/sessions.hpp"

namespace palabre::api {
namespace {
constexpr size_t kMaxNameChars = 40;

// The language a visitor asks for, among the debate's; the debate's first
// when they name none. Joining only records a preference, so an unknown one
// falls back too; a question's language is what moderators filter and
// visitors read by, so there an unknown one is refused (strict).
std::string language_for(const store::Event& e, const std::optional<std::string>& asked, bool strict = false) {
  if (asked) {
    if (!domain::is_language_tag(*asked)) throw Error(Code::invalid_field, "Field 'lang' must be a language tag.");
    for (const auto& l : e.languages)
      if (l == *asked) return l;
    if (strict && !e.languages.empty()) {
      std::string offered;
      for (const auto& l : e.languages) offered += (offered.empty() ? "" : ", ") + l;
      throw Error(Code::unsupported_language, "This debate takes questions in: " + offered + ".");
    }
  }
  return e.languages.empty() ? "fr" : e.languages.front();
}

// Guests, the organiser, and the labels of the debate's live invites
// ("Anne (communication)"): names a visitor may not pass for.
std::vector<std::string> staff_names_of(Context& ctx, const store::Event& e) {
  std::vector<std::string> names = reserved_names(e);
  for (const auto& invite : ctx.services.sql().list_invites(e.id))
    if (!invite.revoked && !invite.label.empty()) names.push_back(invite.label);
  return names;
}

http::Response join(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  store::Event e = load_event(ctx, event_id);
  rapidjson::Document body = body_object(ctx);
  std::string name = domain::checked_name(http::require_string(body, "name"), kMaxNameChars, "name");
  if (domain::impersonates_staff(name, staff_names_of(ctx, e)))
    throw Error(Code::name_reserved, "This pseudonym is kept for the debate's staff and guests; choose another.");
  std::string lang = language_for(e, http::get_string(body, "lang"));

  const std::string address = address_hash(ctx);
  redis::VisitorSession session;
  std::string cookie = ctx.req.cookie(kVisitorCookie).value_or("");
  std::optional<Visitor> existing = visitor_of(ctx);
  if (existing) {
    check_csrf(ctx, existing->csrf);
    if (redis::is_banned(ctx.services.redis, event_id, existing->visitor_id))
      throw Error(Code::banned, "You may no longer take part in this debate.");
    session = {existing->visitor_id, event_id, name, lang, existing->csrf};
  } else {
    // A new visitor id: limited per network address, so that clearing
    // cookies neither escapes a ban nor floods the debate with newcomers.
    if (redis::is_address_banned(ctx.services.redis, event_id, address))
      throw Error(Code::banned, "You may no longer take part in this debate.");
    // The shield (actions/visitors.hpp) lets fewer newcomers in per network.
    const domain::Limits limits =
        domain::effective_limits(ctx.config(), actions::controls(ctx.services.redis, event_id));
    if (int wait = redis::take_slot(ctx.services.redis, keys::join_rate(event_id, address), limits.joins_per_address,
                                    ctx.config().address_window_s)) {
      Error err(Code::rate_limited, "Many people are joining from your network right now; try again in a moment.");
      err.retry_after = wait;
      throw err;
    }
    // A cookie of another debate (or none) starts a session of this one.
    cookie = ids::random_token(32);
    session = {ids::new_id("v_"), event_id, name, lang, ids::random_token(24)};
  }
  // The session ends with the debate's late-question window, plus an hour
  // (domain/retention.hpp), at most PALABRE_VISITOR_SESSION_DAYS.
  int ttl = domain::visitor_session_ttl_s(e, ctx.now_ms(), ctx.config().visitor_session_days);
  redis::save_visitor_session(ctx.services.redis, ids::sha256_hex(cookie), session, ttl);
  redis::remember_visitor_address(ctx.services.redis, event_id, session.visitor_id, address,
                                  ctx.config().address_key_rotation_s);

  http::JsonWriter w;
  w.start_object();
  w.field("visitor_id", session.visitor_id);
  w.field("name", session.name);
  w.field("lang", session.lang);
  w.field("csrf_token", session.csrf);
  w.end_object();
  http::Response r = http::Response::json(200, w.take());
  // One cookie per debate: its Path is the debate's API, so a browser in
  // two debates holds two and sends each only to its own debate.
  r.with_header("Set-Cookie", cookie_header(ctx, kVisitorCookie, cookie, ttl, "Lax", "api/events/" + event_id));
  return r;
}

// The debate's blocked words and the site's.
std::vector<domain::WordFilter> word_filters_of(Context& ctx, const std::string& event_id) {
  std::vector<domain::WordFilter> out;
  for (const std::string& scope : {event_id, std::string()})
    for (auto& row : ctx.services.sql().word_filters(scope)) out.push_back({std::move(row.pattern), std::move(row.lang)});
  return out;
}

http::Response question_accepted(const domain::Question& q) {
  http::JsonWriter w;
  w.start_object();
  w.field("id", q.id);
  w.field("status", domain::status_name(q.status));
  w.end_object();
  return http::Response::json(202, w.take());
}

http::Response ask(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  store::Event e = load_event(ctx, event_id);
  const Visitor& visitor = admitted_visitor(ctx);
  rapidjson::Document body = body_object(ctx);
  std::string text = domain::checked_text(http::require_string(body, "text"), ctx.config().max_text_chars);
  std::string lang = language_for(e, http::get_string(body, "lang"), /*strict=*/true);
  if (!domain::accepts_questions(domain::phase_of(e, ctx.now_ms())))
    throw Error(Code::event_closed, "This debate is not taking questions now.");
  redis::Connection& redis = ctx.services.redis;
  // A retry whose first attempt created the question (its answer was lost
  // with its worker) finds it under the id derived from its key.
  std::string qid = id_for_request(ctx, "q_");
  if (!ctx.idempotency_digest.empty()) {
    if (auto existing = redis::load_question(redis, event_id, qid)) {
      if (existing->visitor_id == visitor.visitor_id) return question_accepted(*existing);
    }
  }
  // What the moderators decided about this visitor and the debate.
  actions::Standing standing = actions::standing(redis, event_id, visitor.visitor_id);
  if (standing.ban && !standing.ban->silent)
    throw Error(Code::banned, "You may no longer take part in this debate.");
  if (standing.timed_out_until_ms > ctx.now_ms()) {
    Error err(Code::timed_out, "The moderators have paused your questions for a while; try again later.");
    err.retry_after = static_cast<int>((standing.timed_out_until_ms - ctx.now_ms() + 999) / 1000);
    throw err;
  }
  const domain::Limits limits = domain::effective_limits(ctx.config(), standing.controls);
  if (limits.slow_mode_s > 0) {
    if (int wait = redis::take_slot(redis, keys::slow_mode(event_id, visitor.visitor_id), 1, limits.slow_mode_s)) {
      Error err(Code::rate_limited, "Slow mode: one question every " + std::to_string(limits.slow_mode_s) +
                                        " seconds; try again in a moment.");
      err.retry_after = wait;
      throw err;
    }
  }
  if (int wait = redis::take_question_slot(redis, event_id, visitor.visitor_id, limits.questions_per_window,
                                           ctx.config().question_window_s)) {
    Error err(Code::rate_limited, "You are sending questions too fast; try again in a moment.");
    err.retry_after = wait;
    throw err;
  }
  const std::string address = address_hash(ctx);
  if (int wait = redis::take_slot(redis, keys::question_rate_by_address(event_id, address),
                                  limits.questions_per_address, ctx.config().address_window_s)) {
    Error err(Code::rate_limited, "Many questions are coming from your network right now; try again in a moment.");
    err.retry_after = wait;
    throw err;
  }
  redis::remember_visitor_address(redis, event_id, visitor.visitor_id, address, ctx.config().address_key_rotation_s);

  domain::Question q;
  q.id = qid;
  q.event_id = event_id;
  q.visitor_id = visitor.visitor_id;
  q.author = visitor.name;
  q.text = text;
  q.lang = lang;
  q.created_ms = q.updated_ms = ctx.now_ms();
  q.hidden = standing.ban && standing.ban->silent;
  q.flags = domain::matching_patterns(word_filters_of(ctx, event_id), text, lang);
  actions::ask(mutation(ctx, "visitor:" + visitor.visitor_id), q);
  return question_accepted(q);
}

http::Response my_questions(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const Visitor& visitor = admitted_visitor(ctx);
  auto questions = redis::visitor_questions(ctx.services.redis, event_id, visitor.visitor_id);
  bool banned = redis::is_banned(ctx.services.redis, event_id, visitor.visitor_id);
  http::JsonWriter w;
  w.start_object();
  w.field("banned", banned);
  w.key("questions");
  w.start_array();
  for (const auto& q : questions) {
    w.start_object();
    w.field("id", q.id);
    w.field("text", q.text);
    w.field("lang", q.lang);
    w.field("status", domain::status_name(q.status));
    if (domain::is_edited(q)) w.field("edited", true);
    // Why it was set aside (the reason's code, never the staff's note), or
    // what it was merged into.
    if (q.status == domain::Status::rejected && !q.reject_reason.empty()) w.field("reject_reason", q.reject_reason);
    if (!q.merged_into.empty()) w.field("merged_into", q.merged_into);
    w.field("created_at", timefmt::format_rfc3339(q.created_ms));
    w.end_object();
  }
  w.end_array();
  // The polls they voted on, so that a page loaded again shows their vote as given.
  w.key("polls_voted");
  w.start_array();
  for (const auto& pid : actions::polls_voted(ctx.services.redis, event_id, visitor.visitor_id)) w.string(pid);
  w.end_array();
  w.end_object();
  return http::Response::json(200, w.take());
}

}  // namespace

void register_visitor_routes(Router& router) {
  // Anyone may join (a cookie of this debate keeps its visitor id).
  router.add("POST", "/api/events/{id}/join", Access::public_, join);
  router.add("POST", "/api/events/{id}/questions", Access::visitor, ask);
  router.add("GET", "/api/events/{id}/my-questions", Access::visitor, my_questions);
}

}  // namespace palabre::api
