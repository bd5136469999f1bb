// The request's side of actions/: its connections, who acts (as the audit
// log names them), its Idempotency-Key and its time.
#pragma once

#include <string>

#include "actions/mutation.hpp"
#include "api/context.hpp"

namespace palabre::api {

inline actions::Mutation mutation(Context& ctx, std::string actor) {
  Services& services = ctx.services;
  return {services.redis, [&services]() -> store::Store& { return services.sql(); }, ctx.config(),
          std::move(actor), ctx.idempotency_digest, ctx.now_ms()};
}

}  // namespace palabre::api
