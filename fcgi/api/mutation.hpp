// The request's side of actions/: its connections, who acts (as the audit
// log names them, and as claims hold them), its Idempotency-Key and its time.
#pragma once

#include <string>

#include "actions/mutation.hpp"
#include "api/context.hpp"
#include "api/identity.hpp"

namespace palabre::api {

inline actions::Mutation mutation(Context& ctx, std::string actor) {
  Services& services = ctx.services;
  return {services.redis, [&services]() -> store::Store& { return services.sql(); }, ctx.config(),
          std::move(actor), {}, {}, ctx.idempotency_digest, ctx.now_ms()};
}

// A staff member's change: claims are held per invite (or admin login), and
// shown to the other moderators with the invite's label.
inline actions::Mutation mutation(Context& ctx, const Staff& staff) {
  actions::Mutation m = mutation(ctx, actor_of(staff));
  if (!staff.invite_id.empty()) m.holder = staff.invite_id;
  else if (!staff.login.empty()) m.holder = "admin:" + staff.login;
  else m.holder = actor_of(staff);
  m.holder_label = !staff.label.empty() ? staff.label : !staff.login.empty() ? staff.login : role_name(staff.role);
  return m;
}

}  // namespace palabre::api
