// Blocked words and patterns (domain/word_filter.hpp): a debate's list,
// kept by its moderators, and the site-wide list of the back-office. A
// question that matches either is flagged for the moderators, never dropped.
#include "api/body.hpp"
#include "api/context.hpp"
#include "api/identity.hpp"
#include "core/error.hpp"
#include "domain/text_rules.hpp"
#include "domain/word_filter.hpp"
#include "http/json.hpp"

namespace palabre::api {
namespace {

http::Response list_response(const std::vector<store::WordFilterRow>& rows) {
  http::JsonWriter w;
  w.start_object();
  w.key("items");
  w.start_array();
  for (const auto& f : rows) {
    w.start_object();
    w.field("pattern", f.pattern);
    w.field("lang", f.lang);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return http::Response::json(200, w.take());
}

std::vector<store::WordFilterRow> checked_items(Context& ctx) {
  rapidjson::Document body = body_object(ctx);
  auto items = body.FindMember("items");
  if (items == body.MemberEnd() || !items->value.IsArray())
    throw Error(Code::invalid_field, "Field 'items' must be a list of {\"pattern\", \"lang\"}.");
  if (items->value.Size() > domain::kMaxWordFilters)
    throw Error(Code::invalid_field, "A list holds at most 500 patterns.");
  std::vector<store::WordFilterRow> rows;
  for (const auto& item : items->value.GetArray()) {
    if (!item.IsObject()) throw Error(Code::invalid_field, "Field 'items' must be a list of {\"pattern\", \"lang\"}.");
    store::WordFilterRow row{domain::checked_pattern(http::require_string(item, "pattern")),
                             http::get_string(item, "lang").value_or("")};
    if (!row.lang.empty() && !domain::is_language_tag(row.lang))
      throw Error(Code::invalid_field, "Field 'lang' must be a language tag, or empty for every language.");
    rows.push_back(std::move(row));
  }
  return rows;
}

http::Response get_event_filters(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  return list_response(ctx.services.sql().word_filters(event_id));
}

http::Response put_event_filters(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  auto rows = checked_items(ctx);
  store::AuditEntry audit{0, event_id, actor_of(admitted_staff(ctx)), "word_filters", event_id,
                          "{\"count\":" + std::to_string(rows.size()) + "}", ctx.now_ms()};
  ctx.services.sql().replace_word_filters(event_id, rows, audit);
  return list_response(rows);
}

http::Response get_site_filters(Context& ctx) { return list_response(ctx.services.sql().word_filters("")); }

http::Response put_site_filters(Context& ctx) {
  auto rows = checked_items(ctx);
  ctx.services.sql().replace_word_filters("", rows, std::nullopt);
  return list_response(rows);
}

}  // namespace

void register_word_filter_routes(Router& router) {
  router.add("GET", "/api/events/{id}/word-filters", Access::moderator, get_event_filters);
  router.add("PUT", "/api/events/{id}/word-filters", Access::moderator, put_event_filters);
  router.add("GET", "/api/word-filters", Access::admin, get_site_filters);
  router.add("PUT", "/api/word-filters", Access::admin, put_site_filters);
}

}  // namespace palabre::api
