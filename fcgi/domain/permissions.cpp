#include "domain/permissions.hpp"

namespace palabre::domain {
namespace {

// A staff rule: nobody signed in → unauthorized; admin → allowed; an invite
// → allowed when its role is accepted and it is of the route's debate.
Verdict staff_rule(const Caller& caller, std::string_view event_id, bool guest_ok) {
  if (caller.role == Role::none) return Verdict::unauthorized;
  if (caller.role == Role::admin) return Verdict::allowed;
  bool role_ok = caller.role == Role::moderator || (guest_ok && caller.role == Role::guest);
  if (role_ok && !event_id.empty() && caller.staff_event == event_id) return Verdict::allowed;
  return Verdict::forbidden;
}

}  // namespace

Verdict evaluate(Access access, const Caller& caller, std::string_view event_id) {
  switch (access) {
    case Access::public_:
    case Access::local:
      return Verdict::allowed;
    case Access::visitor:
      return caller.visitor ? Verdict::allowed : Verdict::not_joined;
    case Access::staff:
      return caller.role == Role::none ? Verdict::unauthorized : Verdict::allowed;
    case Access::guest_or_moderator:
      return staff_rule(caller, event_id, true);
    case Access::moderator:
      return staff_rule(caller, event_id, false);
    case Access::admin:
      if (caller.role == Role::none) return Verdict::unauthorized;
      return caller.role == Role::admin ? Verdict::allowed : Verdict::forbidden;
  }
  return Verdict::forbidden;  // an enum value out of range: refuse
}

bool needs_staff(Access access) {
  return access == Access::staff || access == Access::guest_or_moderator || access == Access::moderator ||
         access == Access::admin;
}

bool needs_visitor(Access access) { return access == Access::visitor; }

std::string_view access_name(Access access) {
  switch (access) {
    case Access::public_: return "public";
    case Access::visitor: return "visitor";
    case Access::staff: return "staff";
    case Access::guest_or_moderator: return "guest_or_moderator";
    case Access::moderator: return "moderator";
    case Access::admin: return "admin";
    case Access::local: return "local";
  }
  return "unknown";
}

std::optional<Access> access_from_name(std::string_view name) {
  for (Access a : kAllAccess)
    if (access_name(a) == name) return a;
  return std::nullopt;
}

}  // namespace palabre::domain
