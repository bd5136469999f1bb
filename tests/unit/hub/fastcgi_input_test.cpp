#include "hub/fastcgi_input.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <utility>
#include <vector>

using namespace palabre::hub;
using State = FastcgiInput::State;
using Failure = FastcgiInput::Failure;

namespace {

std::string record(uint8_t type, uint16_t id, const std::string& content, uint8_t padding = 0) {
  std::string r;
  r.push_back(1);
  r.push_back(static_cast<char>(type));
  r.push_back(static_cast<char>(id >> 8));
  r.push_back(static_cast<char>(id & 0xff));
  r.push_back(static_cast<char>(content.size() >> 8));
  r.push_back(static_cast<char>(content.size() & 0xff));
  r.push_back(static_cast<char>(padding));
  r.push_back(0);
  r += content;
  r.append(padding, '\0');
  return r;
}

std::string begin(uint16_t id, bool keep_conn, uint16_t role = 1) {
  std::string body = {static_cast<char>(role >> 8), static_cast<char>(role & 0xff),
                      static_cast<char>(keep_conn ? 1 : 0), 0, 0, 0, 0, 0};
  return record(1, id, body);
}

std::string length(size_t n) {
  if (n < 128) return std::string(1, static_cast<char>(n));
  return {static_cast<char>(0x80 | (n >> 24)), static_cast<char>((n >> 16) & 0xff),
          static_cast<char>((n >> 8) & 0xff), static_cast<char>(n & 0xff)};
}

std::string pairs(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string out;
  for (const auto& [k, v] : kv) out += length(k.size()) + length(v.size()) + k + v;
  return out;
}

// What nginx sends for a GET: BEGIN, PARAMS (maybe several), empty PARAMS, empty STDIN.
std::string get_request(uint16_t id, bool keep_conn, const std::string& uri) {
  std::string p = pairs({{"REQUEST_METHOD", "GET"}, {"DOCUMENT_URI", uri}, {"HTTP_COOKIE", std::string(300, 'c')}});
  return begin(id, keep_conn) + record(4, id, p.substr(0, 10), 6) + record(4, id, p.substr(10)) + record(4, id, "") +
         record(5, id, "");
}

FastcgiInput::Limits small() { return FastcgiInput::Limits{1024, 64}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(fastcgi_input)

BOOST_AUTO_TEST_CASE(reads_a_get_as_nginx_sends_it_byte_by_byte) {
  FastcgiInput in(small());
  std::string wire = get_request(1, true, "/api/events/e1/poll");
  for (size_t i = 0; i + 1 < wire.size(); ++i) BOOST_TEST((in.feed(wire.substr(i, 1)) == State::Reading));
  BOOST_TEST((in.feed(wire.substr(wire.size() - 1)) == State::Ready));
  BOOST_TEST(in.request_id() == 1);
  BOOST_TEST(in.keep_conn());
  BOOST_TEST(in.params()["REQUEST_METHOD"] == "GET");
  BOOST_TEST(in.params()["DOCUMENT_URI"] == "/api/events/e1/poll");
  BOOST_TEST(in.params()["HTTP_COOKIE"].size() == 300u);  // a four-byte length
  BOOST_TEST(in.body().empty());
}

BOOST_AUTO_TEST_CASE(keeps_the_next_request_on_a_kept_connection_for_later) {
  FastcgiInput in(small());
  BOOST_TEST((in.feed(get_request(1, true, "/a") + get_request(1, true, "/b").substr(0, 12)) == State::Ready));
  BOOST_TEST(in.params()["DOCUMENT_URI"] == "/a");
  BOOST_TEST((in.next_request() == State::Reading));
  BOOST_TEST((in.feed(get_request(1, true, "/b").substr(12)) == State::Ready));
  BOOST_TEST(in.params()["DOCUMENT_URI"] == "/b");
  BOOST_TEST(in.params().count("HTTP_COOKIE") == 1u);
}

BOOST_AUTO_TEST_CASE(reads_a_body_and_refuses_one_over_the_limit) {
  FastcgiInput in(small());
  std::string head = begin(1, false) + record(4, 1, pairs({{"REQUEST_METHOD", "POST"}})) + record(4, 1, "");
  BOOST_TEST((in.feed(head + record(5, 1, "{\"a\":1}") + record(5, 1, "")) == State::Ready));
  BOOST_TEST(in.body() == "{\"a\":1}");
  BOOST_TEST(!in.keep_conn());

  FastcgiInput big(small());
  BOOST_TEST((big.feed(head + record(5, 1, std::string(65, 'x'))) == State::Failed));
  BOOST_TEST((big.failure() == Failure::BodyTooLarge));
  BOOST_TEST(big.request_id() == 1);
}

BOOST_AUTO_TEST_CASE(refuses_params_over_the_limit_before_holding_them) {
  FastcgiInput in(small());
  std::string p = pairs({{"HTTP_COOKIE", std::string(2000, 'x')}});
  BOOST_TEST((in.feed(begin(1, true) + record(4, 1, p)) == State::Failed));
  BOOST_TEST((in.failure() == Failure::ParamsTooLarge));
}

BOOST_AUTO_TEST_CASE(refuses_what_is_not_fastcgi_from_nginx) {
  {
    FastcgiInput in(small());
    BOOST_TEST((in.feed("GET / HTTP/1.1\r\n\r\n") == State::Failed));  // version byte 'G'
    BOOST_TEST((in.failure() == Failure::Protocol));
  }
  {
    FastcgiInput in(small());  // another role than RESPONDER
    BOOST_TEST((in.feed(begin(1, false, 2)) == State::Failed));
  }
  {
    FastcgiInput in(small());  // params before BEGIN_REQUEST
    BOOST_TEST((in.feed(record(4, 1, pairs({{"A", "b"}}))) == State::Failed));
  }
  {
    FastcgiInput in(small());  // a second request multiplexed on the connection
    BOOST_TEST((in.feed(begin(1, true) + begin(2, true)) == State::Failed));
  }
  {
    FastcgiInput in(small());  // a pair whose length runs past the record
    BOOST_TEST((in.feed(begin(1, true) + record(4, 1, "\x05\x05" "abc") + record(4, 1, "")) == State::Failed));
  }
  {
    FastcgiInput in(small());  // STDIN before the params ended
    BOOST_TEST((in.feed(begin(1, true) + record(5, 1, "x")) == State::Failed));
  }
  {
    FastcgiInput in(small());  // nginx gave up on the request
    BOOST_TEST((in.feed(begin(1, true) + record(2, 1, "")) == State::Failed));
  }
}

BOOST_AUTO_TEST_CASE(ignores_management_records) {
  FastcgiInput in(small());
  BOOST_TEST((in.feed(record(9, 0, pairs({{"FCGI_MAX_CONNS", ""}})) + get_request(1, false, "/x")) == State::Ready));
  BOOST_TEST(in.params()["DOCUMENT_URI"] == "/x");
}

BOOST_AUTO_TEST_SUITE_END()
