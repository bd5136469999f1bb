// What a link to a debate shows where it is shared (social networks,
// messaging apps): the <title> and the Open Graph and Twitter-card <meta>
// lines of the visitor page's <head>, written per debate. Pure but for the
// time zone (api/page_text.hpp); any thread.
//
// nginx puts them into the static visitor page with an SSI include of the
// internal route GET /api/events/{id}/head.html (nginx/palabre.conf.in, "The
// visitor page"); when that include fails (worker down, unknown or draft
// debate) the page keeps its generic title and carries no card: never an
// error in the page. Everything written is HTML-escaped.
#pragma once

#include <string>
#include <string_view>

#include "domain/event.hpp"

namespace palabre::api {

// Longest description written into the cards, in code points (the start
// date comes first, then the debate's description, cut with "…").
inline constexpr size_t kShareDescriptionChars = 200;

// `base_url`: the mount point's public address, ending with "/".
// `zone`: the IANA zone of the date in the description (empty: the process's TZ).
std::string share_head_html(const domain::Event& event, std::string_view base_url, std::string_view zone = {});

}  // namespace palabre::api
