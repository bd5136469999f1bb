#include "http/handoff.hpp"

namespace palabre::http {

bool FcgiParker::park(std::string_view cgi_headers, hub::ParkRequest&& park) {
  FCGX_PutStr(cgi_headers.data(), static_cast<int>(cgi_headers.size()), fcgi_.out());
  if (FCGX_FFlush(fcgi_.out()) < 0 || FCGX_GetError(fcgi_.out()) != 0) return false;
  park.request_id = static_cast<uint16_t>(fcgi_.request_id());
  park.fd = fcgi_.detach();
  hub_.park(std::move(park));
  return true;
}

}  // namespace palabre::http
