// The language and the dates of the pages the worker writes itself for
// people (thread.html). Pure but for the time zone; any thread.
//
// The language is the debate's first one that the interface knows (one of
// the six of static/assets/js/i18n/), else French, as the visitor page chooses without a stored
// choice or a matching browser language. The request's Accept-Language is
// not read: nginx keeps one shared copy of such a page per debate.
//
// Times are on the clock of `zone`, the debate's time zone (IANA name, read
// from the tz database: core/time_zone.hpp), else the worker process's
// local time (its TZ; docs/OPERATIONS.md), written with their offset from
// UTC where the page says which zone it uses: a page without script cannot
// use the reader's own zone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/event.hpp"

namespace palabre::api {

// The languages of the server-written pages, as in the interface.
enum class PageLang { fr, en, de, it, es, pl };
inline constexpr size_t kPageLangCount = 6;

PageLang page_lang(const domain::Event& event);
std::string_view lang_tag(PageLang lang);  // "fr", "en", "de", "it", "es", "pl"

// "lundi 1er décembre 2026 à 19:00" / "Monday 1 December 2026 at 19:00" /
// "Montag, 1. Dezember 2026 um 19:00" / … (the visitor page's full date).
std::string long_datetime(int64_t unix_ms, PageLang lang, std::string_view zone = {});
// "1 déc. 2026, 19:05" / "1 Dec 2026, 19:05" / "1. Dez. 2026, 19:05" / ….
std::string short_datetime(int64_t unix_ms, PageLang lang, std::string_view zone = {});
// "19:05:03".
std::string clock_time(int64_t unix_ms, std::string_view zone = {});
// The local offset at that instant: "UTC", "UTC+1", "UTC+5:30", "UTC-3".
std::string utc_offset(int64_t unix_ms, std::string_view zone = {});

}  // namespace palabre::api
