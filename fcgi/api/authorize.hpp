// Enforces a route's declared access rule (domain/permissions.hpp) before
// its handler runs: looks up only the credential the rule needs, evaluates
// the rule, throws the contract's error, and for cookie-authenticated
// mutations checks CSRF. Called once per request by the dispatcher, so the
// route table is the one place that says who may call what. Accept threads.
#pragma once

#include <optional>

#include "api/context.hpp"
#include "api/identity.hpp"

namespace palabre::api {

// Who was admitted; ctx.staff / ctx.visitor point into it.
struct Admitted {
  std::optional<Staff> staff;
  std::optional<Visitor> visitor;
};

// Throws Error: unauthorized, not_joined, forbidden, csrf_failed; not_found
// first when the refused route names a debate that does not exist (so an
// unknown debate is a 404 whoever asks, as before).
void authorize(Context& ctx, Access access, Admitted& admitted);

}  // namespace palabre::api
