// Events (debates): create, list, read, change, invite staff (the calendar
// file is api/calendar.cpp).
#include "actions/visitors.hpp"
#include "api/mutation.hpp"
#include "domain/controls.hpp"
#include "wire/frames.hpp"
#include "api/body.hpp"
#include "api/context.hpp"
#include "api/event_json.hpp"
#include "domain/text_rules.hpp"
#include "api/identity.hpp"
#include "api/guest_photos.hpp"
#include "api/logo.hpp"
#include "api/notify.hpp"
#include "api/public_copy.hpp"
#include "api/site.hpp"
#include "auth/invites.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "core/utf8.hpp"
#include "redis/staff_sessions.hpp"

#include <algorithm>

namespace palabre::api {
namespace {

http::Response create_event(Context& ctx) {
  const Staff& admin = admitted_staff(ctx);
  store::Event e = api::event_from_json(ctx.req.body, ctx.now_ms());
  std::optional<store::Logo> logo = fetch_logo_if_new(ctx, e);
  std::vector<store::Logo> photos = fetch_new_guest_photos(ctx, e);
  ctx.services.sql().create_event(e);
  if (logo) ctx.services.sql().put_logo(*logo);
  store_guest_photos(ctx, e, photos);
  ctx.services.sql().append_audit({0, e.id, actor_of(admin), "create_event", e.id,
                                   e.draft ? "{\"status\":\"draft\"}" : "{\"status\":\"published\"}", ctx.now_ms()});
  // The stream starts with the event's phase, before the 201, so that a
  // client that connects next never sees it arrive late. If Redis is down
  // the phase clock announces it when Redis is back; the event exists.
  try {
    announce_phase_change(ctx, e);
  } catch (const Error& err) {
    log::warn("phase not announced at creation", {{"event_id", e.id}, {"error", err.what()}});
  }
  return http::Response::json(201, api::event_json(ctx, e));
}

// Drafts are listed for admins only (the back-office's list); the public
// list, which nobody's credentials change, has published debates only.
http::Response list_events(Context& ctx) {
  auto events = ctx.services.sql().list_events(200);
  bool admin = false;
  try {
    admin = staff_of(ctx).role == Role::admin;
  } catch (const Error&) {
    // An unknown token lists what the public sees.
  }
  SiteDefaults site = site_defaults(ctx);
  std::string site_logo = site_logo_address(ctx, site);
  EventView view{ctx.now_ms(), ctx.req.base_url(), site, site_logo};
  http::JsonWriter w;
  w.start_object();
  w.key("events");
  w.start_array();
  for (const auto& e : events)
    if (!e.draft || admin) api::write_event(w.raw_writer(), e, view);
  w.end_array();
  w.end_object();
  return http::Response::json(200, w.take());
}

// Every visitor's page asks for this, a crowd at once when the debate is
// announced: nginx may keep the answer for a second (nginx/palabre.conf.in),
// but not across a change of phase, which the answer shows.
// The event's JSON with the moderators' live controls (slow mode, shield),
// which pages show and which live in Redis, not with the event in SQL. The
// page of a debate must load while Redis is away (it says so itself once
// its stream fails): then the controls are left out.
std::string event_with_controls(Context& ctx, const store::Event& e) {
  std::string json = api::event_json(ctx, e);
  std::string controls;
  try {
    controls = wire::controls_json(actions::controls(ctx.services.redis, e.id));
  } catch (const Error& err) {
    if (err.code() != Code::store_unavailable) throw;
    return json;
  }
  json.pop_back();  // the closing brace
  return json + ",\"controls\":" + controls + "}";
}

http::Response get_event(Context& ctx) {
  store::Event e = load_event(ctx, ctx.param("id"));
  const int64_t now = ctx.now_ms();
  http::Response r = http::Response::json(200, event_with_controls(ctx, e));
  // A draft is for staff, whose answers nginx never keeps anyway.
  if (!e.draft) allow_public_copy(r, e, now);
  return r;
}

http::Response patch_event(Context& ctx) {
  const std::string& id = ctx.param("id");
  store::Event e = load_event(ctx, id);
  const Staff& staff = admitted_staff(ctx);
  rapidjson::Document patch = body_object(ctx);
  // Slow mode and the shield are live controls (actions/visitors.hpp),
  // which moderators set like admins; the rest is the event's record.
  std::optional<int> slow_mode_s;
  std::optional<bool> shield;
  if (auto f = patch.FindMember("slow_mode_s"); f != patch.MemberEnd()) {
    if (!f->value.IsInt()) throw Error(Code::invalid_field, "Field 'slow_mode_s' must be a number of seconds.");
    slow_mode_s = f->value.GetInt();
    patch.RemoveMember(f);
  }
  if (auto f = patch.FindMember("shield"); f != patch.MemberEnd()) {
    if (!f->value.IsBool()) throw Error(Code::invalid_field, "Field 'shield' must be true or false.");
    shield = f->value.GetBool();
    patch.RemoveMember(f);
  }
  if (slow_mode_s && (*slow_mode_s < 0 || *slow_mode_s > domain::kMaxSlowModeS))
    throw Error(Code::invalid_field, "Field 'slow_mode_s' must be between 0 (off) and 3600.");
  if (patch.MemberCount() > 0) {
    const bool was_draft = e.draft;
    bool phase_changed = api::apply_event_patch(e, patch, staff.role != Role::admin, ctx.now_ms());
    std::optional<store::Logo> logo = fetch_logo_if_new(ctx, e);
    std::vector<store::Logo> photos = fetch_new_guest_photos(ctx, e);
    ctx.services.sql().update_event(e);
    if (logo) ctx.services.sql().put_logo(*logo);
    store_guest_photos(ctx, e, photos);
    // Publishing a draft is its own line in the log, as organisers look for it.
    const char* action = was_draft && !e.draft ? "publish_event" : !was_draft && e.draft ? "unpublish_event"
                                                                                       : "update_event";
    ctx.services.sql().append_audit({0, id, actor_of(staff), action, id, http::to_json(patch), ctx.now_ms()});
    if (phase_changed) announce_phase_change(ctx, e);
  }
  if (slow_mode_s || shield) actions::set_controls(mutation(ctx, staff), id, slow_mode_s, shield);
  return http::Response::json(200, event_with_controls(ctx, e));
}

void write_invite(http::JsonWriter& w, const store::Invite& i) {
  w.start_object();
  w.field("id", i.id);
  w.field("role", i.role);
  w.field("label", i.label);
  w.field("created_at", timefmt::format_rfc3339(i.created_ms));
  w.key("last_used_at");
  if (i.last_used_ms > 0) w.string(timefmt::format_rfc3339(i.last_used_ms)); else w.null();
  w.key("expires_at");
  w.string(timefmt::format_rfc3339(i.expires_ms > 0 ? i.expires_ms : i.window_end_ms));
  w.field("revoked", i.revoked);
  w.end_object();
}

// v2 {"role","label"[,"expires_at"]}: one labelled invite. Without "role"
// (no body, {} or v1's {"label"}): v1's moderator and guest pair.
http::Response create_invites(Context& ctx) {
  const std::string& id = ctx.param("id");
  store::Event e = load_event(ctx, id);
  const Staff& admin = admitted_staff(ctx);
  rapidjson::Document body = body_object(ctx, true);
  std::string base = ctx.config().public_url.empty() ? ctx.req.base_url() : ctx.config().public_url;
  if (base.back() != '/') base.push_back('/');
  store::Store& sql = ctx.services.sql();
  http::JsonWriter w;
  if (body.HasMember("role")) {
    std::string role = http::require_string(body, "role");
    if (role != "moderator" && role != "guest")
      throw Error(Code::invalid_field, "role: \"moderator\" or \"guest\".");
    // A person's name, under the same rules as every name shown to others.
    std::string label = domain::checked_name(http::require_string(body, "label"), 100, "label");
    if (role == "guest") {
      auto names = guest_names(e);
      if (std::find(names.begin(), names.end(), label) == names.end())
        throw Error(Code::unknown_guest, "label: a guest invite is for one of the debate's guests, by name.");
    }
    int64_t expires_ms = 0;
    if (auto at = http::get_string(body, "expires_at")) {
      auto parsed = timefmt::parse_rfc3339(*at);
      if (!parsed || *parsed <= ctx.now_ms()) throw Error(Code::invalid_field, "expires_at: a time in the future.");
      expires_ms = *parsed;
    }
    auth::IssuedInvite issued = auth::create_invite(sql, id, role, label, base, ctx.now_ms(), expires_ms);
    http::JsonWriter details;
    details.start_object();
    details.field("invite_id", issued.id);
    details.field("role", role);
    details.field("label", label);
    details.end_object();
    sql.append_audit({0, id, actor_of(admin), "create_invite", issued.id, details.take(), ctx.now_ms()});
    w.start_object();
    w.field("id", issued.id);
    w.field("role", role);
    w.field("label", label);
    w.field("url", issued.url);
    w.field("token", issued.token);
    w.end_object();
    return http::Response::json(201, w.take());
  }
  std::string label = http::get_string(body, "label").value_or("");
  auth::InviteTokens t = auth::create_invites(sql, id, base, label, ctx.now_ms());
  sql.append_audit({0, id, actor_of(admin), "create_invites", id, "{}", ctx.now_ms()});
  w.start_object();
  w.field("moderator_url", t.moderator_url);
  w.field("guest_url", t.guest_url);
  w.field("moderator_token", t.moderator_token);
  w.field("guest_token", t.guest_token);
  w.end_object();
  return http::Response::json(201, w.take());
}

http::Response list_invites(Context& ctx) {
  const std::string& id = ctx.param("id");
  load_event(ctx, id);
  http::JsonWriter w;
  w.start_object();
  w.key("items");
  w.start_array();
  for (const auto& i : ctx.services.sql().list_invites(id)) write_invite(w, i);
  w.end_array();
  w.end_object();
  return http::Response::json(200, w.take());
}

// The token stops working at once (every lookup checks `revoked`, the
// sessions exchanged from it included); its open staff streams are closed
// by every worker on the fan-out message.
http::Response revoke_invite(Context& ctx) {
  const std::string& id = ctx.param("id");
  load_event(ctx, id);
  const Staff& admin = admitted_staff(ctx);
  const std::string& invite_id = ctx.param("invite_id");
  store::Store& sql = ctx.services.sql();
  auto invite = sql.find_invite_by_id(invite_id);
  if (!invite || invite->event_id != id) throw Error(Code::not_found, "No such invite.");
  if (sql.revoke_invite(id, invite_id, ctx.now_ms())) {
    http::JsonWriter details;
    details.start_object();
    details.field("invite_id", invite_id);
    details.field("label", invite->label);
    details.end_object();
    sql.append_audit({0, id, actor_of(admin), "revoke_invite", invite_id, details.take(), ctx.now_ms()});
  }
  // Sent again for an invite already revoked: a stream that slipped through
  // the first time is closed too.
  redis::staff::close_streams(ctx.services.redis, "invite", invite_id);
  return http::Response::no_content();
}

}  // namespace

void register_event_routes(Router& router) {
  router.add("POST", "/api/events", Access::admin, create_event);
  router.add("GET", "/api/events", Access::public_, list_events);
  router.add("GET", "/api/events/{id}", Access::public_, get_event);
  // Moderators may change only ends_at and closed (api::apply_event_patch).
  router.add("PATCH", "/api/events/{id}", Access::moderator, patch_event);
  router.add("POST", "/api/events/{id}/invites", Access::admin, create_invites);
  router.add("GET", "/api/events/{id}/invites", Access::admin, list_invites);
  router.add("DELETE", "/api/events/{id}/invites/{invite_id}", Access::admin, revoke_invite);
}

}  // namespace palabre::api
