#include "api/idempotency.hpp"

#include "api/identity.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "redis/keys.hpp"
#include "redis/reply.hpp"

namespace palabre::api {
namespace {

bool is_mutation(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Who is asking, as the credential they present; empty for nobody.
std::string credential_of(const http::Request& req) {
  std::string who;
  if (auto a = req.header("Authorization"); a && !a->empty()) who.append("a:").append(*a).append("\n");
  if (auto c = req.cookie(kStaffCookie); c && !c->empty()) who.append("s:").append(*c).append("\n");
  if (auto c = req.cookie(kVisitorCookie); c && !c->empty()) who.append("v:").append(*c).append("\n");
  return who;
}

std::string_view element(const redisReply* r, size_t i) {
  if (!r || r->type != REDIS_REPLY_ARRAY || i >= r->elements) return {};
  const redisReply* e = r->element[i];
  return e->type == REDIS_REPLY_STRING ? std::string_view(e->str, e->len) : std::string_view{};
}

}  // namespace

bool is_idempotency_key(std::string_view key) {
  if (key.size() < 8 || key.size() > 128) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string id_for_request(const Context& ctx, std::string_view prefix) {
  if (ctx.idempotency_digest.empty()) return ids::new_id(prefix);
  return std::string(prefix) + ctx.idempotency_digest.substr(0, 24);
}

IdempotentCall::IdempotentCall(Context& ctx) : ctx_(ctx) {
  const http::Request& req = ctx.req;
  auto key = req.header("Idempotency-Key");
  if (!key || !is_mutation(req.method)) return;
  if (!is_idempotency_key(*key))
    throw Error(Code::bad_request,
                "Idempotency-Key must be 8 to 128 letters, digits or the characters - _ . :");
  std::string who = credential_of(req);
  if (who.empty()) return;
  digest_ = ids::sha256_hex(who + req.method + " " + req.path + "\n" + std::string(*key));
  std::string fingerprint = ids::sha256_hex(req.method + " " + req.path + "?" + req.query + "\n" + req.body);
  std::string record = keys::idempotency(digest_);
  redis::ReplyPtr r = ctx.services.redis.script("idempotency_begin", {record},
                                                {fingerprint, std::to_string(kClaimMs)});
  if (!r || redis::is_error(r.get()) || r->type != REDIS_REPLY_ARRAY)
    throw Error(Code::store_unavailable, "The live store did not answer.");
  std::string_view state = element(r.get(), 0);
  if (state == "new") {
    record_key_ = std::move(record);
    return;
  }
  if (state == "mismatch")
    throw Error(Code::idempotency_key_reused,
                "This Idempotency-Key was already used for a different request.");
  if (state == "pending") {
    Error err(Code::idempotency_in_progress,
              "A request with this Idempotency-Key is still being processed; retry shortly.");
    err.retry_after = 1;
    throw err;
  }
  http::Response replay;
  replay.status = std::atoi(std::string(element(r.get(), 1)).c_str());
  replay.content_type = std::string(element(r.get(), 2));
  replay.body = std::string(element(r.get(), 3));
  replay.with_header("Idempotent-Replayed", "true");
  replay_ = std::move(replay);
}

IdempotentCall::~IdempotentCall() {
  if (!record_key_.empty()) release();
}

void IdempotentCall::finish(const http::Response& response) {
  if (record_key_.empty()) return;
  bool sets_cookie = false;
  for (const auto& [name, value] : response.headers) sets_cookie |= (name == "Set-Cookie");
  if (response.handed_off || response.status >= 500 || sets_cookie) {
    release();
    return;
  }
  try {
    auto replies = ctx_.services.redis.pipeline({
        {"HSET", record_key_, "s", "d", "c", std::to_string(response.status), "h",
         response.content_type, "b", response.body},
        {"EXPIRE", record_key_, std::to_string(kKeepSeconds)},
    });
    for (const auto& r : replies) {
      if (redis::is_error(r.get())) throw Error(Code::store_unavailable, "idempotency record refused");
    }
  } catch (const Error& e) {
    // The request took effect; only its replay is lost. The claim lapses and
    // a retry runs again (which handlers make safe, see the header).
    log::warn("idempotency record not kept",
              {{"request_id", ctx_.req.request_id}, {"error", e.what()}});
  }
  record_key_.clear();
}

void IdempotentCall::release() noexcept {
  std::string key = std::move(record_key_);
  record_key_.clear();
  try {
    ctx_.services.redis.command({"DEL", key});
  } catch (...) {
    // Redis is away: the claim lapses by itself after kClaimMs.
  }
}

}  // namespace palabre::api
