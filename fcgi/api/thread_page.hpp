// The plain view of a debate (GET /api/events/{id}/thread.html,
// api/thread_page.cpp): its page as HTML, for the handler and the unit
// tests. Pure but for the time zone (api/page_text.hpp); any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/published_thread.hpp"
#include "domain/event.hpp"

namespace palabre::api {

// The whole page at `now_ms`: title, phase and its time, the messages
// newest first with their answers, links to itself, the interactive page
// and the transcript. Everything from the debate and its messages escaped.
// `zone`: the IANA zone its times are shown in (empty: the process's TZ).
std::string thread_page_html(const domain::Event& event, const PublishedThread& thread, int64_t now_ms,
                             std::string_view zone = {});

}  // namespace palabre::api
