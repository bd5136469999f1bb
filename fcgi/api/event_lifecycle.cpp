// What the back-office does to a debate as a whole: duplicate it as a new
// draft, delete it with everything it holds. (Drafts and publishing are a
// field of the event: api/events.cpp, PATCH {"status"}.)
#include "actions/event_removal.hpp"
#include "api/context.hpp"
#include "api/event_json.hpp"
#include "api/identity.hpp"
#include "api/notify.hpp"
#include "api/site.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "domain/text_rules.hpp"
#include "http/json.hpp"
#include "redis/staff_sessions.hpp"

namespace palabre::api {
namespace {

// A new draft with the same settings, guests and their photos, branding, logo, word filters
// and prepared answers; no questions, no invites, no history.
http::Response duplicate_event(Context& ctx) {
  const std::string& id = ctx.param("id");
  store::Event source = load_event(ctx, id);
  const Staff& admin = admitted_staff(ctx);
  store::Store& sql = ctx.services.sql();
  store::Event copy = source;
  copy.id = ids::new_id("");
  copy.draft = true;
  copy.closed = false;
  copy.created_ms = copy.updated_ms = ctx.now_ms();
  const std::string actor = actor_of(admin);
  http::JsonWriter details;
  details.start_object();
  details.field("from", id);
  details.end_object();
  sql.create_event(copy);
  sql.append_audit({0, copy.id, actor, "duplicate_event", copy.id, details.take(), ctx.now_ms()});
  if (auto logo = sql.get_logo(id)) {
    logo->event_id = copy.id;
    sql.put_logo(*logo);
  }
  for (const auto& url : guest_photo_urls(source)) {
    if (url.empty()) continue;
    if (auto photo = sql.get_guest_photo(id, url)) {
      photo->event_id = copy.id;
      sql.put_guest_photo(*photo);
    }
  }
  if (auto filters = sql.word_filters(id); !filters.empty())
    sql.replace_word_filters(copy.id, filters,
                             store::AuditEntry{0, copy.id, actor, "word_filters", copy.id,
                                               "{\"count\":" + std::to_string(filters.size()) + "}", ctx.now_ms()});
  for (store::PreparedAnswer a : sql.list_prepared_answers(id)) {
    a.id = ids::new_id("pa_");
    a.event_id = copy.id;
    a.created_ms = a.updated_ms = ctx.now_ms();
    sql.create_prepared_answer(a, {0, copy.id, actor, "create_prepared_answer", a.id, "{}", ctx.now_ms()});
  }
  // As at creation (api/events.cpp): the copy's stream starts with its
  // phase before the 201, rather than whenever a phase clock gets to it.
  try {
    announce_phase_change(ctx, copy);
  } catch (const Error& err) {
    log::warn("phase not announced for a copy", {{"event_id", copy.id}, {"error", err.what()}});
  }
  return http::Response::json(201, event_json(ctx, copy));
}

// SQL first, in one transaction: once it is done the debate answers 404
// everywhere, and what Redis still holds can no longer be reached. Redis
// next; if it fails there, the 503 says so and the same DELETE finishes it
// (the second call finds no debate in SQL and cleans Redis again).
http::Response delete_event(Context& ctx) {
  const std::string& id = ctx.param("id");
  const Staff& admin = admitted_staff(ctx);
  if (!domain::is_event_id(id)) throw Error(Code::not_found, "No such debate.");
  store::Store& sql = ctx.services.sql();
  auto event = sql.get_event(id);
  std::vector<store::Invite> invites;
  if (event) {
    invites = sql.list_invites(id);
    http::JsonWriter details;
    details.start_object();
    details.field("title", event->title);
    details.field("status", event->draft ? "draft" : "published");
    details.end_object();
    sql.delete_event(id, {0, "", actor_of(admin), "delete_event", id, details.take(), ctx.now_ms()});
  }
  size_t keys = actions::remove_event_state(ctx.services.redis, id);
  // Staff consoles of the debate close now, as for a revoked invite.
  for (const auto& invite : invites) redis::staff::close_streams(ctx.services.redis, "invite", invite.id);
  if (!event && keys == 0) throw Error(Code::not_found, "No such debate.");
  log::info("debate deleted", {{"event_id", id}, {"redis_keys", std::to_string(keys)}, {"actor", actor_of(admin)}});
  return http::Response::no_content();
}

}  // namespace

void register_event_lifecycle_routes(Router& router) {
  router.add("POST", "/api/events/{id}/duplicate", Access::admin, duplicate_event);
  router.add("DELETE", "/api/events/{id}", Access::admin, delete_event);
}

}  // namespace palabre::api
