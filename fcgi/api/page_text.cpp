#include "api/page_text.hpp"

#include "core/time_zone.hpp"

#include <cctype>
#include <ctime>

namespace palabre::api {
namespace {

// Each language's words and patterns for a date, as the visitor page's
// Intl.DateTimeFormat writes them (dateStyle full / medium, timeStyle short):
// {W} weekday, {D} day of the month, {M} month, {Y} year, {T} "19:05".
struct DateWords {
  const char* tag;
  const char* days[7];
  const char* months[12];        // in a date: genitive where the language needs it (pl)
  const char* short_months[12];
  const char* long_pattern;
  const char* short_pattern;
};

constexpr DateWords kDates[] = {
    {"fr",
     {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
     {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
      "décembre"},
     // The abbreviations of the French typographic norm, as Intl writes them.
     {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
     "{W} {D} {M} {Y} à {T}",
     "{D} {M} {Y}, {T}"},
    {"en",
     {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
     {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
      "December"},
     {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
     "{W} {D} {M} {Y} at {T}",
     "{D} {M} {Y}, {T}"},
    {"de",
     {"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
     {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
      "Dezember"},
     {"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."},
     "{W}, {D}. {M} {Y} um {T}",
     "{D}. {M} {Y}, {T}"},
    {"it",
     {"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"},
     {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
      "novembre", "dicembre"},
     {"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"},
     "{W} {D} {M} {Y} alle {T}",
     "{D} {M} {Y}, {T}"},
    {"es",
     {"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
     {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
      "diciembre"},
     {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
     "{W}, {D} de {M} de {Y}, {T}",
     "{D} {M} {Y}, {T}"},
    {"pl",
     {"niedziela", "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota"},
     {"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października",
      "listopada", "grudnia"},
     {"sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"},
     "{W}, {D} {M} {Y} {T}",
     "{D} {M} {Y}, {T}"},
};
static_assert(sizeof(kDates) / sizeof(kDates[0]) == kPageLangCount, "one DateWords per PageLang, in its order");

const DateWords& words(PageLang lang) { return kDates[static_cast<size_t>(lang)]; }

std::string fill(std::string_view pattern, const std::string& weekday, const std::string& day,
                 const std::string& month, const std::string& year, const std::string& time) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}') {
      switch (pattern[i + 1]) {
        case 'W': out += weekday; i += 2; continue;
        case 'D': out += day; i += 2; continue;
        case 'M': out += month; i += 2; continue;
        case 'Y': out += year; i += 2; continue;
        case 'T': out += time; i += 2; continue;
        default: break;
      }
    }
    out += pattern[i];
  }
  return out;
}

// The wall clock of `zone` (the process's own TZ when empty or unknown).
std::tm local(int64_t unix_ms, std::string_view zone) {
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000 - (unix_ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
  if (!zone.empty()) {
    if (auto offset = tz::utc_offset_s(zone, t)) {
      std::time_t shifted = t + *offset;
      gmtime_r(&shifted, &tm);
      tm.tm_gmtoff = *offset;
      return tm;
    }
  }
  localtime_r(&t, &tm);
  return tm;
}

std::string two(int n) { return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10); }

std::string hh_mm(const std::tm& tm) { return two(tm.tm_hour) + ":" + two(tm.tm_min); }

}  // namespace

PageLang page_lang(const domain::Event& event) {
  for (const auto& tag : event.languages) {
    std::string primary = tag.substr(0, tag.find('-'));
    for (char& c : primary) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (size_t i = 0; i < kPageLangCount; ++i)
      if (primary == kDates[i].tag) return static_cast<PageLang>(i);
  }
  return PageLang::fr;
}

std::string_view lang_tag(PageLang lang) { return words(lang).tag; }

std::string long_datetime(int64_t unix_ms, PageLang lang, std::string_view zone) {
  std::tm tm = local(unix_ms, zone);
  const DateWords& w = words(lang);
  const std::string day = lang == PageLang::fr && tm.tm_mday == 1 ? "1er" : std::to_string(tm.tm_mday);
  return fill(w.long_pattern, w.days[tm.tm_wday], day, w.months[tm.tm_mon], std::to_string(tm.tm_year + 1900),
              hh_mm(tm));
}

std::string short_datetime(int64_t unix_ms, PageLang lang, std::string_view zone) {
  std::tm tm = local(unix_ms, zone);
  const DateWords& w = words(lang);
  return fill(w.short_pattern, "", std::to_string(tm.tm_mday), w.short_months[tm.tm_mon],
              std::to_string(tm.tm_year + 1900), hh_mm(tm));
}

std::string clock_time(int64_t unix_ms, std::string_view zone) {
  std::tm tm = local(unix_ms, zone);
  return hh_mm(tm) + ":" + two(tm.tm_sec);
}

std::string utc_offset(int64_t unix_ms, std::string_view zone) {
  long offset_min = local(unix_ms, zone).tm_gmtoff / 60;
  if (offset_min == 0) return "UTC";
  std::string out = offset_min > 0 ? "UTC+" : "UTC-";
  if (offset_min < 0) offset_min = -offset_min;
  out += std::to_string(offset_min / 60);
  if (offset_min % 60) {
    out += ':';
    out += two(static_cast<int>(offset_min % 60));
  }
  return out;
}

}  // namespace palabre::api
