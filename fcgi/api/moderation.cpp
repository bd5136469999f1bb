// Moderators: the queue, actions on questions, bans, announcements, audit log.
#include <algorithm>

#include "api/body.hpp"
#include "api/context.hpp"
#include "api/identity.hpp"
#include "api/notify.hpp"
#include "core/error.hpp"
#include "api/idempotency.hpp"
#include "core/time.hpp"
#include "api/question_json.hpp"
#include "domain/question.hpp"
#include "domain/text_rules.hpp"
#include "core/cursor.hpp"
#include "api/live_history.hpp"
#include "redis/address_limits.hpp"
#include "redis/keys.hpp"
#include "redis/questions.hpp"
#include "redis/sessions.hpp"
#include "redis/streams.hpp"

namespace palabre::api {
namespace {
constexpr size_t kRecentDecided = 50;

void write_questions(http::JsonWriter& w, const char* name, const std::vector<domain::Question>& qs) {
  w.key(name);
  w.start_array();
  for (const auto& q : qs) api::write_staff_json(w, q);
  w.end_array();
}

http::Response queue(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  // Read the cursor first: a change after it is also on the staff stream, so
  // a console that loads the queue then follows the stream from this cursor
  // misses nothing (it may see a change twice; it upserts by id).
  std::string cursor = live_cursor(ctx, event_id, keys::staff_stream(event_id));
  auto all = redis::event_questions(ctx.services.redis, event_id);
  std::vector<domain::Question> pending, forwarded, recent;
  for (const auto& q : all) {
    if (q.forwarded && !q.answered && (q.status == "pending" || q.status == "published")) forwarded.push_back(q);
    else if (q.status == "pending") pending.push_back(q);
    else recent.push_back(q);
  }
  std::sort(forwarded.begin(), forwarded.end(),
            [](const auto& a, const auto& b) { return a.guest_order < b.guest_order; });
  std::sort(recent.begin(), recent.end(),
            [](const auto& a, const auto& b) { return a.updated_ms > b.updated_ms; });
  if (recent.size() > kRecentDecided) recent.resize(kRecentDecided);
  http::JsonWriter w;
  w.start_object();
  write_questions(w, "pending", pending);
  write_questions(w, "forwarded", forwarded);
  write_questions(w, "recent", recent);
  w.field("cursor", cursor);
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response act(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const Staff& staff = admitted_staff(ctx);
  auto action = domain::parse_action(ctx.param("action"));
  if (!action) throw Error(Code::not_found, "Unknown action; use publish, reject, forward, edit or retract.");
  domain::Question q = load_event_question(ctx, event_id, ctx.param("qid"));
  rapidjson::Document body = body_object(ctx, true);
  int64_t now = ctx.now_ms();
  redis::Connection& redis = ctx.services.redis;
  domain::Fields fields = {{"updated_ms", std::to_string(now)}};
  std::string public_type, public_data, details = "{}";

  switch (*action) {
    case domain::Action::publish:
      public_type = "message";
      public_data = api::message_json(q.id, "question", q.author, q.text, q.lang, "", now);
      break;
    case domain::Action::reject: {
      std::string reason = http::get_string(body, "reason").value_or("");
      if (!reason.empty()) reason = domain::checked_text(reason, 500, "reason");
      fields.emplace_back("reject_reason", reason);
      break;
    }
    case domain::Action::forward:
      fields.emplace_back("forwarded", "1");
      fields.emplace_back("guest_order", std::to_string(now));
      break;
    case domain::Action::edit: {
      std::string text = domain::checked_text(http::require_string(body, "text"), ctx.config().max_text_chars);
      fields.emplace_back("text", text);
      if (q.original_text.empty()) fields.emplace_back("original_text", q.text);
      http::JsonWriter d;
      d.start_object();
      d.field("before", q.text);
      d.end_object();
      details = d.take();
      break;
    }
    case domain::Action::retract: {
      public_type = "retract";
      http::JsonWriter d;
      d.start_object();
      d.field("id", q.id);
      d.end_object();
      public_data = d.take();
      break;
    }
  }
  auto result = redis::transition(redis, ctx.config(), q, domain::allowed_from(*action),
                                  domain::status_after(*action), public_type, public_data, fields);
  if (*action == domain::Action::forward) redis::set_guest_queue_position(redis, event_id, q.id, now);
  if (*action == domain::Action::retract) redis::remove_from_guest_queue(redis, event_id, q.id);
  if (!result.public_cursor.empty()) archive_public(ctx, event_id, result.public_cursor, public_type, public_data);
  ctx.services.sql().append_audit({0, event_id, actor_of(staff), std::string(domain::action_name(*action)), q.id,
                                   details, now});
  domain::Question updated = announce_question_change(ctx, q.id);
  http::JsonWriter w;
  w.start_object();
  w.key("question");
  api::write_staff_json(w, updated);
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response ban(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const Staff& staff = admitted_staff(ctx);
  rapidjson::Document body = body_object(ctx);
  std::string visitor_id = http::require_string(body, "visitor_id");
  if (visitor_id.rfind("v_", 0) != 0 || visitor_id.size() > 40)
    throw Error(Code::invalid_field, "Field 'visitor_id' is not a visitor id.");
  std::string reason = http::get_string(body, "reason").value_or("");
  if (!reason.empty()) reason = domain::checked_text(reason, 500, "reason");
  redis::Connection& redis = ctx.services.redis;
  redis::add_ban(redis, event_id, {visitor_id, reason, ctx.now_ms()});
  // Also the address the visitor was last seen from, for new visitor ids:
  // clearing cookies does not undo a ban. Other visitors already there
  // (a school, a town hall's Wi-Fi) keep taking part.
  redis::ban_visitor_address(redis, event_id, visitor_id, ctx.config().address_key_rotation_s);
  redis::close_visitor_streams(redis, event_id, visitor_id);
  http::JsonWriter d;
  d.start_object();
  d.field("visitor_id", visitor_id);
  d.field("reason", reason);
  d.end_object();
  std::string details = d.take();
  redis::publish(redis, ctx.config(), keys::staff_stream(event_id), "ban", details);
  ctx.services.sql().append_audit({0, event_id, actor_of(staff), "ban", visitor_id, details, ctx.now_ms()});
  http::JsonWriter w;
  w.start_object();
  w.field("visitor_id", visitor_id);
  w.field("banned", true);
  w.end_object();
  return http::Response::json(201, w.take());
}

http::Response list_bans(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  http::JsonWriter w;
  w.start_object();
  w.key("bans");
  w.start_array();
  for (const auto& b : redis::list_bans(ctx.services.redis, event_id)) {
    w.start_object();
    w.field("visitor_id", b.visitor_id);
    w.field("reason", b.reason);
    w.field("at", timefmt::format_rfc3339(b.at_ms));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response unban(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const Staff& staff = admitted_staff(ctx);
  const std::string& visitor_id = ctx.param("visitor_id");
  if (!redis::remove_ban(ctx.services.redis, event_id, visitor_id))
    throw Error(Code::not_found, "This visitor is not banned.");
  redis::unban_visitor_address(ctx.services.redis, event_id, visitor_id);
  ctx.services.sql().append_audit({0, event_id, actor_of(staff), "unban", visitor_id, "{}", ctx.now_ms()});
  return http::Response::no_content();
}

http::Response announce(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  store::Event e = load_event(ctx, event_id);
  const Staff& staff = admitted_staff(ctx);
  rapidjson::Document body = body_object(ctx);
  std::string text = domain::checked_text(http::require_string(body, "text"), ctx.config().max_text_chars);
  std::string lang = http::get_string(body, "lang").value_or(e.languages.empty() ? "fr" : e.languages.front());
  if (!domain::is_language_tag(lang)) throw Error(Code::invalid_field, "Field 'lang' must be a language tag.");
  // With an Idempotency-Key, a retry whose first attempt died after
  // publishing finds that announcement instead of publishing it twice.
  std::string id = id_for_request(ctx, "n_");
  std::string data = api::message_json(id, "announcement", "moderation", text, lang, "", ctx.now_ms());
  auto published = redis::publish_public(ctx.services.redis, ctx.config(), event_id, "message", data,
                                         ctx.idempotency_digest);
  if (published.appended) {
    archive_public(ctx, event_id, published.id, "message", data);
    ctx.services.sql().append_audit({0, event_id, actor_of(staff), "announce", id, "{}", ctx.now_ms()});
  }
  http::JsonWriter w;
  w.start_object();
  w.field("id", id);
  w.field("cursor", published_cursor(ctx, event_id, published));
  w.end_object();
  return http::Response::json(201, w.take());
}

http::Response audit(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  http::JsonWriter w;
  w.start_object();
  w.key("entries");
  w.start_array();
  for (const auto& a : ctx.services.sql().list_audit(event_id, 500)) {
    w.start_object();
    w.field("id", a.id);
    w.field("actor", a.actor);
    w.field("action", a.action);
    w.field("target", a.target);
    w.key("details");
    w.raw(a.details_json.empty() ? "{}" : a.details_json);
    w.field("at", timefmt::format_rfc3339(a.at_ms));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return http::Response::json(200, w.take());
}

}  // namespace

void register_moderation_routes(Router& router) {
  router.add("GET", "/api/events/{id}/queue", Access::moderator, queue);
  router.add("POST", "/api/events/{id}/questions/{qid}/{action}", Access::moderator, act);
  router.add("POST", "/api/events/{id}/bans", Access::moderator, ban);
  router.add("GET", "/api/events/{id}/bans", Access::moderator, list_bans);
  router.add("DELETE", "/api/events/{id}/bans/{visitor_id}", Access::moderator, unban);
  router.add("POST", "/api/events/{id}/announcements", Access::moderator, announce);
  router.add("GET", "/api/events/{id}/audit", Access::moderator, audit);
}

}  // namespace palabre::api
