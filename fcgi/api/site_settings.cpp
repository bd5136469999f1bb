#include "api/site_settings.hpp"

#include "core/error.hpp"
#include "core/time_zone.hpp"
#include "domain/colour.hpp"
#include "domain/text_rules.hpp"
#include "http/json.hpp"

#include <array>
#include <cctype>

namespace palabre::api {
namespace {
constexpr const char* kEtalabName = "Licence Ouverte / Etalab 2.0";
constexpr const char* kEtalabUrl = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

// The accessibility statement's free-text fields (the RGAA model's
// sections), each up to kMaxStatementChars.
constexpr std::array<const char*, 8> kStatementTexts = {
    "auditor", "non_compliant", "derogations", "exempt", "technologies", "test_environment", "tools", "pages_checked"};
constexpr size_t kMaxStatementChars = 5000;

[[noreturn]] void bad(const std::string& message) { throw Error(Code::invalid_field, message); }

const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

std::string string_field(const rapidjson::Value& obj, const char* name, const std::string& where) {
  const rapidjson::Value* v = member(obj, name);
  if (!v) return "";
  if (!v->IsString()) bad("Field '" + where + name + "' must be a string.");
  return std::string(v->GetString(), v->GetStringLength());
}

bool is_web_address(std::string_view url, bool https_only) {
  if (url.size() > 500) return false;
  if (url.rfind("https://", 0) == 0) return url.size() > 8;
  return !https_only && url.rfind("http://", 0) == 0 && url.size() > 7;
}

std::string web_address(const rapidjson::Value& obj, const char* name, const std::string& where, bool https_only) {
  std::string url = string_field(obj, name, where);
  if (!url.empty() && !is_web_address(url, https_only))
    bad("Field '" + where + name + "' must be an " + (https_only ? "https://" : "http(s)://") + " address.");
  return url;
}

// "" or YYYY-MM-DD.
std::string date_field(const rapidjson::Value& obj, const char* name, const std::string& where) {
  std::string d = string_field(obj, name, where);
  if (d.empty()) return d;
  bool ok = d.size() == 10 && d[4] == '-' && d[7] == '-';
  for (size_t i = 0; ok && i < d.size(); ++i)
    if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(d[i]))) ok = false;
  if (!ok) bad("Field '" + where + name + "' must be a date such as 2026-12-01.");
  return d;
}

void refuse_unknown(const rapidjson::Value& obj, std::initializer_list<std::string_view> known,
                    const std::string& where) {
  for (const auto& m : obj.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    bool found = false;
    for (auto k : known) found = found || k == name;
    if (!found) bad("Unknown field '" + where + std::string(name) + "'.");
  }
}

void write_statement(http::JsonWriter& w, const rapidjson::Value* a) {
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  const rapidjson::Value& s = a ? *a : kEmpty;
  if (!s.IsObject()) bad("Field 'accessibility' must be an object.");
  refuse_unknown(s, {"status", "rate", "audit_date", "statement_date", "contact_email", "contact_url", "auditor",
                     "non_compliant", "derogations", "exempt", "technologies", "test_environment", "tools",
                     "pages_checked"},
                 "accessibility.");
  const std::string where = "accessibility.";
  w.key("accessibility");
  w.start_object();
  std::string status = string_field(s, "status", where);
  if (status.empty()) status = "none";
  if (status != "none" && status != "partial" && status != "full")
    bad("Field 'accessibility.status' must be \"none\", \"partial\" or \"full\" (RGAA: non, partiellement, "
        "totalement conforme).");
  w.field("status", status);
  w.key("rate");
  if (const rapidjson::Value* rate = member(s, "rate")) {
    if (!rate->IsNumber() || rate->GetDouble() < 0 || rate->GetDouble() > 100)
      bad("Field 'accessibility.rate' must be a percentage between 0 and 100.");
    w.raw_writer().Double(rate->GetDouble());
  } else {
    w.null();
  }
  w.field("audit_date", date_field(s, "audit_date", where));
  w.field("statement_date", date_field(s, "statement_date", where));
  std::string email = string_field(s, "contact_email", where);
  if (!email.empty() && (email.size() > 200 || email.find('@') == std::string::npos ||
                         email.find_first_of(" \t\r\n<>\"") != std::string::npos))
    bad("Field 'accessibility.contact_email' must be an e-mail address.");
  w.field("contact_email", email);
  w.field("contact_url", web_address(s, "contact_url", where, false));
  for (const char* name : kStatementTexts) {
    std::string text = string_field(s, name, where);
    w.field(name, text.empty() ? text : domain::checked_text(text, kMaxStatementChars, where + name));
  }
  w.end_object();
}
}  // namespace

