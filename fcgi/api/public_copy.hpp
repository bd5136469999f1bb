// nginx's one-second copy of public answers about a debate (GET
// /api/events/{id} and its plain view thread.html; nginx/palabre.conf.in,
// "Event details"): whether the worker lets nginx keep this answer. Pure;
// any thread.
//
// A crowd asks for these at once; nginx keeps an answer only when the
// worker sends X-Accel-Expires, and the worker sends it only when the
// debate's phase, which both answers show, will not change by the clock
// within the copy's life and a margin. Staff changes (an extension, closing
// early) show within the copy's second.
#pragma once

#include <cstdint>

#include "domain/event.hpp"
#include "http/response.hpp"

namespace palabre::api {

// How long nginx may keep such an answer, and how far from a change of
// phase it must be for that.
inline constexpr int64_t kPublicCopyMs = 1000;
inline constexpr int64_t kPublicCopyMarginMs = 1000;

// Adds X-Accel-Expires (seconds) to `response` when nginx may keep it.
void allow_public_copy(http::Response& response, const domain::Event& event, int64_t now_ms);

}  // namespace palabre::api
