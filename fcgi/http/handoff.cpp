#include "http/handoff.hpp"

namespace palabre::http {

bool hand_off(FcgiRequest& fcgi, std::string_view cgi_headers, hub::ParkRequest&& park, hub::Hub& hub) {
  FCGX_PutStr(cgi_headers.data(), static_cast<int>(cgi_headers.size()), fcgi.out());
  if (FCGX_FFlush(fcgi.out()) < 0 || FCGX_GetError(fcgi.out()) != 0) return false;
  park.request_id = static_cast<uint16_t>(fcgi.request_id());
  park.fd = fcgi.detach();
  hub.park(std::move(park));
  return true;
}

}  // namespace palabre::http
