// Transcripts: the published messages in order, answers under their
// questions, retracted ones left out (api/published_thread.hpp, as the plain
// view thread.html reads them); as JSON, HTML, CSV or plain text.
#include "api/context.hpp"
#include "api/event_json.hpp"
#include "api/identity.hpp"
#include "api/open_data.hpp"
#include "api/published_thread.hpp"
#include "api/site.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "http/csv.hpp"
#include "http/html.hpp"
#include "http/json.hpp"

namespace palabre::api {
namespace {

using http::csv_cell;
using http::html::escape;

std::string as_json(Context& ctx, const store::Event& e, const std::vector<PublishedMessage>& msgs,
                    const std::vector<size_t>& top) {
  http::JsonWriter w;
  w.start_object();
  w.key("event");
  api::write_event(ctx, w.raw_writer(), e);
  w.key("messages");
  w.start_array();
  for (size_t i : top) {
    const PublishedMessage& m = msgs[i];
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
  const Licence licence = open_data_licence(ctx);
  w.key("licence");
  w.start_object();
  w.field("name", licence.name);
  w.field("url", licence.url);
  w.end_object();
  w.end_object();
  return w.take();
}

std::string as_html(const store::Event& e, const std::vector<PublishedMessage>& msgs, const std::vector<size_t>& top) {
  std::string lang = e.languages.empty() ? "fr" : e.languages.front();
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + escape(lang) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                    escape(e.title) +
                    "</title>\n<link rel=\"stylesheet\" href=\"../../../assets/palabre.css\">\n</head>\n<body>\n<main class=\"transcript\">\n<h1>" +
                    escape(e.title) + "</h1>\n<p><time datetime=\"" + timefmt::format_rfc3339(e.starts_at_ms) +
                    "\">" + timefmt::format_rfc3339(e.starts_at_ms) + "</time></p>\n<ol class=\"thread\">\n";
  auto item = [&](const PublishedMessage& m, const char* cls) {
    std::string s = "<li class=\"" + std::string(cls) + " kind-" + escape(m.kind) + "\" lang=\"" +
                    escape(m.lang) + "\" id=\"" + escape(m.id) + "\">\n<p class=\"meta\"><strong><bdi>" +
                    escape(m.author) + "</bdi></strong> <time datetime=\"" + escape(m.ts) + "\">" +
                    escape(m.ts) + "</time></p>\n<p class=\"text\" dir=\"auto\">" + escape(m.text) + "</p>\n";
    if (m.poll) s += poll_results_html(*m.poll);
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

std::string as_csv(const std::vector<PublishedMessage>& msgs, const std::vector<size_t>& top) {
  std::string out = "id,kind,reply_to,author,lang,ts,text\r\n";
  auto row = [&](const PublishedMessage& m) {
    std::string text = m.poll ? m.text + " — " + poll_summary(*m.poll) : m.text;
    out += csv_cell(m.id) + "," + csv_cell(m.kind) + "," + csv_cell(m.reply_to) + "," + csv_cell(m.author) + "," +
           csv_cell(m.lang) + "," + csv_cell(m.ts) + "," + csv_cell(text) + "\r\n";
  };
  for (size_t i : top) {
    row(msgs[i]);
    for (size_t a : msgs[i].answers) row(msgs[a]);
  }
  return out;
}

std::string as_text(const store::Event& e, const std::vector<PublishedMessage>& msgs, const std::vector<size_t>& top) {
  std::string out = e.title + "\n" + std::string(e.title.size(), '=') + "\n\n";
  for (size_t i : top) {
    const PublishedMessage& m = msgs[i];
    out += "[" + m.ts + "] " + m.author + ": " + m.text + "\n";
    if (m.poll) out += "    " + poll_summary(*m.poll) + "\n";
    for (size_t a : m.answers) out += "    -> [" + msgs[a].ts + "] " + msgs[a].author + ": " + msgs[a].text + "\n";
    out += "\n";
  }
  return out;
}

http::Response transcript(Context& ctx, std::string_view format) {
  const std::string& event_id = ctx.param("id");
  store::Event e = load_event(ctx, event_id);
  PublishedThread thread = fold_thread(published_history(ctx, event_id));
  const auto& msgs = thread.messages;
  const auto& top = thread.top;
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
