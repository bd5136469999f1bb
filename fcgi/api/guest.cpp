// The invited guest: the questions handed to them, in order, and answers.
#include "actions/guest_queue.hpp"
#include "actions/questions.hpp"
#include "api/body.hpp"
#include "api/context.hpp"
#include "api/event_json.hpp"
#include "api/idempotency.hpp"
#include "api/identity.hpp"
#include "api/live_history.hpp"
#include "api/mutation.hpp"
#include "core/error.hpp"
#include "domain/question.hpp"
#include "domain/text_rules.hpp"
#include "redis/keys.hpp"
#include "redis/questions.hpp"
#include "wire/frames.hpp"

namespace palabre::api {
namespace {

// The name an answer is signed with: always one of the debate's declared
// guests, never free text (else a guest invite could publish as "Le
// Président de la République"). A guest whose invite names them signs with
// that name and no other; a moderator (or an unlabelled v1 guest invite)
// may name any declared guest in `author`; without it, the first guest.
std::string answer_author(const store::Event& e, const Staff& staff, const rapidjson::Value& body) {
  const std::vector<std::string> guests = guest_names(e);
  auto author = http::get_string(body, "author");
  if (staff.role == Role::guest && !staff.label.empty()) {
    if (author && *author != staff.label)
      throw Error(Code::forbidden, "You answer as " + staff.label + ", the guest your invite names.");
    return staff.label;
  }
  if (!author) return guests.empty() ? std::string("guest") : guests.front();
  for (const auto& g : guests)
    if (g == *author) return g;
  throw Error(Code::invalid_field, "Field 'author' must be the name of one of this debate's guests.");
}

http::Response guest_queue(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  // The cursor first: what changes after it is on the guest stream.
  std::string cursor = live_cursor(ctx, event_id, keys::guest_stream(event_id));
  actions::GuestQueue queue = actions::guest_queue(ctx.services.redis, event_id);
  http::JsonWriter w;
  w.start_object();
  w.key("questions");
  w.start_array();
  for (const auto& q : redis::load_questions(ctx.services.redis, event_id, queue.order))
    if (domain::in_guest_queue(q)) wire::write_staff_json(w, q);
  w.end_array();
  w.field_or_null("now", queue.now);
  w.field("cursor", cursor);
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response arrange_guest_queue(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  rapidjson::Document body = body_object(ctx);
  auto order_field = body.FindMember("order");
  if (order_field == body.MemberEnd() || !order_field->value.IsArray())
    throw Error(Code::invalid_field, "Field 'order' must be a list of question ids.");
  std::vector<std::string> order;
  for (const auto& id : order_field->value.GetArray()) {
    if (!id.IsString()) throw Error(Code::invalid_field, "Field 'order' must be a list of question ids.");
    order.emplace_back(id.GetString(), id.GetStringLength());
  }
  std::optional<std::string> now;
  if (auto f = body.FindMember("now"); f != body.MemberEnd()) {
    if (f->value.IsNull()) now = "";
    else if (f->value.IsString()) now = std::string(f->value.GetString(), f->value.GetStringLength());
    else throw Error(Code::invalid_field, "Field 'now' must be a question id or null.");
  }
  auto arranged = actions::arrange_guest_queue(mutation(ctx, admitted_staff(ctx)), event_id, order, now);
  http::JsonWriter w;
  w.start_object();
  w.key("order");
  w.start_array();
  for (const auto& id : arranged.order) w.string(id);
  w.end_array();
  w.field_or_null("now", arranged.now);
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response answer(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  store::Event e = load_event(ctx, event_id);
  const Staff& staff = admitted_staff(ctx);
  rapidjson::Document body = body_object(ctx);
  std::string qid = http::require_string(body, "question_id");
  // The text as sent (a prepared answer edited first), or a prepared
  // answer's as it stands.
  std::optional<std::string> text = http::get_string(body, "text");
  if (!text) {
    auto prepared_id = http::get_string(body, "prepared_answer_id");
    if (!prepared_id) throw Error(Code::invalid_field, "Field 'text' (or 'prepared_answer_id') is required.");
    auto prepared = ctx.services.sql().get_prepared_answer(event_id, *prepared_id);
    if (!prepared) throw Error(Code::not_found, "No such prepared answer in this debate.");
    text = prepared->text;
  }
  *text = domain::checked_text(*text, ctx.config().max_text_chars);
  std::string author = answer_author(e, staff, body);
  // With an Idempotency-Key, a retry whose first attempt died after
  // publishing finds that answer instead of publishing it twice.
  std::string id = id_for_request(ctx, "a_");
  auto answered = actions::answer(mutation(ctx, staff), event_id, qid, id, author, *text);
  http::JsonWriter w;
  w.start_object();
  w.field("id", id);
  w.field("cursor", published_cursor(ctx, event_id, answered.epoch, answered.entry_id));
  w.end_object();
  return http::Response::json(201, w.take());
}

}  // namespace

void register_guest_routes(Router& router) {
  router.add("GET", "/api/events/{id}/guest-queue", Access::guest_or_moderator, guest_queue);
  router.add("PUT", "/api/events/{id}/guest-queue", Access::moderator, arrange_guest_queue);
  router.add("POST", "/api/events/{id}/answers", Access::guest_or_moderator, answer);
}

}  // namespace palabre::api
