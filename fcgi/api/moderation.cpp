// Moderators: the queue, actions on questions, bans, announcements, audit log.
#include <algorithm>

#include "actions/announcements.hpp"
#include "actions/guest_queue.hpp"
#include "actions/questions.hpp"
#include "actions/visitors.hpp"
#include "api/body.hpp"
#include "audit/drain.hpp"
#include "http/csv.hpp"
#include "api/context.hpp"
#include "api/identity.hpp"
#include "api/mutation.hpp"
#include "api/notify.hpp"
#include "core/error.hpp"
#include "api/idempotency.hpp"
#include "core/time.hpp"
#include "wire/frames.hpp"
#include "domain/moderation.hpp"
#include "domain/question.hpp"
#include "domain/text_rules.hpp"
#include "api/live_history.hpp"
#include "redis/keys.hpp"
#include "redis/questions.hpp"
#include "redis/sessions.hpp"

namespace palabre::api {
namespace {
constexpr size_t kRecentDecided = 50;

void write_questions(http::JsonWriter& w, const char* name, const std::vector<domain::Question>& qs,
                     const std::vector<std::optional<domain::Claim>>& claims = {}) {
  w.key(name);
  w.start_array();
  for (size_t i = 0; i < qs.size(); ++i)
    wire::write_staff_json(w, qs[i], i < claims.size() && claims[i] ? &*claims[i] : nullptr);
  w.end_array();
}

std::vector<std::optional<domain::Claim>> claims_of(redis::Connection& redis, const std::string& event_id,
                                                    const std::vector<domain::Question>& qs) {
  std::vector<std::string> ids;
  ids.reserve(qs.size());
  for (const auto& q : qs) ids.push_back(q.id);
  return redis::load_claims(redis, event_id, ids);
}

http::Response queue(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  // Read the cursor first: a change after it is also on the staff stream, so
  // a console that loads the queue then follows the stream from this cursor
  // misses nothing (it may see a change twice; it upserts by id).
  std::string cursor = live_cursor(ctx, event_id, keys::staff_stream(event_id));
  auto all = redis::event_questions(ctx.services.redis, event_id);
  std::vector<domain::Question> pending, forwarded, recent, hidden;
  for (const auto& q : all) {
    if (q.hidden) hidden.push_back(q);
    else if (domain::in_guest_queue(q)) forwarded.push_back(q);
    else if (domain::awaits_moderation(q)) pending.push_back(q);
    else recent.push_back(q);
  }
  // In the order the guest will take them.
  actions::GuestQueue guest = actions::guest_queue(ctx.services.redis, event_id);
  auto place = [&](const domain::Question& q) {
    return std::find(guest.order.begin(), guest.order.end(), q.id) - guest.order.begin();
  };
  std::stable_sort(forwarded.begin(), forwarded.end(), [&](const auto& a, const auto& b) { return place(a) < place(b); });
  std::sort(recent.begin(), recent.end(),
            [](const auto& a, const auto& b) { return a.updated_ms > b.updated_ms; });
  if (recent.size() > kRecentDecided) recent.resize(kRecentDecided);
  http::JsonWriter w;
  w.start_object();
  write_questions(w, "pending", pending, claims_of(ctx.services.redis, event_id, pending));
  write_questions(w, "forwarded", forwarded, claims_of(ctx.services.redis, event_id, forwarded));
  write_questions(w, "recent", recent);
  // Questions of silently banned visitors: shown to nobody but here.
  write_questions(w, "hidden", hidden);
  w.key("controls");
  w.raw(wire::controls_json(actions::controls(ctx.services.redis, event_id)));
  w.field_or_null("guest_now", guest.now);
  w.field("cursor", cursor);
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response act(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const Staff& staff = admitted_staff(ctx);
  auto action = domain::parse_action(ctx.param("action"));
  if (!action)
    throw Error(Code::not_found, "Unknown action; use publish, reject, forward, edit, retract, merge, claim or release.");
  rapidjson::Document body = body_object(ctx, true);
  domain::ActionInput input;
  if (*action == domain::Action::edit)
    input.text = domain::checked_text(http::require_string(body, "text"), ctx.config().max_text_chars);
  if (*action == domain::Action::reject) {
    // A reason from the list, which the author sees; a v1 client's free
    // text is kept as the note (staff only), with "other".
    std::string reason = http::get_string(body, "reason").value_or("");
    std::string note = http::get_string(body, "note").value_or("");
    if (auto code = domain::parse_reject_reason(reason)) {
      input.reason = *code;
    } else if (!reason.empty()) {
      note = note.empty() ? reason : reason + "\n" + note;
    }
    if (!note.empty()) input.note = domain::checked_text(note, 1000, "note");
  }
  auto acted = actions::moderate(mutation(ctx, staff), event_id, ctx.param("qid"), *action, input);
  http::JsonWriter w;
  w.start_object();
  w.key("question");
  wire::write_staff_json(w, acted.question, acted.claim ? &*acted.claim : nullptr);
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response merge(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  rapidjson::Document body = body_object(ctx);
  std::string into = http::require_string(body, "into");
  auto merged = actions::merge(mutation(ctx, admitted_staff(ctx)), event_id, ctx.param("qid"), into);
  http::JsonWriter w;
  w.start_object();
  w.key("question");
  wire::write_staff_json(w, merged.into);
  w.key("merged");
  wire::write_staff_json(w, merged.merged);
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response claim(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  domain::Claim c = actions::claim(mutation(ctx, admitted_staff(ctx)), event_id, ctx.param("qid"));
  http::JsonWriter w;
  w.start_object();
  w.field("claimed_by", c.label);
  w.field("until", timefmt::format_rfc3339(c.until_ms));
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response release(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  actions::release(mutation(ctx, admitted_staff(ctx)), event_id, ctx.param("qid"));
  return http::Response::no_content();
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
  bool silent = false;
  if (auto f = body.FindMember("silent"); f != body.MemberEnd()) {
    if (!f->value.IsBool()) throw Error(Code::invalid_field, "Field 'silent' must be true or false.");
    silent = f->value.GetBool();
  }
  actions::ban(mutation(ctx, staff), event_id, visitor_id, reason, silent);
  http::JsonWriter w;
  w.start_object();
  w.field("visitor_id", visitor_id);
  w.field("banned", true);
  if (silent) w.field("silent", true);
  w.end_object();
  return http::Response::json(201, w.take());
}

std::string checked_visitor_id(const std::string& visitor_id) {
  if (visitor_id.rfind("v_", 0) != 0 || visitor_id.size() > 40)
    throw Error(Code::invalid_field, "Field 'visitor_id' is not a visitor id.");
  return visitor_id;
}

http::Response time_out(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  rapidjson::Document body = body_object(ctx);
  std::string visitor_id = checked_visitor_id(http::require_string(body, "visitor_id"));
  auto seconds = body.FindMember("seconds");
  if (seconds == body.MemberEnd() || !seconds->value.IsInt64())
    throw Error(Code::invalid_field, "Field 'seconds' must be a number of seconds (10 to 86400).");
  int64_t until = actions::time_out(mutation(ctx, admitted_staff(ctx)), event_id, visitor_id, seconds->value.GetInt64());
  http::JsonWriter w;
  w.start_object();
  w.field("visitor_id", visitor_id);
  w.field("until", timefmt::format_rfc3339(until));
  w.end_object();
  return http::Response::json(201, w.take());
}

http::Response lift_time_out(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  actions::lift_time_out(mutation(ctx, admitted_staff(ctx)), event_id, ctx.param("visitor_id"));
  return http::Response::no_content();
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
    w.field("silent", b.silent);
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
  actions::unban(mutation(ctx, staff), event_id, ctx.param("visitor_id"));
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
  auto announced = actions::announce(mutation(ctx, staff), event_id, id, text, lang);
  http::JsonWriter w;
  w.start_object();
  w.field("id", id);
  w.field("cursor", published_cursor(ctx, event_id, announced.epoch, announced.entry_id));
  w.end_object();
  return http::Response::json(201, w.take());
}

// What the audit view and its CSV show of an entry: the texts and reason
// of its details, where the action has them.
struct AuditView {
  std::string before, after, reason, note;
};

AuditView audit_view(const store::AuditEntry& a) {
  AuditView v;
  rapidjson::Document d;
  d.Parse(a.details_json.c_str());
  if (!d.IsObject()) return v;
  auto text = [&](const char* name) -> std::string {
    auto it = d.FindMember(name);
    return it != d.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
  };
  return {text("before"), text("after"), text("reason"), text("note")};
}

store::Store::AuditFilter audit_filter(Context& ctx) {
  return {ctx.req.query_param("actor").value_or(""), ctx.req.query_param("action").value_or(""),
          ctx.req.query_param("q").value_or("")};
}

constexpr int kAuditPage = 500;
constexpr int kAuditExport = 100000;

http::Response audit(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  // What the last actions wrote is still in Redis for up to a second.
  audit::drain(ctx.services.redis, ctx.services.sql(), event_id);
  http::JsonWriter w;
  w.start_object();
  w.key("entries");
  w.start_array();
  for (const auto& a : ctx.services.sql().list_audit(event_id, kAuditPage, audit_filter(ctx))) {
    w.start_object();
    w.field("id", a.id);
    w.field("actor", a.actor);
    w.field("action", a.action);
    w.field("target", a.target);
    w.key("details");
    w.raw(a.details_json.empty() ? "{}" : a.details_json);
    // v2: the texts and reason of the details, where the action has them.
    AuditView v = audit_view(a);
    if (!v.before.empty()) w.field("before", v.before);
    if (!v.after.empty()) w.field("after", v.after);
    if (!v.reason.empty()) w.field("reason", v.reason);
    w.field("at", timefmt::format_rfc3339(a.at_ms));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response audit_csv(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  audit::drain(ctx.services.redis, ctx.services.sql(), event_id);
  std::string out = "at,actor,action,target,reason,note,before,after,details\r\n";
  for (const auto& a : ctx.services.sql().list_audit(event_id, kAuditExport, audit_filter(ctx))) {
    AuditView v = audit_view(a);
    for (const std::string& cell : {timefmt::format_rfc3339(a.at_ms), a.actor, a.action, a.target, v.reason, v.note,
                                    v.before, v.after, a.details_json})
      out += http::csv_cell(cell) + ",";
    out.back() = '\r';
    out += '\n';
  }
  http::Response r = http::Response::text("text/csv; charset=utf-8", out);
  r.with_header("Content-Disposition", "attachment; filename=\"" + event_id + "-audit.csv\"");
  r.with_header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void register_moderation_routes(Router& router) {
  router.add("GET", "/api/events/{id}/queue", Access::moderator, queue);
  // Before the general action route: the first route that matches wins.
  router.add("POST", "/api/events/{id}/questions/{qid}/claim", Access::moderator, claim);
  router.add("POST", "/api/events/{id}/questions/{qid}/release", Access::moderator, release);
  router.add("POST", "/api/events/{id}/questions/{qid}/merge", Access::moderator, merge);
  router.add("POST", "/api/events/{id}/questions/{qid}/{action}", Access::moderator, act);
  router.add("POST", "/api/events/{id}/bans", Access::moderator, ban);
  router.add("GET", "/api/events/{id}/bans", Access::moderator, list_bans);
  router.add("DELETE", "/api/events/{id}/bans/{visitor_id}", Access::moderator, unban);
  router.add("POST", "/api/events/{id}/timeouts", Access::moderator, time_out);
  router.add("DELETE", "/api/events/{id}/timeouts/{visitor_id}", Access::moderator, lift_time_out);
  router.add("POST", "/api/events/{id}/announcements", Access::moderator, announce);
  router.add("GET", "/api/events/{id}/audit", Access::moderator, audit);
  router.add("GET", "/api/events/{id}/audit.csv", Access::moderator, audit_csv);
}

}  // namespace palabre::api
