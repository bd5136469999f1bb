// What a handler gets: the parsed request, its path parameters, and the
// accept thread's own connections (Redis, SQL), plus the process-wide hub,
// config and clock. One Services per accept thread; never shared.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "domain/permissions.hpp"
#include "http/handoff.hpp"
#include "http/metrics.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "hub/hub.hpp"
#include "redis/connection.hpp"
#include "store/store.hpp"

namespace palabre::api {

struct Services {
  Services(const Config& c, hub::Hub& h, const Clock& clk) : config(c), redis(c), hub(h), clock(clk) {}

  const Config& config;
  redis::Connection redis;
  hub::Hub& hub;
  const Clock& clock;
  const http::RouteMetrics* metrics = nullptr;

  // Opened on first use so that a worker starts even while the database is
  // briefly unavailable; /healthz reports it.
  store::Store& sql() {
    if (!store_) store_ = store::open(config);
    return *store_;
  }
  void drop_sql() { store_.reset(); }

 private:
  std::unique_ptr<store::Store> store_;
};

struct Staff;
struct Visitor;

struct Context {
  http::Request& req;
  const http::PathParams& params;
  Services& services;
  // Where a stream handler sends its open stream (http/handoff.hpp).
  http::StreamParker& parker;
  // SHA-256 naming the request's Idempotency-Key for its sender, or empty
  // (api/idempotency.hpp): handlers derive the ids of what they create from it.
  std::string idempotency_digest = {};
  // Whom the route's access rule admitted (api/authorize.hpp), set by the
  // dispatcher before the handler runs: `staff` for the staff rules,
  // `visitor` for the visitor rule, else null. They live as long as the
  // request.
  const Staff* staff = nullptr;
  const Visitor* visitor = nullptr;

  const std::string& param(const char* name) const { return params.find(name)->second; }
  int64_t now_ms() const { return services.clock.now_ms(); }
  const Config& config() const { return services.config; }
};

using Handler = std::function<http::Response(Context&)>;
// Every route declares who may call it (domain/permissions.hpp).
using Access = domain::Access;
using Router = http::Router<Handler, Access>;

// Each resource file registers its routes.
void register_event_routes(Router& router);
void register_auth_routes(Router& router);
void register_visitor_routes(Router& router);
void register_stream_routes(Router& router);
void register_moderation_routes(Router& router);
void register_guest_routes(Router& router);
void register_transcript_routes(Router& router);
void register_thread_page_routes(Router& router);
void register_ops_routes(Router& router);
void register_privacy_routes(Router& router);
void register_logo_routes(Router& router);
void register_guest_photo_routes(Router& router);
void register_prepared_answer_routes(Router& router);
void register_audience_routes(Router& router);
void register_word_filter_routes(Router& router);
void register_reminder_routes(Router& router);
void register_stats_routes(Router& router);
void register_calendar_routes(Router& router);
void register_share_head_routes(Router& router);
void register_site_routes(Router& router);
void register_event_lifecycle_routes(Router& router);

inline void register_all_routes(Router& router) {
  register_event_routes(router);
  register_auth_routes(router);
  register_visitor_routes(router);
  register_stream_routes(router);
  // Before moderation: the first route that matches a path wins, and
  // …/questions/{qid}/support would match the moderators' …/{action}.
  register_audience_routes(router);
  register_moderation_routes(router);
  register_guest_routes(router);
  register_transcript_routes(router);
  register_thread_page_routes(router);
  register_ops_routes(router);
  register_privacy_routes(router);
  register_logo_routes(router);
  register_guest_photo_routes(router);
  register_prepared_answer_routes(router);
  register_word_filter_routes(router);
  register_reminder_routes(router);
  register_stats_routes(router);
  register_calendar_routes(router);
  register_share_head_routes(router);
  register_site_routes(router);
  register_event_lifecycle_routes(router);
}

}  // namespace palabre::api
