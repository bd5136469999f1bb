#include "api/published_thread.hpp"

#include <rapidjson/document.h>

#include <map>
#include <set>

#include "api/live_history.hpp"
#include "http/html.hpp"
#include "http/json.hpp"
#include "redis/keys.hpp"

namespace palabre::api {
namespace {

std::string field(const rapidjson::Value& d, const char* name) {
  auto it = d.FindMember(name);
  return (it != d.MemberEnd() && it->value.IsString()) ? it->value.GetString() : "";
}

bool flag(const rapidjson::Value& d, const char* name) {
  auto it = d.FindMember(name);
  return it != d.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

void read_redis_after(Context& ctx, const std::string& key, std::string after,
                      std::vector<redis::StreamEntry>& out) {
  for (;;) {
    auto page = redis::read_after(ctx.services.redis, key, after, 1000);
    if (page.empty()) return;
    after = page.back().id;
    out.insert(out.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
  }
}

// A poll frame: the poll's first frame places it in the thread, each later
// one updates its results.
void fold_poll(PublishedThread& t, std::map<std::string, size_t>& index, const redis::StreamEntry& e) {
  rapidjson::Document d;
  d.Parse(e.data.c_str(), e.data.size());
  if (!d.IsObject()) return;
  const std::string id = field(d, "id");
  if (id.empty()) return;
  PublishedPoll poll;
  if (auto o = d.FindMember("options"); o != d.MemberEnd() && o->value.IsArray())
    for (const auto& v : o->value.GetArray()) poll.options.push_back(v.IsString() ? v.GetString() : "");
  if (auto r = d.FindMember("results"); r != d.MemberEnd() && r->value.IsArray())
    for (const auto& v : r->value.GetArray()) poll.results.push_back(v.IsInt64() ? v.GetInt64() : 0);
  poll.results.resize(poll.options.size(), 0);
  if (auto v = d.FindMember("votes"); v != d.MemberEnd() && v->value.IsInt64()) poll.votes = v->value.GetInt64();
  poll.closed = field(d, "state") == "closed";
  // The transcript's entry: the poll's frame under "poll", with the fields
  // every message has.
  http::JsonWriter w;
  w.start_object();
  w.field("id", id);
  w.field("kind", "poll");
  w.field("author", "moderation");
  w.field("text", field(d, "question"));
  w.field("lang", "");
  w.field_or_null("reply_to", "");
  w.field("ts", field(d, "opened_at"));
  w.key("poll");
  w.raw(e.data);
  w.end_object();
  if (auto seen = index.find(id); seen != index.end()) {
    PublishedMessage& m = t.messages[seen->second];
    m.poll = std::move(poll);
    m.raw = w.take();
    return;
  }
  PublishedMessage m{id, "poll", "moderation", field(d, "question"), "", "", field(d, "opened_at"), false, w.take(),
                     {}, std::move(poll)};
  t.messages.push_back(std::move(m));
  index[id] = t.messages.size() - 1;
  t.top.push_back(t.messages.size() - 1);
}

}  // namespace

std::vector<redis::StreamEntry> published_history(Context& ctx, const std::string& event_id) {
  const std::string key = keys::public_stream(event_id);
  StreamBounds bounds = live_bounds(ctx, event_id, key);
  std::vector<redis::StreamEntry> all;
  std::string after = "0";
  if (bounds.trimmed) {
    for (auto& m : ctx.services.sql().archived_messages(event_id)) {
      after = m.cursor;
      all.push_back({std::move(m.cursor), std::move(m.type), std::move(m.data_json)});
    }
  }
  read_redis_after(ctx, key, after, all);
  return all;
}

std::string poll_summary(const PublishedPoll& poll) {
  std::string out;
  for (size_t i = 0; i < poll.options.size(); ++i) {
    if (i) out += " · ";
    out += poll.options[i] + ": " + std::to_string(i < poll.results.size() ? poll.results[i] : 0);
  }
  return out;
}

std::string poll_results_html(const PublishedPoll& poll) {
  std::string out = "<ul class=\"poll-results\">\n";
  for (size_t i = 0; i < poll.options.size(); ++i) {
    out += "<li><span class=\"poll-option\" dir=\"auto\">" + http::html::escape(poll.options[i]) +
           "</span> <span class=\"poll-count\">" + std::to_string(i < poll.results.size() ? poll.results[i] : 0) +
           "</span></li>\n";
  }
  return out + "</ul>\n";
}

PublishedThread fold_thread(const std::vector<redis::StreamEntry>& entries) {
  PublishedThread t;
  std::set<std::string> retracted;
  for (const auto& e : entries) {
    if (e.type != "retract") continue;
    rapidjson::Document d;
    d.Parse(e.data.c_str(), e.data.size());
    if (d.IsObject()) retracted.insert(field(d, "id"));
  }
  std::map<std::string, size_t> index;
  for (const auto& e : entries) {
    if (e.type == "poll") {
      fold_poll(t, index, e);
      continue;
    }
    if (e.type != "message") continue;
    rapidjson::Document d;
    d.Parse(e.data.c_str(), e.data.size());
    if (!d.IsObject()) continue;
    PublishedMessage m{field(d, "id"), field(d, "kind"), field(d, "author"), field(d, "text"), field(d, "lang"),
                       field(d, "reply_to"), field(d, "ts"), flag(d, "edited"), e.data, {}, std::nullopt};
    if (m.id.empty() || retracted.count(m.id)) continue;
    if (!m.reply_to.empty() && retracted.count(m.reply_to)) continue;
    if (auto seen = index.find(m.id); seen != index.end()) {
      PublishedMessage& first = t.messages[seen->second];
      first.text = std::move(m.text);
      first.edited = first.edited || m.edited;
      first.raw = std::move(m.raw);
      continue;
    }
    t.messages.push_back(std::move(m));
    const size_t i = t.messages.size() - 1;
    index[t.messages[i].id] = i;
    const std::string& parent_id = t.messages[i].reply_to;
    auto parent = parent_id.empty() ? index.end() : index.find(parent_id);
    if (parent != index.end()) t.messages[parent->second].answers.push_back(i);
    else t.top.push_back(i);
  }
  return t;
}

}  // namespace palabre::api
