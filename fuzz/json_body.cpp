// A request body → http::parse_object (UTF-8 check, nesting cap, RapidJSON),
// then the field getters every handler calls, and the writer back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/utf8.hpp"
#include "http/json.hpp"

using namespace palabre;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}

size_t depth_of(const rapidjson::Value& v) {
  size_t deepest = 0;
  if (v.IsArray()) {
    for (const auto& e : v.GetArray()) deepest = std::max(deepest, depth_of(e));
    return deepest + 1;
  }
  if (v.IsObject()) {
    for (const auto& m : v.GetObject()) deepest = std::max(deepest, depth_of(m.value));
    return deepest + 1;
  }
  return 0;
}

const char* const kFields[] = {"text", "name", "title", "starts_at", "ends_at", "closed", "reason",
                               "late_questions_days", "questions_before", "moderation", "login",
                               "password", "id", ""};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)http::nesting_within(body, http::kMaxJsonDepth);
  rapidjson::Document doc;
  try {
    doc = http::parse_object(body);
  } catch (const Error& e) {
    check(e.code() == Code::invalid_json || e.code() == Code::invalid_utf8);
    return 0;
  }
  check(doc.IsObject());
  check(depth_of(doc) <= http::kMaxJsonDepth);
  check(utf8::is_valid(body));

  // Each member's name and the first few of the fixed names, through every getter.
  auto try_field = [&](const char* name) {
    try { (void)http::get_string(doc, name); } catch (const Error& e) { check(e.code() == Code::invalid_field); }
    try { (void)http::get_int(doc, name); } catch (const Error& e) { check(e.code() == Code::invalid_field); }
    try { (void)http::get_bool(doc, name); } catch (const Error& e) { check(e.code() == Code::invalid_field); }
    try { (void)http::require_string(doc, name); } catch (const Error& e) { check(e.code() == Code::invalid_field); }
  };
  for (const char* name : kFields) try_field(name);
  int n = 0;
  const rapidjson::Value& root = doc;
  for (const auto& m : root.GetObject()) {
    if (++n > 8) break;
    std::string name(m.name.GetString(), m.name.GetStringLength());
    if (name.find('\0') == std::string::npos) try_field(name.c_str());
  }

  // What we write back (the audit log keeps bodies) must parse again. Not
  // to the same text: RapidJSON's default number parsing is not exact to the
  // last digit, so a double may print differently after a round trip.
  std::string out = http::to_json(doc);
  rapidjson::Document again = http::parse_object(out);
  check(again.MemberCount() == doc.MemberCount());
  return 0;
}
