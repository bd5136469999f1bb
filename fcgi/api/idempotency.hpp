// Idempotency-Key on mutations (POST, PUT, PATCH, DELETE): a client that
// retries after a 502, a timeout or a dropped connection with the same key
// gets the first answer again, and nothing is created twice.
//
// A record is kept in Redis (keys::idempotency) per sender (the credential
// presented: Bearer token, staff or visitor cookie), method, path and key:
// first "pending" for a few seconds (a retry meanwhile gets 409
// idempotency_in_progress with Retry-After), then the answer for 24 h. The
// same key with another body gets 422 idempotency_key_reused. Errors (what a
// handler throws: 4xx and 5xx) and 5xx answers are not kept (the retry runs
// again: a 429 must be retryable with its key); neither are answers that set a cookie
// (they must not be replayed to whoever presents the key), nor requests
// without a credential.
//
// A worker that dies between its handler's effect and the record leaves a
// claim that lapses after kClaimMs; the retry then runs the handler again.
// Handlers make that safe where it matters: what a request creates gets an
// id derived from the key (id_for_request: questions, announcements,
// answers), and every change of actions/ records its result under it
// (redis::Batch::once): a retry gets that result, not a second change.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/context.hpp"

namespace palabre::api {

// 8 to 128 characters of [A-Za-z0-9_-.:] (UUIDs, random hex, ULIDs).
bool is_idempotency_key(std::string_view key);

// The id of what this request creates ("<prefix><24 characters>"): derived
// from its Idempotency-Key when it has one, so that a retry whose first
// attempt died finds the same thing again; otherwise a fresh one.
std::string id_for_request(const Context& ctx, std::string_view prefix);

class IdempotentCall {
 public:
  // Claims the key of this request if it carries one (and a credential).
  // Throws Error(bad_request) for a malformed key, idempotency_in_progress
  // or idempotency_key_reused. After it returns, replay() may hold the
  // first answer: send it instead of running the handler.
  explicit IdempotentCall(Context& ctx);
  ~IdempotentCall();  // releases a claim left unfinished (the handler threw)
  IdempotentCall(const IdempotentCall&) = delete;
  IdempotentCall& operator=(const IdempotentCall&) = delete;

  bool active() const { return !record_key_.empty(); }
  // SHA-256 (hex) naming this sender's key: a stable id for what the
  // request creates. Empty when there is no key.
  const std::string& digest() const { return digest_; }
  std::optional<http::Response>& replay() { return replay_; }
  // Keeps `response` as the answer to every retry (or releases the claim
  // when it must not be kept).
  void finish(const http::Response& response);

  static constexpr int64_t kClaimMs = 5000;
  static constexpr int kKeepSeconds = 24 * 3600;

 private:
  void release() noexcept;

  Context& ctx_;
  std::string digest_;
  std::string record_key_;
  std::optional<http::Response> replay_;
};

}  // namespace palabre::api