std::string normalised_site_settings(const rapidjson::Value& body) {
  if (!body.IsObject()) bad("The site settings must be a JSON object.");
  refuse_unknown(body, {"organiser", "color", "site_url", "logo_url", "time_zone", "licence", "accessibility"}, "");
  http::JsonWriter w;
  w.start_object();
  std::string organiser = string_field(body, "organiser", "");
  w.field("organiser", organiser.empty() ? organiser : domain::checked_name(organiser, 200, "organiser"));
  std::string color = string_field(body, "color", "");
  if (!color.empty()) {
    auto ratio = domain::contrast_with_white(color);
    if (!ratio) bad("Field 'color' must be a colour such as #004494.");
    if (*ratio < domain::kMinContrastWithWhite)
      throw Error(Code::contrast_too_low, "White text on this colour is not readable enough (below 4.5:1, WCAG AA): "
                                          "choose a darker colour.");
  }
  w.field("color", color);
  w.field("site_url", web_address(body, "site_url", "", false));
  w.field("logo_url", web_address(body, "logo_url", "", true));
  std::string zone = string_field(body, "time_zone", "");
  if (zone.empty()) zone = tz::kDefaultTimeZone;
  if (!tz::is_known_time_zone(zone)) bad("Field 'time_zone' must be a time zone such as Europe/Paris.");
  w.field("time_zone", zone);
  w.key("licence");
  w.start_object();
  if (const rapidjson::Value* l = member(body, "licence")) {
    if (!l->IsObject()) bad("Field 'licence' must be an object with 'name' and 'url'.");
    refuse_unknown(*l, {"name", "url"}, "licence.");
    std::string name = string_field(*l, "name", "licence.");
    std::string url = web_address(*l, "url", "licence.", false);
    if (name.empty()) bad("Field 'licence.name' is required.");
    w.field("name", domain::checked_name(name, 200, "licence.name"));
    w.field("url", url);
  } else {
    w.field("name", kEtalabName);
    w.field("url", kEtalabUrl);
  }
  w.end_object();
  write_statement(w, member(body, "accessibility"));
  w.end_object();
  return w.take();
}

SiteDefaults site_defaults_from(std::string_view stored_json) {
  SiteDefaults d{.organiser = "", .color = "", .site_url = "", .logo_url = "",
                 .time_zone = std::string(tz::kDefaultTimeZone), .licence_name = kEtalabName,
                 .licence_url = kEtalabUrl};
  if (stored_json.empty()) return d;
  rapidjson::Document doc;
  doc.Parse(stored_json.data(), stored_json.size());
  if (doc.HasParseError() || !doc.IsObject()) return d;
  auto text = [&](const rapidjson::Value& obj, const char* name, std::string& out) {
    auto it = obj.FindMember(name);
    if (it != obj.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0)
      out.assign(it->value.GetString(), it->value.GetStringLength());
  };
  text(doc, "organiser", d.organiser);
  text(doc, "color", d.color);
  text(doc, "site_url", d.site_url);
  text(doc, "logo_url", d.logo_url);
  text(doc, "time_zone", d.time_zone);
  if (auto l = doc.FindMember("licence"); l != doc.MemberEnd() && l->value.IsObject()) {
    text(l->value, "name", d.licence_name);
    text(l->value, "url", d.licence_url);
  }
  return d;
}

}  // namespace palabre::api
