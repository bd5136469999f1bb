// A visitor's rights over what Palabre holds about them (docs/PRIVACY.md,
// /work/shared/API.md v2 "Privacy"): export it, or erase their
// participation in the debate.
#include "actions/audience.hpp"
#include "actions/mutation.hpp"
#include "api/context.hpp"
#include "api/identity.hpp"
#include "api/mutation.hpp"
#include "audit/drain.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "http/json.hpp"
#include "redis/keys.hpp"
#include "redis/questions.hpp"
#include "redis/reply.hpp"
#include "redis/sessions.hpp"
#include "redis/batch.hpp"
#include "redis/streams.hpp"
#include "wire/frames.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>

namespace palabre::api {
namespace {
// How an erased visitor's published questions are signed.
constexpr const char* kAnonymous = "anonyme";


http::Response export_me(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const Visitor& visitor = admitted_visitor(ctx);
  redis::Connection& redis = ctx.services.redis;
  auto questions = redis::visitor_questions(redis, event_id, visitor.visitor_id);
  std::optional<redis::Ban> ban;
  for (auto& b : redis::list_bans(redis, event_id))
    if (b.visitor_id == visitor.visitor_id) ban = b;

  http::JsonWriter w;
  w.start_object();
  w.field("event_id", event_id);
  w.field("visitor_id", visitor.visitor_id);
  w.field("name", visitor.name);
  w.field("lang", visitor.lang);
  w.field("banned", ban.has_value());
  if (ban) {
    w.key("ban");
    w.start_object();
    w.field("reason", ban->reason);
    w.field("at", timefmt::format_rfc3339(ban->at_ms));
    w.end_object();
  }
  // Their signals: the questions they supported and the polls they voted on.
  w.key("supported");
  w.start_array();
  for (const auto& id : actions::questions_supported(redis, event_id, visitor.visitor_id)) w.string(id);
  w.end_array();
  w.key("polls_voted");
  w.start_array();
  for (const auto& id : actions::polls_voted(redis, event_id, visitor.visitor_id)) w.string(id);
  w.end_array();
  w.key("questions");
  w.start_array();
  for (const auto& q : questions) {
    w.start_object();
    w.field("id", q.id);
    w.field("author", q.author);
    w.field("text", q.text);
    if (!q.original_text.empty()) w.field("original_text", q.original_text);
    w.field("lang", q.lang);
    w.field("status", domain::status_name(q.status));
    w.field_or_null("reject_reason", q.reject_reason);
    w.field("forwarded", q.forwarded);
    w.field("answered", q.answered);
    w.field("created_at", timefmt::format_rfc3339(q.created_ms));
    w.field("updated_at", timefmt::format_rfc3339(q.updated_ms));
    w.end_object();
  }
  w.end_array();
  w.field("exported_at", timefmt::format_rfc3339(ctx.now_ms()));
  w.end_object();
  http::Response r = http::Response::json(200, w.take());
  r.with_header("Content-Disposition", "attachment; filename=\"palabre-" + event_id + "-" + visitor.visitor_id + ".json\"");
  r.with_header("Cache-Control", "no-store");
  return r;
}

// The message's JSON signed "anonyme" instead of `name`: as its author when
// it is one of `authored`, and among its credited `authors` (a question that
// merged duplicates) when it is one of `authored` or `credited`; "" when it
// is none of them.
std::string resigned(const std::string& data, const std::set<std::string>& authored,
                     const std::set<std::string>& credited, const std::string& name) {
  rapidjson::Document d;
  d.Parse(data.c_str(), data.size());
  if (d.HasParseError() || !d.IsObject()) return "";
  auto id = d.FindMember("id");
  auto author = d.FindMember("author");
  if (id == d.MemberEnd() || !id->value.IsString() || author == d.MemberEnd()) return "";
  const std::string message_id(id->value.GetString(), id->value.GetStringLength());
  const bool is_theirs = authored.count(message_id) > 0;
  if (!is_theirs && !credited.count(message_id)) return "";
  if (is_theirs) author->value.SetString(kAnonymous, d.GetAllocator());
  if (auto authors = d.FindMember("authors"); authors != d.MemberEnd() && authors->value.IsArray()) {
    for (auto& a : authors->value.GetArray())
      if (a.IsString() && name == a.GetString()) a.SetString(kAnonymous, d.GetAllocator());
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  d.Accept(writer);
  return std::string(buf.GetString(), buf.GetSize());
}

// XDEL of the entries of a staff or guest stream about one of `ids`.
int delete_entries_about(redis::Connection& redis, const std::string& stream, const std::set<std::string>& ids) {
  if (ids.empty()) return 0;
  redis::ReplyPtr r = redis.command({"XRANGE", stream, "-", "+"});
  if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The live store did not answer.");
  std::vector<std::string> xdel = {"XDEL", stream};
  for (const auto& e : redis::parse_entries(r.get())) {
    for (const auto& id : ids) {
      if (e.data.find("\"id\":\"" + id + "\"") != std::string::npos) {
        xdel.push_back(e.id);
        break;
      }
    }
  }
  if (xdel.size() == 2) return 0;
  redis.command(xdel);
  return static_cast<int>(xdel.size() - 2);
}

http::Response erase_me(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  load_event(ctx, event_id);
  const Visitor& visitor = admitted_visitor(ctx);
  redis::Connection& redis = ctx.services.redis;
  auto questions = redis::visitor_questions(redis, event_id, visitor.visitor_id);

  std::set<std::string> erased, published, credited;
  std::vector<std::vector<std::string>> cmds;
  for (const auto& q : questions) {
    // A duplicate merged into someone else's question credited this visitor
    // there: the credit stays, unnamed.
    if (!q.merged_into.empty()) {
      if (auto target = redis::load_question(redis, event_id, q.merged_into)) {
        for (auto& a : target->co_authors)
          if (a.visitor_id == visitor.visitor_id) a = {"", kAnonymous};
        target->version += 1;
        std::vector<std::string> hset = {"HSET", keys::question(event_id, target->id)};
        for (auto& [field, value] : domain::to_fields(*target)) hset.insert(hset.end(), {field, value});
        cmds.push_back(std::move(hset));
        if (!domain::never_public(*target)) credited.insert(target->id);
      }
    }
    if (domain::never_public(q)) {
      erased.insert(q.id);
      cmds.push_back({"DEL", keys::question(event_id, q.id)});
      cmds.push_back({"ZREM", keys::all_questions(event_id), q.id});
      cmds.push_back({"ZREM", keys::pending_queue(event_id), q.id});
      cmds.push_back({"ZREM", keys::guest_queue(event_id), q.id});
      cmds.push_back({"ZREM", keys::visitor_questions(event_id, visitor.visitor_id), q.id});
    } else {
      published.insert(q.id);
      cmds.push_back({"HSET", keys::question(event_id, q.id), "author", kAnonymous});
      // A moderator's change computed before this one must not bring the name back.
      cmds.push_back({"HINCRBY", keys::question(event_id, q.id), "version", "1"});
    }
  }
  // Their supports and their name among a poll's voters.
  actions::forget_signals(redis, event_id, visitor.visitor_id);
  // The session and what names this visitor's limits and address.
  cmds.push_back({"DEL", keys::visitor_session(event_id, visitor.session_hash), keys::rate(event_id, visitor.visitor_id),
                  keys::visitor_address(event_id, visitor.visitor_id)});
  for (auto& r : redis.pipeline(cmds))
    if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The live store refused the erasure.");
  int xdel = delete_entries_about(redis, keys::staff_stream(event_id), erased) +
             delete_entries_about(redis, keys::guest_stream(event_id), erased);
  // Open consoles drop those questions (`erased` frame, ids only); one that
  // reconnects reads a stream without them.
  if (!erased.empty()) {
    const std::string frame = wire::erased_json({erased.begin(), erased.end()});
    redis::Batch b(ctx.config());
    b.append(keys::staff_stream(event_id), "erased", frame);
    b.append(keys::guest_stream(event_id), "erased", frame);
    b.apply(redis);
  }

  // Published questions stay, signed "anonyme": in the public stream (its
  // entries rewritten with the same ids), in the SQL archive, and on open
  // pages through an `author` frame. So do the credits of merged duplicates
  // (pages show them after a reload).
  int rewritten = 0;
  if (!published.empty() || !credited.empty()) {
    const std::string stream = keys::public_stream(event_id);
    redis::ReplyPtr r = redis.command({"XRANGE", stream, "-", "+"});
    if (!r || redis::is_error(r.get())) throw Error(Code::store_unavailable, "The live store did not answer.");
    std::vector<std::string> pairs;
    for (const auto& e : redis::parse_entries(r.get())) {
      if (e.type != "message") continue;
      std::string data = resigned(e.data, published, credited, visitor.name);
      if (data.empty()) continue;
      pairs.push_back(e.id);
      pairs.push_back(data);
    }
    if (!pairs.empty()) {
      redis::ReplyPtr done = redis.script("rewrite_entries", {stream}, pairs);
      if (!done || redis::is_error(done.get())) throw Error(Code::store_unavailable, "The live store refused the erasure.");
    }
    for (auto& m : ctx.services.sql().archived_messages(event_id)) {
      if (m.type != "message") continue;
      std::string data = resigned(m.data_json, published, credited, visitor.name);
      if (!data.empty() && ctx.services.sql().rewrite_archived_message(event_id, m.cursor, data)) ++rewritten;
    }
    if (!published.empty()) {
      redis::Batch b(ctx.config());
      b.append(keys::public_stream(event_id), "author",
               wire::author_json({published.begin(), published.end()}, kAnonymous));
      actions::archive_public_entries(mutation(ctx, "visitor:" + visitor.visitor_id), event_id, b.apply(redis));
    }
  }
  // The audit log keeps who did what to their questions and when, not
  // their texts (an edit's "before") nor a rejection's reason.
  audit::drain(redis, ctx.services.sql(), event_id);
  int audit = 0;
  for (const auto& q : questions) audit += ctx.services.sql().blank_audit_details_of(event_id, q.id);
  log::info("visitor erased", {{"event_id", event_id},
                               {"audit_entries_blanked", std::to_string(audit)},
                               {"questions_deleted", std::to_string(erased.size())},
                               {"questions_anonymised", std::to_string(published.size())},
                               {"feed_entries_deleted", std::to_string(xdel)},
                               {"archive_rewritten", std::to_string(rewritten)}});
  http::Response resp = http::Response::no_content();
  resp.with_header("Set-Cookie", cookie_header(ctx, kVisitorCookie, "", 0, "Lax", "api/events/" + event_id));
  return resp;
}

}  // namespace

void register_privacy_routes(Router& router) {
  router.add("GET", "/api/events/{id}/me/export", Access::visitor, export_me);
  router.add("DELETE", "/api/events/{id}/me", Access::visitor, erase_me);
}

}  // namespace palabre::api
