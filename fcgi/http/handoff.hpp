// Moving an open stream from libfcgi to the hub (shared/notes/fastcgi-streams.md):
// write and flush the CGI headers through libfcgi; if that fails nginx is gone
// and the request is finished normally. Otherwise take the fd and request id,
// free libfcgi's state without ending the request, and park it in the hub.
// Accept threads only.
#pragma once

#include <string_view>

#include "http/fcgi_request.hpp"
#include "hub/hub.hpp"

namespace palabre::http {

// Returns false when the client was already gone (nothing was parked).
bool hand_off(FcgiRequest& fcgi, std::string_view cgi_headers, hub::ParkRequest&& park, hub::Hub& hub);

}  // namespace palabre::http
