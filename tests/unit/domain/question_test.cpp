#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "domain/moderation.hpp"
#include "domain/question.hpp"

using namespace palabre::domain;
using palabre::Code;
using palabre::Error;

namespace {

Question pending_question() {
  Question q;
  q.id = "q_1";
  q.event_id = "budget";
  q.text = "Pourquoi ?";
  q.version = 3;
  return q;
}

bool refused_as_conflict(const Question& q, Action a) {
  try {
    decide(q, a, {}, 1000);
  } catch (const Error& e) {
    return e.code() == Code::conflict;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(question)

BOOST_AUTO_TEST_CASE(survives_a_round_trip_through_redis_fields) {
  Question q = pending_question();
  q.forwarded = true;
  q.created_ms = 42;
  q.status = Status::retracted;
  Question back = from_fields(to_fields(q));
  BOOST_TEST(back.id == "q_1");
  BOOST_TEST(back.text == "Pourquoi ?");
  BOOST_TEST(back.forwarded);
  BOOST_TEST(!back.answered);
  BOOST_TEST(back.created_ms == 42);
  BOOST_TEST(back.version == 3);
  BOOST_TEST((back.status == Status::retracted));
}

BOOST_AUTO_TEST_CASE(statuses_have_their_wire_names) {
  for (Status s : {Status::pending, Status::published, Status::rejected, Status::retracted, Status::merged})
    BOOST_TEST((parse_status(status_name(s)) == s));
  BOOST_TEST(!parse_status("deleted").has_value());
}

BOOST_AUTO_TEST_CASE(what_the_guest_sees_and_may_answer) {
  Question q = pending_question();
  BOOST_TEST(!in_guest_queue(q));
  BOOST_TEST(!answerable(q));
  q.forwarded = true;
  BOOST_TEST(in_guest_queue(q));
  BOOST_TEST(answerable(q));
  q.answered = true;
  BOOST_TEST(!in_guest_queue(q));
  q.status = Status::rejected;
  BOOST_TEST(!answerable(q));
}

BOOST_AUTO_TEST_CASE(never_public_questions_are_those_the_purge_deletes) {
  Question q = pending_question();
  BOOST_TEST(never_public(q));
  q.status = Status::rejected;
  BOOST_TEST(never_public(q));
  q.status = Status::merged;
  BOOST_TEST(never_public(q));
  q.status = Status::published;
  BOOST_TEST(!never_public(q));
  q.status = Status::retracted;
  BOOST_TEST(!never_public(q));
}

BOOST_AUTO_TEST_CASE(publishing_makes_it_public_once) {
  Change c = decide(pending_question(), Action::publish, {}, 1000);
  BOOST_TEST((c.after.status == Status::published));
  BOOST_TEST(c.after.version == 4);
  BOOST_TEST(c.after.updated_ms == 1000);
  BOOST_TEST(c.leaves_pending_queue);
  BOOST_TEST(c.public_frame == "message");
  BOOST_TEST(refused_as_conflict(c.after, Action::publish));
  BOOST_TEST(refused_as_conflict(c.after, Action::reject));
  BOOST_TEST(refused_as_conflict(c.after, Action::edit));
}

BOOST_AUTO_TEST_CASE(an_edit_keeps_the_first_text_and_marks_the_question_edited) {
  Question q = pending_question();
  Change c = decide(q, Action::edit, {.text = "Pourquoi donc ?"}, 1000);
  BOOST_TEST(c.after.text == "Pourquoi donc ?");
  BOOST_TEST(c.after.original_text == "Pourquoi ?");
  BOOST_TEST(c.before_text == "Pourquoi ?");
  BOOST_TEST(is_edited(c.after));
  BOOST_TEST(c.public_frame.empty());
  Change again = decide(c.after, Action::edit, {.text = "Pourquoi encore ?"}, 2000);
  BOOST_TEST(again.after.original_text == "Pourquoi ?", "the author's own text is kept, not the first edit");
  BOOST_TEST(again.before_text == "Pourquoi donc ?");
  Change back = decide(again.after, Action::edit, {.text = "Pourquoi ?"}, 3000);
  BOOST_TEST(!is_edited(back.after), "put back as written, it is not marked edited");
}

BOOST_AUTO_TEST_CASE(forwarding_queues_it_for_the_guest_and_retracting_takes_it_back) {
  Change f = decide(pending_question(), Action::forward, {}, 5000);
  BOOST_TEST(f.after.forwarded);
  BOOST_TEST(f.after.guest_order == 5000);
  BOOST_TEST((f.guest_queue == GuestQueueMove::add));
  BOOST_TEST(!f.leaves_pending_queue, "a forwarded question still awaits a moderator's decision");
  Change p = decide(f.after, Action::publish, {}, 6000);
  Change r = decide(p.after, Action::retract, {}, 7000);
  BOOST_TEST((r.after.status == Status::retracted));
  BOOST_TEST((r.guest_queue == GuestQueueMove::remove));
  BOOST_TEST(r.public_frame == "retract");
  BOOST_TEST(refused_as_conflict(r.after, Action::forward));
}

BOOST_AUTO_TEST_CASE(rejecting_keeps_the_reason_and_leaves_the_queues) {
  Change f = decide(pending_question(), Action::forward, {}, 5000);
  Change r = decide(f.after, Action::reject, {.reason = RejectReason::off_topic, .note = "hors sujet"}, 6000);
  BOOST_TEST((r.after.status == Status::rejected));
  BOOST_TEST(r.after.reject_reason == "off_topic");
  BOOST_TEST(r.after.reject_note == "hors sujet");
  BOOST_TEST(r.leaves_pending_queue);
  BOOST_TEST((r.guest_queue == GuestQueueMove::remove));
  BOOST_TEST(r.public_frame.empty());
}

BOOST_AUTO_TEST_CASE(an_answer_publishes_a_forwarded_question_first) {
  Question q = pending_question();
  BOOST_TEST([&] {
    try {
      decide_answer(q, 1000);
    } catch (const Error& e) {
      return e.code() == Code::conflict;
    }
    return false;
  }());
  q.forwarded = true;
  Change c = decide_answer(q, 1000);
  BOOST_TEST((c.after.status == Status::published));
  BOOST_TEST(c.public_frame == "message");
  BOOST_TEST(c.after.answered);
  BOOST_TEST((c.guest_queue == GuestQueueMove::remove));
  Change again = decide_answer(c.after, 2000);
  BOOST_TEST(again.public_frame.empty(), "a second answer does not publish the question again");
}

BOOST_AUTO_TEST_CASE(reject_reasons_are_a_short_list) {
  for (const char* name : {"off_topic", "duplicate", "already_answered", "abusive", "personal_data", "other"})
    BOOST_TEST(reject_reason_name(*parse_reject_reason(name)) == name);
  BOOST_TEST(!parse_reject_reason("hors sujet").has_value());
}

BOOST_AUTO_TEST_CASE(a_merge_credits_every_author_once_and_takes_the_duplicate_out) {
  Question target = pending_question();
  target.visitor_id = "v_a";
  target.author = "Anne";
  Question dup = pending_question();
  dup.id = "q_2";
  dup.visitor_id = "v_b";
  dup.author = "Bruno";
  dup.forwarded = true;
  dup.co_authors = {{"v_c", "Chloé"}, {"v_a", "Anne"}};
  Merge m = decide_merge(dup, target, 9000);
  BOOST_TEST((m.source.after.status == Status::merged));
  BOOST_TEST(m.source.after.merged_into == "q_1");
  BOOST_TEST(m.source.leaves_pending_queue);
  BOOST_TEST((m.source.guest_queue == GuestQueueMove::remove));
  auto names = credited(m.target.after);
  BOOST_REQUIRE(names.size() == 3u);
  BOOST_TEST(names[0].name == "Anne");
  BOOST_TEST(names[1].name == "Bruno");
  BOOST_TEST(names[2].name == "Chloé");
  BOOST_TEST(m.target.after.version == target.version + 1);
  Question back = from_fields(to_fields(m.target.after));
  BOOST_TEST(back.co_authors.size() == 2u);
  BOOST_TEST(back.co_authors[1].visitor_id == "v_c");

  BOOST_CHECK_THROW(decide_merge(target, target, 1), Error);
  Question published = target;
  published.status = Status::published;
  BOOST_TEST([&] {
    try {
      decide_merge(dup, published, 1);
    } catch (const Error& e) {
      return e.code() == Code::conflict;
    }
    return false;
  }());
}

BOOST_AUTO_TEST_CASE(actions_have_their_wire_names) {
  for (Action a : {Action::publish, Action::reject, Action::forward, Action::edit, Action::retract})
    BOOST_TEST((parse_action(action_name(a)) == a));
  BOOST_TEST(!parse_action("delete").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
