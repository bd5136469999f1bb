// The invited guest: the questions handed to them, in order, and answers.
#include <algorithm>

#include "api/body.hpp"
#include "api/context.hpp"
#include "api/event_json.hpp"
#include "api/identity.hpp"
#include "api/notify.hpp"
#include "core/error.hpp"
#include "api/idempotency.hpp"
#include "api/question_json.hpp"
#include "domain/question.hpp"
#include "domain/text_rules.hpp"
#include "core/cursor.hpp"
#include "api/live_history.hpp"
#include "redis/keys.hpp"
#include "redis/questions.hpp"
#include "redis/streams.hpp"

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
  auto all = redis::event_questions(ctx.services.redis, event_id);
  std::vector<domain::Question> forwarded;
  for (auto& q : all)
    if (q.forwarded && !q.answered && (q.status == "pending" || q.status == "published")) forwarded.push_back(q);
  std::sort(forwarded.begin(), forwarded.end(),
            [](const auto& a, const auto& b) { return a.guest_order < b.guest_order; });
  http::JsonWriter w;
  w.start_object();
  w.key("questions");
  w.start_array();
  for (const auto& q : forwarded) api::write_staff_json(w, q);
  w.end_array();
  w.field("cursor", live_cursor(ctx, event_id, keys::guest_stream(event_id)));
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response answer(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  store::Event e = load_event(ctx, event_id);
  const Staff& staff = admitted_staff(ctx);
  rapidjson::Document body = body_object(ctx);
  std::string qid = http::require_string(body, "question_id");
  std::string text = domain::checked_text(http::require_string(body, "text"), ctx.config().max_text_chars);
  std::string author = answer_author(e, staff, body);
  domain::Question q = load_event_question(ctx, event_id, qid);
  if (q.status != "published" && !(q.status == "pending" && q.forwarded))
    throw Error(Code::conflict, "Only forwarded or published questions can be answered.");
  redis::Connection& redis = ctx.services.redis;
  int64_t now = ctx.now_ms();

  // The answer must appear under its question: publish the question first
  // if the moderator forwarded it without publishing it.
  if (q.status == "pending") {
    std::string data = api::message_json(q.id, "question", q.author, q.text, q.lang, "", now);
    auto r = redis::transition(redis, ctx.config(), q, "pending", "published", "message", data,
                               {{"updated_ms", std::to_string(now)}});
    archive_public(ctx, event_id, r.public_cursor, "message", data);
  }
  // With an Idempotency-Key, a retry whose first attempt died after
  // publishing finds that answer instead of publishing it twice.
  std::string id = id_for_request(ctx, "a_");
  std::string data = api::message_json(id, "answer", author, text, q.lang, q.id, now);
  auto published = redis::publish_public(redis, ctx.config(), event_id, "message", data, ctx.idempotency_digest);
  if (published.appended) archive_public(ctx, event_id, published.id, "message", data);
  redis::transition(redis, ctx.config(), q, "*", "", "", "", {{"answered", "1"}, {"updated_ms", std::to_string(now)}});
  redis::remove_from_guest_queue(redis, event_id, q.id);
  if (published.appended) ctx.services.sql().append_audit({0, event_id, actor_of(staff), "answer", q.id, "{}", now});
  announce_question_change(ctx, q.id);

  http::JsonWriter w;
  w.start_object();
  w.field("id", id);
  w.field("cursor", published_cursor(ctx, event_id, published));
  w.end_object();
  return http::Response::json(201, w.take());
}

}  // namespace

void register_guest_routes(Router& router) {
  router.add("GET", "/api/events/{id}/guest-queue", Access::guest_or_moderator, guest_queue);
  router.add("POST", "/api/events/{id}/answers", Access::guest_or_moderator, answer);
}

}  // namespace palabre::api
