// Moving an open stream to the hub. A stream handler (api/streams.cpp) does
// not know where its request came from, so it parks through a StreamParker:
//
// - FcgiParker, on an accept thread (shared/notes/fastcgi-streams.md): write
//   and flush the CGI headers through libfcgi; if that fails nginx is gone
//   and the request is finished normally. Otherwise take the fd and request
//   id, free libfcgi's state without ending the request, and park it.
// - The hub's own door (hub/door.hpp) already holds the connection: its
//   parker only keeps the headers and the ParkRequest, and the hub writes
//   both when the reply comes back to its thread.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>

#include "http/fcgi_request.hpp"
#include "hub/hub.hpp"
#include "hub/stream_headers.hpp"

namespace palabre::http {

class StreamParker {
 public:
  // Returns false when the client was already gone (nothing was parked).
  virtual bool park(std::string_view cgi_headers, hub::ParkRequest&& park) = 0;

 protected:
  ~StreamParker() = default;
};

class FcgiParker final : public StreamParker {
 public:
  FcgiParker(FcgiRequest& fcgi, hub::Hub& hub) : fcgi_(fcgi), hub_(hub) {}
  bool park(std::string_view cgi_headers, hub::ParkRequest&& park) override;

 private:
  FcgiRequest& fcgi_;
  hub::Hub& hub_;
};

// For the door threads: keeps what the handler parked; the hub, which holds
// the connection, parks it and writes the same headers from
// hub/stream_headers.hpp (the only ones stream handlers pass).
class DoorParker final : public StreamParker {
 public:
  bool park(std::string_view cgi_headers, hub::ParkRequest&& park) override {
    assert(cgi_headers == hub::kSseHeaders || cgi_headers == hub::kLongPollHeaders);
    (void)cgi_headers;
    park.from_door = true;
    parked = std::move(park);
    return true;
  }
  std::optional<hub::ParkRequest> parked;
};

}  // namespace palabre::http
