// Prepared answers: a library per debate that moderators and guests write
// before the event and insert into an answer in one action
// (POST …/answers with prepared_answer_id, or its text edited first).
#include "api/body.hpp"
#include "api/context.hpp"
#include "api/identity.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/text_rules.hpp"
#include "http/json.hpp"

namespace palabre::api {
namespace {

constexpr size_t kTitleChars = 200;

void write_item(http::JsonWriter& w, const store::PreparedAnswer& a) {
  w.start_object();
  w.field("id", a.id);
  w.field("title", a.title);
  w.field("text", a.text);
  w.field("lang", a.lang);
  w.field("created_by", a.created_by);
  w.field("created_at", timefmt::format_rfc3339(a.created_ms));
  w.field("updated_at", timefmt::format_rfc3339(a.updated_ms));
  w.end_object();
}

http::Response item_response(int status, const store::PreparedAnswer& a) {
  http::JsonWriter w;
  write_item(w, a);
  return http::Response::json(status, w.take());
}

std::string checked_lang(std::string lang) {
  if (!domain::is_language_tag(lang)) throw Error(Code::invalid_field, "Field 'lang' must be a language tag.");
  return lang;
}

store::AuditEntry audit_of(Context& ctx, const std::string& event_id, const char* action,
                           const store::PreparedAnswer& a) {
  http::JsonWriter d;
  d.start_object();
  d.field("title", a.title);
  d.end_object();
  return {0, event_id, actor_of(admitted_staff(ctx)), action, a.id, d.take(), ctx.now_ms()};
}

http::Response list(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  http::JsonWriter w;
  w.start_object();
  w.key("items");
  w.start_array();
  for (const auto& a : ctx.services.sql().list_prepared_answers(event_id)) write_item(w, a);
  w.end_array();
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response create(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  store::Event e = load_event(ctx, event_id);
  rapidjson::Document body = body_object(ctx);
  store::PreparedAnswer a;
  a.id = ids::new_id("pa_");
  a.event_id = event_id;
  a.title = domain::checked_name(http::require_string(body, "title"), kTitleChars, "title");
  a.text = domain::checked_text(http::require_string(body, "text"), ctx.config().max_text_chars);
  a.lang = checked_lang(http::get_string(body, "lang").value_or(e.languages.empty() ? "fr" : e.languages.front()));
  a.created_by = actor_of(admitted_staff(ctx));
  a.created_ms = a.updated_ms = ctx.now_ms();
  ctx.services.sql().create_prepared_answer(a, audit_of(ctx, event_id, "create_prepared_answer", a));
  return item_response(201, a);
}

http::Response update(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  rapidjson::Document body = body_object(ctx);
  auto found = ctx.services.sql().get_prepared_answer(event_id, ctx.param("aid"));
  if (!found) throw Error(Code::not_found, "No such prepared answer in this debate.");
  store::PreparedAnswer a = *found;
  if (auto title = http::get_string(body, "title")) a.title = domain::checked_name(*title, kTitleChars, "title");
  if (auto text = http::get_string(body, "text")) a.text = domain::checked_text(*text, ctx.config().max_text_chars);
  if (auto lang = http::get_string(body, "lang")) a.lang = checked_lang(*lang);
  a.updated_ms = ctx.now_ms();
  if (!ctx.services.sql().update_prepared_answer(a, audit_of(ctx, event_id, "update_prepared_answer", a)))
    throw Error(Code::not_found, "No such prepared answer in this debate.");
  return item_response(200, a);
}

http::Response remove(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  auto found = ctx.services.sql().get_prepared_answer(event_id, ctx.param("aid"));
  if (!found || !ctx.services.sql().remove_prepared_answer(
                    event_id, found->id, audit_of(ctx, event_id, "delete_prepared_answer", *found)))
    throw Error(Code::not_found, "No such prepared answer in this debate.");
  return http::Response::no_content();
}

}  // namespace

void register_prepared_answer_routes(Router& router) {
  router.add("GET", "/api/events/{id}/prepared-answers", Access::guest_or_moderator, list);
  router.add("POST", "/api/events/{id}/prepared-answers", Access::guest_or_moderator, create);
  router.add("PATCH", "/api/events/{id}/prepared-answers/{aid}", Access::guest_or_moderator, update);
  router.add("DELETE", "/api/events/{id}/prepared-answers/{aid}", Access::guest_or_moderator, remove);
}

}  // namespace palabre::api
