// Audience signals: visitors support published questions (+1) and vote on
// live polls that moderators open and close (actions/audience.hpp).
#include "actions/audience.hpp"
#include "api/body.hpp"
#include "api/context.hpp"
#include "api/identity.hpp"
#include "api/mutation.hpp"
#include "core/error.hpp"
#include "domain/poll.hpp"
#include "http/json.hpp"
#include "redis/sessions.hpp"
#include "wire/frames.hpp"

namespace palabre::api {
namespace {

const Visitor& participating_visitor(Context& ctx, const std::string& event_id) {
  const Visitor& visitor = admitted_visitor(ctx);
  if (redis::is_banned(ctx.services.redis, event_id, visitor.visitor_id))
    throw Error(Code::banned, "You may no longer take part in this debate.");
  return visitor;
}

http::Response poll_response(int status, const domain::Poll& poll) {
  return http::Response::json(status, wire::poll_json(poll));
}

http::Response support(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const Visitor& visitor = participating_visitor(ctx, event_id);
  int64_t n = actions::support(mutation(ctx, "visitor:" + visitor.visitor_id), event_id, ctx.param("qid"),
                               visitor.visitor_id);
  http::JsonWriter w;
  w.start_object();
  w.field("supports", n);
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response list_polls(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  http::JsonWriter w;
  w.start_object();
  w.key("items");
  w.start_array();
  for (const auto& p : actions::polls(ctx.services.redis, event_id)) w.raw(wire::poll_json(p));
  w.end_array();
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response open_poll(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  rapidjson::Document body = body_object(ctx);
  auto options_field = body.FindMember("options");
  if (options_field == body.MemberEnd() || !options_field->value.IsArray())
    throw Error(Code::invalid_field, "Field 'options' must be a list of 2 to 8 texts.");
  std::vector<std::string> options;
  for (const auto& o : options_field->value.GetArray()) {
    if (!o.IsString()) throw Error(Code::invalid_field, "Field 'options' must be a list of 2 to 8 texts.");
    options.emplace_back(o.GetString(), o.GetStringLength());
  }
  bool multiple = false;
  if (auto f = body.FindMember("multiple"); f != body.MemberEnd()) {
    if (!f->value.IsBool()) throw Error(Code::invalid_field, "Field 'multiple' must be true or false.");
    multiple = f->value.GetBool();
  }
  domain::Poll poll = domain::checked_poll(http::require_string(body, "question"), options, multiple);
  return poll_response(201, actions::open_poll(mutation(ctx, admitted_staff(ctx)), event_id, std::move(poll)));
}

http::Response close_poll(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  return poll_response(200, actions::close_poll(mutation(ctx, admitted_staff(ctx)), event_id, ctx.param("pid")));
}

http::Response vote(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const Visitor& visitor = participating_visitor(ctx, event_id);
  rapidjson::Document body = body_object(ctx);
  auto options_field = body.FindMember("options");
  if (options_field == body.MemberEnd() || !options_field->value.IsArray())
    throw Error(Code::invalid_field, "Field 'options' must be a list of option numbers.");
  std::vector<int64_t> chosen;
  for (const auto& o : options_field->value.GetArray()) {
    if (!o.IsInt64()) throw Error(Code::invalid_field, "Field 'options' must be a list of option numbers.");
    chosen.push_back(o.GetInt64());
  }
  actions::vote(mutation(ctx, "visitor:" + visitor.visitor_id), event_id, ctx.param("pid"), visitor.visitor_id, chosen);
  http::JsonWriter w;
  w.start_object();
  w.field("voted", true);
  w.end_object();
  return http::Response::json(200, w.take());
}

}  // namespace

void register_audience_routes(Router& router) {
  router.add("POST", "/api/events/{id}/questions/{qid}/support", Access::visitor, support);
  router.add("GET", "/api/events/{id}/polls", Access::public_, list_polls);
  router.add("POST", "/api/events/{id}/polls", Access::moderator, open_poll);
  router.add("POST", "/api/events/{id}/polls/{pid}/close", Access::moderator, close_poll);
  router.add("POST", "/api/events/{id}/polls/{pid}/votes", Access::visitor, vote);
}

}  // namespace palabre::api
