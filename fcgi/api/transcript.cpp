// Transcripts: the published messages in order, answers under their
// questions, retracted ones left out; as JSON, HTML, CSV or plain text.
#include <rapidjson/document.h>

#include <map>

#include "api/context.hpp"
#include "http/json.hpp"
#include "api/identity.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "api/event_json.hpp"
#include "redis/keys.hpp"
#include "redis/streams.hpp"

namespace palabre::api {
namespace {

struct Message {
  std::string id, kind, author, text, lang, reply_to, ts, raw;
  std::vector<size_t> answers;  // indexes into the message list
};

std::string field(const rapidjson::Value& d, const char* name) {
  auto it = d.FindMember(name);
  return (it != d.MemberEnd() && it->value.IsString()) ? it->value.GetString() : "";
}

// Reads the whole public history: Redis first, the SQL archive when Redis
// has nothing (e.g. after a Redis that lost its data).
std::vector<redis::StreamEntry> history(Context& ctx, const std::string& event_id) {
  std::vector<redis::StreamEntry> all;
  std::string after = "0";
  std::string key = keys::public_stream(event_id);
  for (;;) {
    auto page = redis::read_after(ctx.services.redis, key, after, 1000);
    if (page.empty()) break;
    after = page.back().id;
    all.insert(all.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
  }
  if (all.empty()) {
    for (auto& m : ctx.services.sql().archived_messages(event_id)) all.push_back({m.cursor, m.type, m.data_json});
  }
  return all;
}

// Top-level messages in order; answers hang under their question.
std::vector<Message> build(const std::vector<redis::StreamEntry>& entries, std::vector<size_t>& top) {
  std::vector<Message> messages;
  std::map<std::string, size_t> index;
  std::map<std::string, bool> retracted;
  for (const auto& e : entries) {
    if (e.type != "retract") continue;
    rapidjson::Document d;
    d.Parse(e.data.c_str());
    if (d.IsObject()) retracted[field(d, "id")] = true;
  }
  for (const auto& e : entries) {
    if (e.type != "message") continue;
    rapidjson::Document d;
    d.Parse(e.data.c_str());
    if (!d.IsObject()) continue;
    Message m{field(d, "id"), field(d, "kind"), field(d, "author"), field(d, "text"),
              field(d, "lang"), field(d, "reply_to"), field(d, "ts"), e.data, {}};
    if (retracted.count(m.id) || index.count(m.id)) continue;
    if (!m.reply_to.empty() && retracted.count(m.reply_to)) continue;
    messages.push_back(std::move(m));
    size_t i = messages.size() - 1;
    index[messages[i].id] = i;
    auto parent = messages[i].reply_to.empty() ? index.end() : index.find(messages[i].reply_to);
    if (parent != index.end()) messages[parent->second].answers.push_back(i);
    else top.push_back(i);
  }
  return messages;
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string csv_cell(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += "\"\"";
    else out += c;
  }
  // A cell starting with = + - @ is a formula in spreadsheets: neutralise it.
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) out.insert(1, "'");
  return out + "\"";
}

std::string as_json(Context& ctx, const store::Event& e, const std::vector<Message>& msgs,
                    const std::vector<size_t>& top) {
  http::JsonWriter w;
  w.start_object();
  w.key("event");
  api::write_event(w.raw_writer(), e, ctx.now_ms(), ctx.req.base_url());
  w.key("messages");
  w.start_array();
  for (size_t i : top) {
    const Message& m = msgs[i];
    // Re-emit the stored data and add the answers list.
    std::string raw = m.raw;
    raw.pop_back();  // the closing brace
    http::JsonWriter answers;
    answers.start_array();
    for (size_t a : m.answers) answers.raw(msgs[a].raw);
    answers.end_array();
    w.raw(raw + ",\"answers\":" + answers.take() + "}");
  }
  w.end_array();
  w.end_object();
  return w.take();
}

std::string as_html(const store::Event& e, const std::vector<Message>& msgs, const std::vector<size_t>& top) {
  std::string lang = e.languages.empty() ? "fr" : e.languages.front();
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + html_escape(lang) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                    html_escape(e.title) +
                    "</title>\n<link rel=\"stylesheet\" href=\"../../../assets/palabre.css\">\n</head>\n<body>\n<main class=\"transcript\">\n<h1>" +
                    html_escape(e.title) + "</h1>\n<p><time datetime=\"" + timefmt::format_rfc3339(e.starts_at_ms) +
                    "\">" + timefmt::format_rfc3339(e.starts_at_ms) + "</time></p>\n<ol class=\"thread\">\n";
  auto item = [&](const Message& m, const char* cls) {
    std::string s = "<li class=\"" + std::string(cls) + " kind-" + html_escape(m.kind) + "\" lang=\"" +
                    html_escape(m.lang) + "\" id=\"" + html_escape(m.id) + "\">\n<p class=\"meta\"><strong><bdi>" +
                    html_escape(m.author) + "</bdi></strong> <time datetime=\"" + html_escape(m.ts) + "\">" +
                    html_escape(m.ts) + "</time></p>\n<p class=\"text\" dir=\"auto\">" + html_escape(m.text) + "</p>\n";
    return s;
  };
  for (size_t i : top) {
    out += item(msgs[i], "message");
    if (!msgs[i].answers.empty()) {
      out += "<ol class=\"answers\">\n";
      for (size_t a : msgs[i].answers) out += item(msgs[a], "answer") + "</li>\n";
      out += "</ol>\n";
    }
    out += "</li>\n";
  }
  out += "</ol>\n</main>\n</body>\n</html>\n";
  return out;
}

std::string as_csv(const std::vector<Message>& msgs, const std::vector<size_t>& top) {
  std::string out = "id,kind,reply_to,author,lang,ts,text\r\n";
  auto row = [&](const Message& m) {
    out += csv_cell(m.id) + "," + csv_cell(m.kind) + "," + csv_cell(m.reply_to) + "," + csv_cell(m.author) + "," +
           csv_cell(m.lang) + "," + csv_cell(m.ts) + "," + csv_cell(m.text) + "\r\n";
  };
  for (size_t i : top) {
    row(msgs[i]);
    for (size_t a : msgs[i].answers) row(msgs[a]);
  }
  return out;
}

std::string as_text(const store::Event& e, const std::vector<Message>& msgs, const std::vector<size_t>& top) {
  std::string out = e.title + "\n" + std::string(e.title.size(), '=') + "\n\n";
  for (size_t i : top) {
    const Message& m = msgs[i];
    out += "[" + m.ts + "] " + m.author + ": " + m.text + "\n";
    for (size_t a : m.answers) out += "    -> [" + msgs[a].ts + "] " + msgs[a].author + ": " + msgs[a].text + "\n";
    out += "\n";
  }
  return out;
}

http::Response transcript(Context& ctx, std::string_view format) {
  const std::string& event_id = ctx.param("id");
  store::Event e = load_event(ctx, event_id);
  std::vector<size_t> top;
  auto msgs = build(history(ctx, event_id), top);
  http::Response r;
  if (format == "json") {
    r = http::Response::json(200, as_json(ctx, e, msgs, top));
  } else if (format == "html") {
    r = http::Response::text("text/html; charset=utf-8", as_html(e, msgs, top));
  } else if (format == "csv") {
    r = http::Response::text("text/csv; charset=utf-8", as_csv(msgs, top));
    r.with_header("Content-Disposition", "attachment; filename=\"" + e.id + ".csv\"");
  } else {
    r = http::Response::text("text/plain; charset=utf-8", as_text(e, msgs, top));
  }
  return r;
}

}  // namespace

void register_transcript_routes(Router& router) {
  for (const char* format : {"json", "html", "csv", "txt"}) {
    std::string f = format;
    router.add("GET", "/api/events/{id}/transcript." + f, Access::public_,
               [f](Context& ctx) { return transcript(ctx, f); });
  }
}

}  // namespace palabre::api
