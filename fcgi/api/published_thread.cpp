#include "api/published_thread.hpp"

#include <rapidjson/document.h>

#include <map>
#include <set>

#include "api/live_history.hpp"
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
    if (e.type != "message") continue;
    rapidjson::Document d;
    d.Parse(e.data.c_str(), e.data.size());
    if (!d.IsObject()) continue;
    PublishedMessage m{field(d, "id"), field(d, "kind"), field(d, "author"), field(d, "text"), field(d, "lang"),
                       field(d, "reply_to"), field(d, "ts"), flag(d, "edited"), e.data, {}};
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
