// How long what a debate collected is kept (docs/PRIVACY.md). Pure: time
// comes as an argument.
#pragma once

#include <cstdint>
#include <string_view>

#include "domain/event.hpp"

namespace palabre::domain {

// When the debate stopped taking questions: the end of its late-question
// window, or, for a debate closed early by staff, its last change
// (updated_ms) if that came first.
int64_t closed_at_ms(const Event& event);

// Whether the retention purge applies: the debate closed more than
// `retention_days` ago (schedule/purge.hpp).
bool purge_due(const Event& event, int64_t now_ms, int retention_days);

// Which questions the purge deletes: domain::never_public (pending,
// rejected, merged). Published, answered and retracted questions belong to
// the public record and stay.

// A visitor session joined at `now_ms` lives until the late-question window
// ends plus a grace of an hour (late answers to read, the "my questions"
// view), at least an hour and at most `max_days` (api/visitors.cpp, join).
constexpr int kVisitorSessionGraceS = 3600;
int visitor_session_ttl_s(const Event& event, int64_t now_ms, int max_days);

}  // namespace palabre::domain
