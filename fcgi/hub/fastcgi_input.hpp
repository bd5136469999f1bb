// Reading one FastCGI request from bytes as they arrive, for the hub's own
// door (hub/door.hpp), where the hub reads without blocking and cannot use
// libfcgi: BEGIN_REQUEST, PARAMS until the empty PARAMS record, STDIN until
// the empty STDIN record. nginx sends exactly that, one request at a time on
// a connection (request id 1), and with `fastcgi_keep_conn on` the next
// request on the same connection after our END_REQUEST.
//
// Pure: no I/O, any thread, one instance per connection. Bounded: params and
// body past their limits stop the request with an error instead of growing.
// Never throws except std::bad_alloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/request.hpp"

namespace palabre::hub {

class FastcgiInput {
 public:
  struct Limits {
    size_t max_params_bytes = 64 * 1024;  // all name-value pairs of a request
    size_t max_body_bytes = 64 * 1024;
  };
  enum class State {
    Reading,  // more bytes needed
    Ready,    // a whole request is in request_id/keep_conn/params/body
    Failed,   // not FastCGI as nginx speaks it, or over a limit: see failure()
  };
  enum class Failure { None, Protocol, ParamsTooLarge, BodyTooLarge };

  explicit FastcgiInput(Limits limits) : limits_(limits) {}

  // Takes the bytes; parses as far as they go. Once Ready or Failed, further
  // bytes are kept for the next request (after next_request()).
  State feed(std::string_view bytes);
  State state() const { return state_; }
  Failure failure() const { return failure_; }

  uint16_t request_id() const { return request_id_; }
  // FCGI_KEEP_CONN: the connection stays open after this request ends.
  bool keep_conn() const { return keep_conn_; }
  // Moved out by the caller once Ready.
  http::Params& params() { return params_; }
  std::string& body() { return body_; }

  // Forgets the request just read and parses what is already buffered.
  State next_request();
  // Bytes received and not yet parsed (a test's view, and a bound check).
  size_t buffered() const { return buffer_.size() - pos_; }

 private:
  State parse();
  State fail(Failure f);
  bool on_record(uint8_t type, uint16_t id, std::string_view content);
  bool decode_params();

  Limits limits_;
  State state_ = State::Reading;
  Failure failure_ = Failure::None;
  std::string buffer_;
  size_t pos_ = 0;
  bool begun_ = false;
  bool params_done_ = false;
  uint16_t request_id_ = 0;
  bool keep_conn_ = false;
  std::string raw_params_;
  http::Params params_;
  std::string body_;
};

}  // namespace palabre::hub
