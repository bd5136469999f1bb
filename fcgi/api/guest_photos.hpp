// Guests' photos, fetched once from guests[].photo_url and served from
// Palabre's own origin (GET /api/events/{id}/guests/{n}/photo), so that a
// visitor's browser never asks the organiser's host (docs/PRIVACY.md).
#pragma once

#include <vector>

#include "api/context.hpp"
#include "store/store.hpp"

namespace palabre::api {

// The photos of `event`'s guests that are not kept yet, fetched. Throws
// Error(logo_unavailable) when one cannot be used; call it before saving the
// event, so that nothing is saved then.
std::vector<store::Logo> fetch_new_guest_photos(Context& ctx, const domain::Event& event);
// Stores `fetched` and forgets the photos no guest of `event` uses any more.
void store_guest_photos(Context& ctx, const domain::Event& event, const std::vector<store::Logo>& fetched);

}  // namespace palabre::api
