// The invited guest: the questions handed to them, in order, and answers.
#include <algorithm>

#include "actions/questions.hpp"
#include "api/body.hpp"
#include "api/context.hpp"
#include "api/event_json.hpp"
#include "api/identity.hpp"
#include "api/mutation.hpp"
#include "api/notify.hpp"
#include "core/error.hpp"
#include "api/idempotency.hpp"
#include "wire/frames.hpp"
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
    if (domain::in_guest_queue(q)) forwarded.push_back(q);
  std::sort(forwarded.begin(), forwarded.end(),
            [](const auto& a, const auto& b) { return a.guest_order < b.guest_order; });
  http::JsonWriter w;
  w.start_object();
  w.key("questions");
  w.start_array();
  for (const auto& q : forwarded) wire::write_staff_json(w, q);
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
  // With an Idempotency-Key, a retry whose first attempt died after
  // publishing finds that answer instead of publishing it twice.
  std::string id = id_for_request(ctx, "a_");
  auto answered = actions::answer(mutation(ctx, staff), event_id, qid, id, author, text);
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
  router.add("POST", "/api/events/{id}/answers", Access::guest_or_moderator, answer);
}

}  // namespace palabre::api
