#include "api/dispatch.hpp"

#include <cctype>
#include <cstdlib>
#include <functional>

#include "api/authorize.hpp"
#include "api/idempotency.hpp"
#include "redis/replication.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "ops/stream_capacity.hpp"

namespace palabre::api {
namespace {

// Reads CONTENT_LENGTH bytes from libfcgi; refuses more than the limit
// without reading it (nginx discards the rest when the response ends).
void read_body(http::FcgiRequest& fcgi, http::Request& req, size_t max_bytes) {
  std::string_view length = req.param("CONTENT_LENGTH");
  if (length.empty()) return;
  char* end = nullptr;
  unsigned long long n = std::strtoull(std::string(length).c_str(), &end, 10);
  if (n > max_bytes)
    throw Error(Code::payload_too_large, "The request body is larger than " + std::to_string(max_bytes) + " bytes.");
  req.body.resize(n);
  size_t got = 0;
  while (got < n) {
    int r = FCGX_GetStr(req.body.data() + got, static_cast<int>(n - got), fcgi.in());
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  // A body cut short (the read timed out, nginx went away) is never taken
  // for a shorter request.
  if (got < n) throw Error(Code::bad_request, "The request body ended before its announced length.");
}

bool is_json_media_type(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  static constexpr std::string_view kJson = "application/json";
  if (type.size() != kJson.size()) return false;
  for (size_t i = 0; i < type.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(type[i])) != kJson[i]) return false;
  return true;
}

// A mutation speaks JSON: a declared type of anything else (an HTML form's
// urlencoded, multipart or text/plain posts) is refused before any handler
// looks at the body, and so is a body with no type. A mutation without a
// body (DELETE, logout) needs none.
//
// One exception: RFC 8058's one-click unsubscribe, which a mail client
// posts as a form ("List-Unsubscribe=One-Click", urlencoded or multipart)
// without cookies. Its handler reads no body; the token in its path is its
// only credential, and it only deletes (api/reminders.cpp).
constexpr std::string_view kOneClickRoute = "/api/reminders/{token}/unsubscribe";

bool is_mutation(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

void require_json_mutation(const http::Request& req, std::string_view route) {
  if (!is_mutation(req.method)) return;
  if (route == kOneClickRoute) return;
  std::string_view type = req.param("CONTENT_TYPE");
  if (type.empty() && req.body.empty()) return;
  if (!is_json_media_type(type))
    throw Error(Code::unsupported_media_type, "Send the request body as JSON, with Content-Type: application/json.");
}

}  // namespace

namespace {

// Routes, authorises and runs one request whose params are parsed; reads the
// body through `read_body` once the route is known. Never throws.
http::Response run(http::Request& req, Services& services, const Router& router,
                   http::RouteMetrics& metrics, http::StreamParker& parker,
                   const std::function<void(http::Request&)>& read_body) {
  int64_t started = monotonic_ms();
  // nginx says with every request how many streams it can relay (nginx/render).
  ops::stream_capacity().note_from_nginx(req.param("PALABRE_NGINX_STREAM_CAPACITY"));
  auto match = router.match(req.method, req.path);
  size_t route_index = metrics.unmatched_index();
  if (match.route) route_index = static_cast<size_t>(match.route - router.routes().data());

  http::Response response;
  try {
    if (!match.route) {
      if (match.wrong_method) throw Error(Code::method_not_allowed, "This method is not allowed here.");
      throw Error(Code::not_found, "No such resource.");
    }
    read_body(req);
    require_json_mutation(req, match.route->name);
    Context ctx{req, match.params, services, parker};
    // The route's declared rule, before anything else looks at the request
    // (an idempotent replay included: a revoked credential gets no answer).
    Admitted admitted;
    authorize(ctx, match.route->access, admitted);
    const redis::WaitMark wait_mark = redis::mark_for_wait(services.redis);
    IdempotentCall idempotent(ctx);
    if (auto& replay = idempotent.replay()) {
      response = std::move(*replay);
    } else {
      ctx.idempotency_digest = idempotent.digest();
      response = match.route->handler(ctx);
      idempotent.finish(response);
    }
    // Acknowledged only once the replicas have it (a replay too: the first
    // attempt may have got a 503 not_replicated). Kept for its retry: the
    // answer above is what the retry gets, once the replicas caught up.
    if (is_mutation(req.method) && response.status < 300 && !response.handed_off &&
        !redis::wait_for_replicas(services.redis, services.config, wait_mark)) {
      Error e(Code::not_replicated,
              "Saved, but not yet copied to enough Redis replicas; retry with the same Idempotency-Key.");
      e.retry_after = 1;
      throw e;
    }
  } catch (const Error& e) {
    response = http::error_response(e);
    if (e.code() == Code::store_unavailable) services.drop_sql();
    if (e.code() == Code::method_not_allowed && match.route == nullptr) {
      std::string allow;
      for (const auto& r : router.routes()) {
        if (router.match(r.method, req.path).route == &r) allow += (allow.empty() ? "" : ", ") + r.method;
      }
      if (!allow.empty()) response.with_header("Allow", allow);
    }
  } catch (const std::exception& e) {
    log::error("unhandled error", {{"request_id", req.request_id}, {"path", req.path}, {"error", e.what()}});
    response = http::error_response(Error(Code::internal_error, "Something went wrong on our side."));
  }
  if (!response.handed_off && req.method == "HEAD") response.body.clear();
  double seconds = static_cast<double>(monotonic_ms() - started) / 1000.0;
  metrics.observe(route_index, response.handed_off ? 200 : response.status, seconds);
  return response;
}

}  // namespace

bool serve_one(http::FcgiRequest& fcgi, Services& services, const Router& router,
               http::RouteMetrics& metrics) {
  http::Request req = http::parse_params(fcgi.envp(), services.config.prefix, services.config.public_url);
  http::FcgiParker parker(fcgi, services.hub);
  http::Response response = run(req, services, router, metrics, parker, [&](http::Request& r) {
    read_body(fcgi, r, services.config.max_body_bytes);
  });
  if (!response.handed_off) http::write_response(fcgi.out(), response);
  return response.handed_off;
}

http::Response serve_read(http::Request& req, Services& services, const Router& router,
                          http::RouteMetrics& metrics, http::StreamParker& parker) {
  return run(req, services, router, metrics, parker, [&](http::Request& r) {
    if (r.body.size() > services.config.max_body_bytes)
      throw Error(Code::payload_too_large,
                  "The request body is larger than " + std::to_string(services.config.max_body_bytes) + " bytes.");
  });
}

}  // namespace palabre::api
