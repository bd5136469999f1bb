// A debate as the rules see it, and its phase. Pure: no I/O, no JSON; time
// comes as an argument. The SQL store keeps this record (store::Event); the
// API turns it into JSON (api/event_json.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace palabre::domain {

struct Event {
  std::string id;
  std::string title;
  std::string description;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  std::vector<std::string> languages;  // BCP 47, first is the default
  // The rest of the event as the API received it, as JSON text:
  std::string guests_json = "[]";      // [{"name","role"}]
  std::string branding_json = "{}";    // free-form object
  bool questions_before = true;
  int late_questions_days = 0;
  std::string moderation = "pre";
  bool closed = false;                 // closed early by staff
  // A draft is the back-office's: unlisted, and 404 to all but staff.
  bool draft = false;
  std::string time_zone;               // IANA name; "": the site's default
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

enum class Phase { scheduled, pre_questions, live, late_questions, closed };
std::string_view phase_name(Phase p);
Phase phase_of(const Event& event, int64_t now_ms);
// When phase_of() will next change by itself (the clock reaching the start,
// the end, or the end of late questions), or INT64_MAX if it never will.
// Staff changes (closing early, extending) are not foreseen here.
int64_t next_phase_change_ms(const Event& event, int64_t now_ms);
bool accepts_questions(Phase p);

}  // namespace palabre::domain
