// timefmt::parse_rfc3339 against a reference written here (the RFC 3339
// grammar and a calendar computed without timegm), and the round trip through
// format_rfc3339: what the API writes out must parse back to the same second.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

using namespace palabre;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

struct Parsed {
  int64_t ms;
  int second;  // 60: a leap second
};

std::optional<Parsed> reference_parse(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || !(s[10] == 'T' || s[10] == 't' || s[10] == ' ') || !digits(s, 11, 2, h) ||
      s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 60)
    return std::nullopt;
  size_t pos = 19;
  int64_t frac_ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (pos - start < 3) frac_ms += (s[pos] - '0') * (pos - start == 0 ? 100 : pos - start == 1 ? 10 : 1);
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om) ||
        oh > 23 || om > 59)
      return std::nullopt;
    offset_s = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset_s;
  return Parsed{secs * 1000 + frac_ms, se};
}

int64_t floor_to_second(int64_t ms) { return (ms >= 0 ? ms / 1000 : (ms - 999) / 1000) * 1000; }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto got = timefmt::parse_rfc3339(text);
  auto want = reference_parse(text);
  // A leap second (":60") is folded into the next minute, and refused when
  // that changes the day: accepting or refusing one is not checked here.
  if (!want || want->second != 60) check(got.has_value() == want.has_value());
  if (got && want) check(*got == want->ms);
  if (!got) return 0;

  // Year 0000 to 9999 in UTC: the range RFC 3339 can write.
  const int64_t first = days_from_civil(0, 1, 1) * 86400000, end = days_from_civil(10000, 1, 1) * 86400000;
  if (*got < first || *got >= end) return 0;
  std::string out = timefmt::format_rfc3339(*got);
  auto back = timefmt::parse_rfc3339(out);
  check(back.has_value() && *back == floor_to_second(*got));
  check(timefmt::format_ical(*got).size() == 16);
  return 0;
}
