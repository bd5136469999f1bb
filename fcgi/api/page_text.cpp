#include "api/page_text.hpp"

#include <cctype>
#include <ctime>

namespace palabre::api {
namespace {

constexpr const char* kFrDays[] = {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"};
constexpr const char* kEnDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr const char* kFrMonths[] = {"janvier", "février", "mars", "avril", "mai", "juin",
                                     "juillet", "août", "septembre", "octobre", "novembre", "décembre"};
constexpr const char* kEnMonths[] = {"January", "February", "March", "April", "May", "June",
                                     "July", "August", "September", "October", "November", "December"};
// The abbreviations of the French typographic norm, as Intl writes them.
constexpr const char* kFrShortMonths[] = {"janv.", "févr.", "mars", "avr.", "mai", "juin",
                                          "juil.", "août", "sept.", "oct.", "nov.", "déc."};
constexpr const char* kEnShortMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::tm local(int64_t unix_ms) {
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000 - (unix_ms % 1000 < 0 ? 1 : 0));
  std::tm tm{};
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
    if (primary == "fr") return PageLang::fr;
    if (primary == "en") return PageLang::en;
  }
  return PageLang::fr;
}

std::string_view lang_tag(PageLang lang) { return lang == PageLang::en ? "en" : "fr"; }

std::string long_datetime(int64_t unix_ms, PageLang lang) {
  std::tm tm = local(unix_ms);
  const std::string day = std::to_string(tm.tm_mday);
  const std::string year = std::to_string(tm.tm_year + 1900);
  if (lang == PageLang::en)
    return std::string(kEnDays[tm.tm_wday]) + " " + day + " " + kEnMonths[tm.tm_mon] + " " + year + " at " + hh_mm(tm);
  return std::string(kFrDays[tm.tm_wday]) + " " + (tm.tm_mday == 1 ? "1er" : day) + " " + kFrMonths[tm.tm_mon] +
         " " + year + " à " + hh_mm(tm);
}

std::string short_datetime(int64_t unix_ms, PageLang lang) {
  std::tm tm = local(unix_ms);
  const char* month = lang == PageLang::en ? kEnShortMonths[tm.tm_mon] : kFrShortMonths[tm.tm_mon];
  return std::to_string(tm.tm_mday) + " " + month + " " + std::to_string(tm.tm_year + 1900) + ", " + hh_mm(tm);
}

std::string clock_time(int64_t unix_ms) {
  std::tm tm = local(unix_ms);
  return hh_mm(tm) + ":" + two(tm.tm_sec);
}

std::string utc_offset(int64_t unix_ms) {
  long offset_min = local(unix_ms).tm_gmtoff / 60;
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
