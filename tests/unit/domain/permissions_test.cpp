#include <boost/test/unit_test.hpp>

#include "domain/permissions.hpp"

using namespace palabre::domain;

namespace {
Caller staff(Role role, std::string_view event = "") {
  Caller c;
  c.role = role;
  c.staff_event = event;
  return c;
}
Caller visitor_here() {
  Caller c;
  c.visitor = true;
  return c;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(permissions)

BOOST_AUTO_TEST_CASE(public_and_local_routes_admit_everyone) {
  for (Access a : {Access::public_, Access::local}) {
    BOOST_TEST((evaluate(a, Caller{}, "demo") == Verdict::allowed));
    BOOST_TEST((evaluate(a, staff(Role::guest, "other"), "demo") == Verdict::allowed));
    BOOST_TEST((evaluate(a, Caller{}, "") == Verdict::allowed));
  }
}

BOOST_AUTO_TEST_CASE(a_visitor_route_wants_a_session_of_this_debate) {
  BOOST_TEST((evaluate(Access::visitor, visitor_here(), "demo") == Verdict::allowed));
  BOOST_TEST((evaluate(Access::visitor, Caller{}, "demo") == Verdict::not_joined));
  // Staff are not visitors: no session of the debate, not joined.
  BOOST_TEST((evaluate(Access::visitor, staff(Role::admin), "demo") == Verdict::not_joined));
  BOOST_TEST((evaluate(Access::visitor, staff(Role::moderator, "demo"), "demo") == Verdict::not_joined));
}

BOOST_AUTO_TEST_CASE(admin_routes_admit_admins_only) {
  BOOST_TEST((evaluate(Access::admin, staff(Role::admin), "demo") == Verdict::allowed));
  BOOST_TEST((evaluate(Access::admin, staff(Role::admin), "") == Verdict::allowed));
  BOOST_TEST((evaluate(Access::admin, staff(Role::moderator, "demo"), "demo") == Verdict::forbidden));
  BOOST_TEST((evaluate(Access::admin, staff(Role::guest, "demo"), "demo") == Verdict::forbidden));
  BOOST_TEST((evaluate(Access::admin, Caller{}, "demo") == Verdict::unauthorized));
  BOOST_TEST((evaluate(Access::admin, visitor_here(), "demo") == Verdict::unauthorized));
}

BOOST_AUTO_TEST_CASE(moderator_routes_admit_admins_and_this_debates_moderators) {
  BOOST_TEST((evaluate(Access::moderator, staff(Role::admin), "demo") == Verdict::allowed));
  BOOST_TEST((evaluate(Access::moderator, staff(Role::moderator, "demo"), "demo") == Verdict::allowed));
  BOOST_TEST((evaluate(Access::moderator, staff(Role::moderator, "other"), "demo") == Verdict::forbidden));
  BOOST_TEST((evaluate(Access::moderator, staff(Role::guest, "demo"), "demo") == Verdict::forbidden));
  BOOST_TEST((evaluate(Access::moderator, Caller{}, "demo") == Verdict::unauthorized));
  BOOST_TEST((evaluate(Access::moderator, visitor_here(), "demo") == Verdict::unauthorized));
  // A route without a debate admits no invite (an invite is of one debate).
  BOOST_TEST((evaluate(Access::moderator, staff(Role::moderator, ""), "") == Verdict::forbidden));
  // Ids are compared whole: a prefix is another debate.
  BOOST_TEST((evaluate(Access::moderator, staff(Role::moderator, "dem"), "demo") == Verdict::forbidden));
}

BOOST_AUTO_TEST_CASE(guest_routes_admit_this_debates_guests_too) {
  BOOST_TEST((evaluate(Access::guest_or_moderator, staff(Role::guest, "demo"), "demo") == Verdict::allowed));
  BOOST_TEST((evaluate(Access::guest_or_moderator, staff(Role::moderator, "demo"), "demo") == Verdict::allowed));
  BOOST_TEST((evaluate(Access::guest_or_moderator, staff(Role::admin), "demo") == Verdict::allowed));
  BOOST_TEST((evaluate(Access::guest_or_moderator, staff(Role::guest, "other"), "demo") == Verdict::forbidden));
  BOOST_TEST((evaluate(Access::guest_or_moderator, Caller{}, "demo") == Verdict::unauthorized));
}

BOOST_AUTO_TEST_CASE(staff_routes_admit_any_staff_credential) {
  BOOST_TEST((evaluate(Access::staff, staff(Role::guest, "other"), "") == Verdict::allowed));
  BOOST_TEST((evaluate(Access::staff, staff(Role::admin), "") == Verdict::allowed));
  BOOST_TEST((evaluate(Access::staff, Caller{}, "") == Verdict::unauthorized));
  BOOST_TEST((evaluate(Access::staff, visitor_here(), "") == Verdict::unauthorized));
}

BOOST_AUTO_TEST_CASE(only_the_rules_that_need_a_credential_look_one_up) {
  BOOST_TEST(!needs_staff(Access::public_));
  BOOST_TEST(!needs_staff(Access::local));
  BOOST_TEST(!needs_staff(Access::visitor));
  BOOST_TEST(needs_staff(Access::admin));
  BOOST_TEST(needs_staff(Access::staff));
  BOOST_TEST(needs_visitor(Access::visitor));
  BOOST_TEST(!needs_visitor(Access::moderator));
}

BOOST_AUTO_TEST_CASE(every_rule_has_a_name_that_reads_back) {
  for (Access a : kAllAccess) {
    auto back = access_from_name(access_name(a));
    BOOST_TEST(back.has_value());
    BOOST_TEST((*back == a));
  }
  BOOST_TEST(access_name(Access::public_) == "public");
  BOOST_TEST(!access_from_name("public_").has_value());
  BOOST_TEST(!access_from_name("").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
