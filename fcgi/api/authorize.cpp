#include "api/authorize.hpp"

#include "core/error.hpp"

namespace palabre::api {
namespace {

bool is_mutation(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

Error refusal(Access access, domain::Verdict verdict) {
  using domain::Verdict;
  if (verdict == Verdict::not_joined) return Error(Code::not_joined, "Join the debate with a pseudonym first.");
  if (verdict == Verdict::unauthorized) {
    switch (access) {
      case Access::admin: return Error(Code::unauthorized, "Sign in as an administrator.");
      case Access::moderator: return Error(Code::unauthorized, "Use your moderator invite link or token.");
      case Access::staff: return Error(Code::unauthorized, "Not signed in.");
      default: return Error(Code::unauthorized, "Use your invite link or token.");
    }
  }
  switch (access) {
    case Access::admin: return Error(Code::forbidden, "Only administrators may do this.");
    case Access::moderator: return Error(Code::forbidden, "Only this debate's moderators may do this.");
    default: return Error(Code::forbidden, "Only this debate's guests and moderators may do this.");
  }
}

}  // namespace

void authorize(Context& ctx, Access access, Admitted& admitted) {
  auto id = ctx.params.find("id");
  const std::string_view event_id = id == ctx.params.end() ? std::string_view{} : std::string_view(id->second);
  // An unknown debate answers 404 to everyone, before any 401/403/CSRF.
  auto refuse = [&](const Error& e) {
    if (!event_id.empty()) load_event(ctx, std::string(event_id));
    throw e;
  };

  domain::Caller caller;
  if (domain::needs_staff(access)) {
    try {
      Staff s = staff_of(ctx);
      if (s.role != Role::none) admitted.staff = std::move(s);
    } catch (const Error& e) {
      if (e.code() != Code::unauthorized) throw;
      refuse(e);  // a Bearer token that is not known
    }
    if (admitted.staff) {
      caller.role = admitted.staff->role;
      caller.staff_event = admitted.staff->event_id;
    }
  }
  if (domain::needs_visitor(access)) {
    admitted.visitor = visitor_of(ctx);
    caller.visitor = admitted.visitor.has_value();
  }
  domain::Verdict verdict = domain::evaluate(access, caller, event_id);
  if (verdict != domain::Verdict::allowed) refuse(refusal(access, verdict));

  if (is_mutation(ctx.req.method)) {
    try {
      if (admitted.staff) check_staff_csrf(ctx, *admitted.staff);
      if (admitted.visitor) check_csrf(ctx, admitted.visitor->csrf);
    } catch (const Error& e) {
      refuse(e);
    }
  }
  if (admitted.staff) ctx.staff = &*admitted.staff;
  if (admitted.visitor) ctx.visitor = &*admitted.visitor;
}

}  // namespace palabre::api
