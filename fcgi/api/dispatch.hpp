// Serves one accepted request on an accept thread: parse, route, read the
// body (bounded), enforce the route's access rule (api/authorize.hpp), run
// the handler, map errors to JSON, write the response
// (unless the handler handed the connection to the hub), record metrics.
#pragma once

#include "api/context.hpp"

namespace palabre::api {

// Returns true when the connection was handed to the hub (do not finish it).
bool serve_one(http::FcgiRequest& fcgi, Services& services, const Router& router,
               http::RouteMetrics& metrics);

// The same for a request the hub read from its own door (hub/door.hpp):
// params and body are already in `req`; streams park through `parker`.
// Returns the response to write (handed_off: the parker has the stream).
http::Response serve_read(http::Request& req, Services& services, const Router& router,
                          http::RouteMetrics& metrics, http::StreamParker& parker);

}  // namespace palabre::api
