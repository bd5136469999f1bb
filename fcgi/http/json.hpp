// JSON in and out, on RapidJSON. Parsing validates UTF-8 and throws the
// API's errors; the writer is a thin wrapper that takes string_views.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace palabre::http {

// The deepest nesting of arrays and objects a request body may have.
inline constexpr size_t kMaxJsonDepth = 32;

// Whether `json` nests arrays and objects at most `max_depth` deep (strings
// are skipped; the text need not be valid JSON).
bool nesting_within(std::string_view json, size_t max_depth);

// Parses a request body that must be a JSON object, at most kMaxJsonDepth
// deep. Throws Error(invalid_utf8) or Error(invalid_json).
rapidjson::Document parse_object(std::string_view body);

// Field accessors: nullopt when absent or null; Error(invalid_field) when of
// the wrong type. Strings are checked for UTF-8 by the parser already.
std::optional<std::string> get_string(const rapidjson::Value& obj, const char* name);
std::optional<int64_t> get_int(const rapidjson::Value& obj, const char* name);
std::optional<bool> get_bool(const rapidjson::Value& obj, const char* name);
std::string require_string(const rapidjson::Value& obj, const char* name);

// Serialises any value back to compact JSON.
std::string to_json(const rapidjson::Value& value);

class JsonWriter {
 public:
  JsonWriter() : w_(buf_) {}
  void start_object() { w_.StartObject(); }
  void end_object() { w_.EndObject(); }
  void start_array() { w_.StartArray(); }
  void end_array() { w_.EndArray(); }
  void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void string(std::string_view s) { w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
  void null() { w_.Null(); }
  void boolean(bool b) { w_.Bool(b); }
  void integer(int64_t n) { w_.Int64(n); }
  // Inserts already-serialised JSON (trusted: produced by this program).
  void raw(std::string_view json) {
    w_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
  }
  void field(std::string_view k, std::string_view v) { key(k); string(v); }
  void field(std::string_view k, const char* v) { key(k); string(v); }
  void field(std::string_view k, const std::string& v) { key(k); string(v); }
  void field(std::string_view k, bool v) { key(k); boolean(v); }
  void field(std::string_view k, int64_t v) { key(k); integer(v); }
  void field(std::string_view k, int v) { key(k); integer(v); }
  void field_or_null(std::string_view k, std::string_view v) {
    key(k);
    if (v.empty()) null(); else string(v);
  }
  rapidjson::Writer<rapidjson::StringBuffer>& raw_writer() { return w_; }
  std::string take() { return std::string(buf_.GetString(), buf_.GetSize()); }

 private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

}  // namespace palabre::http
