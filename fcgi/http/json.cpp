#include "http/json.hpp"

#include <rapidjson/error/en.h>

#include <cmath>

#include "core/error.hpp"
#include "core/utf8.hpp"

namespace palabre::http {
namespace {

// What RapidJSON 1.1.0 accepts but must not reach a handler, both found by
// fuzz/json_body.cpp:
// - the escape of a lone low surrogate ("\udc00") becomes the three bytes of
//   that surrogate, which are not UTF-8 although kParseValidateEncodingFlag
//   checked every byte of the body;
// - a number beyond double's range ("2e308") becomes infinity, which its
//   Writer cannot write: it stops mid-document (to_json gave "{\"x\":" to
//   the audit log).
// Recursion is bounded by kMaxJsonDepth, checked before parsing.
enum class Flaw { none, not_utf8, not_finite };

Flaw flaw_in(const rapidjson::Value& v) {
  if (v.IsString())
    return utf8::is_valid(std::string_view(v.GetString(), v.GetStringLength())) ? Flaw::none : Flaw::not_utf8;
  if (v.IsDouble()) return std::isfinite(v.GetDouble()) ? Flaw::none : Flaw::not_finite;
  if (v.IsArray()) {
    for (const auto& e : v.GetArray())
      if (Flaw f = flaw_in(e); f != Flaw::none) return f;
  } else if (v.IsObject()) {
    for (const auto& m : v.GetObject()) {
      if (Flaw f = flaw_in(m.name); f != Flaw::none) return f;
      if (Flaw f = flaw_in(m.value); f != Flaw::none) return f;
    }
  }
  return Flaw::none;
}

}  // namespace

bool nesting_within(std::string_view json, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false, escaped = false;
  for (char c : json) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

rapidjson::Document parse_object(std::string_view body) {
  if (!utf8::is_valid(body)) throw Error(Code::invalid_utf8, "The request body is not valid UTF-8.");
  // RapidJSON's default parser, and every walk over a parsed value (Accept,
  // copies), recurse once per level: 130,000 '[' overflow an 8 MiB stack.
  // No body of the contract nests deeper than a few levels.
  if (!nesting_within(body, kMaxJsonDepth))
    throw Error(Code::invalid_json, "The request body nests deeper than " + std::to_string(kMaxJsonDepth) +
                                        " levels.");
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError())
    throw Error(Code::invalid_json, std::string("The request body is not valid JSON: ") +
                                        rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) throw Error(Code::invalid_json, "The request body must be a JSON object.");
  switch (flaw_in(doc)) {
    case Flaw::not_utf8:
      throw Error(Code::invalid_utf8, "The request body escapes a lone surrogate, which is not a character.");
    case Flaw::not_finite:
      throw Error(Code::invalid_json, "The request body holds a number too large to represent.");
    case Flaw::none:
      break;
  }
  return doc;
}

std::optional<std::string> get_string(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsString()) throw Error(Code::invalid_field, std::string("Field '") + name + "' must be a string.");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::optional<int64_t> get_int(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsInt64()) throw Error(Code::invalid_field, std::string("Field '") + name + "' must be an integer.");
  return it->value.GetInt64();
}

std::optional<bool> get_bool(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsBool()) throw Error(Code::invalid_field, std::string("Field '") + name + "' must be true or false.");
  return it->value.GetBool();
}

std::string require_string(const rapidjson::Value& obj, const char* name) {
  auto v = get_string(obj, name);
  if (!v) throw Error(Code::invalid_field, std::string("Field '") + name + "' is required.");
  return *v;
}

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  value.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace palabre::http
