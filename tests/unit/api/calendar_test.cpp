// api/calendar.hpp: the .ics file's alarm and RFC 5545's folding and escaping.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "api/calendar.hpp"
#include "core/time.hpp"

using namespace palabre;

namespace {
domain::Event debate() {
  domain::Event e;
  e.id = "budget";
  e.title = "Budget 2027, quartiers; écoles";
  e.description = "Une longue description avec des accents — é, à, ç — répétée pour dépasser soixante-quinze octets.";
  e.starts_at_ms = *timefmt::parse_rfc3339("2026-11-23T18:00:00Z");
  e.ends_at_ms = *timefmt::parse_rfc3339("2026-11-23T19:30:00Z");
  return e;
}

// The logical lines of an iCalendar text (folding undone).
std::vector<std::string> unfolded(const std::string& ics) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < ics.size()) {
    size_t end = ics.find("\r\n", pos);
    BOOST_REQUIRE(end != std::string::npos);
    std::string line = ics.substr(pos, end - pos);
    if (!line.empty() && line[0] == ' ') lines.back() += line.substr(1);
    else lines.push_back(line);
    pos = end + 2;
  }
  return lines;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(calendar)

BOOST_AUTO_TEST_CASE(the_event_carries_a_display_alarm_half_an_hour_before) {
  std::string ics = api::calendar_ics(debate(), "https://ville.example/e/budget", 0);
  std::vector<std::string> lines = unfolded(ics);
  auto at = [&](const std::string& l) { return std::find(lines.begin(), lines.end(), l) - lines.begin(); };
  const auto n = static_cast<long>(lines.size());
  BOOST_TEST(at("BEGIN:VALARM") < n);
  BOOST_TEST(at("BEGIN:VEVENT") < at("BEGIN:VALARM"));
  BOOST_TEST(at("ACTION:DISPLAY") > at("BEGIN:VALARM"));
  BOOST_TEST(at("TRIGGER:-PT30M") > at("BEGIN:VALARM"));
  BOOST_TEST(at("DESCRIPTION:Budget 2027\\, quartiers\\; écoles") > at("BEGIN:VALARM"));
  BOOST_TEST(at("END:VALARM") < at("END:VEVENT"));
  BOOST_TEST(at("END:VALARM") > at("TRIGGER:-PT30M"));
  BOOST_TEST(at("DTSTART:20261123T180000Z") < n);
  BOOST_TEST(lines.back() == "END:VCALENDAR");
}

BOOST_AUTO_TEST_CASE(lines_are_folded_at_75_octets_never_inside_a_character) {
  std::string ics = api::calendar_ics(debate(), "https://ville.example/e/budget", 0);
  std::istringstream in(ics);
  std::string line;
  int folded = 0;
  while (std::getline(in, line)) {
    BOOST_REQUIRE(!line.empty());
    BOOST_TEST(line.back() == '\r');
    BOOST_TEST(line.size() - 1 <= 75u);
    if (line[0] == ' ') {
      ++folded;
      // A continuation never starts in the middle of a UTF-8 sequence.
      BOOST_TEST((static_cast<unsigned char>(line[1]) & 0xC0) != 0x80);
    }
  }
  BOOST_TEST(folded > 0);
}

BOOST_AUTO_TEST_CASE(a_long_character_at_the_edge_goes_whole_to_the_next_line) {
  // 72 octets, then a 4-octet character: 76 would pass the limit.
  std::string folded = api::ical_line(std::string(72, 'a') + "\xF0\x9F\x98\x80" + std::string(10, 'b'));
  BOOST_TEST(folded == std::string(72, 'a') + "\r\n \xF0\x9F\x98\x80" + std::string(10, 'b') + "\r\n");
  // Exactly 75 octets: not folded.
  BOOST_TEST(api::ical_line(std::string(75, 'a')) == std::string(75, 'a') + "\r\n");
  BOOST_TEST(api::ical_line(std::string(76, 'a')) == std::string(75, 'a') + "\r\n a\r\n");
}

BOOST_AUTO_TEST_CASE(text_values_are_escaped) {
  BOOST_TEST(api::ical_text("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne");
}

BOOST_AUTO_TEST_SUITE_END()
