#include <boost/test/unit_test.hpp>

#include "core/error.hpp"
#include "http/json.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

using namespace palabre;

namespace {
http::Request parse(std::vector<std::string> env, const char* prefix = "/") {
  std::vector<char*> ptrs;
  for (auto& e : env) ptrs.push_back(e.data());
  ptrs.push_back(nullptr);
  return http::parse_params(ptrs.data(), prefix);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(http_request)

BOOST_AUTO_TEST_CASE(strips_the_mount_point_from_the_path) {
  auto r = parse({"REQUEST_METHOD=GET", "DOCUMENT_URI=/palabre/api/events", "PALABRE_PREFIX=/palabre/",
                  "SERVER_NAME=ville.example", "SERVER_PORT=80"});
  BOOST_TEST(r.path == "/api/events");
  BOOST_TEST(r.base_url() == "http://ville.example/palabre/");
}

BOOST_AUTO_TEST_CASE(absolute_urls_never_come_from_client_headers) {
  std::vector<std::string> env = {"REQUEST_METHOD=GET", "DOCUMENT_URI=/api/events/x", "SERVER_NAME=ville.example",
                                  "SERVER_PORT=8443", "HTTPS=on", "HTTP_HOST=evil.test",
                                  "HTTP_X_FORWARDED_PROTO=http", "HTTP_X_FORWARDED_HOST=evil.test"};
  BOOST_TEST(parse(env).base_url() == "https://ville.example:8443/");
  std::vector<char*> ptrs;
  for (auto& e : env) ptrs.push_back(e.data());
  ptrs.push_back(nullptr);
  auto configured = http::parse_params(ptrs.data(), "/palabre/", "https://www.ville.example/palabre/");
  BOOST_TEST(configured.base_url() == "https://www.ville.example/palabre/");
  BOOST_TEST(configured.origin() == "https://www.ville.example");
}

BOOST_AUTO_TEST_CASE(reads_cookies_headers_and_query) {
  auto r = parse({"REQUEST_METHOD=GET", "DOCUMENT_URI=/x", "HTTP_COOKIE=a=1; palabre_v=tok; b=2",
                  "HTTP_LAST_EVENT_ID=5-0", "QUERY_STRING=after=12-3&x=%C3%A9+b"});
  BOOST_TEST(*r.cookie("palabre_v") == "tok");
  BOOST_TEST(!r.cookie("missing").has_value());
  BOOST_TEST(r.cookies("palabre_v").size() == 1u);
  BOOST_TEST(r.cookies("missing").empty());
  BOOST_TEST(*r.header("Last-Event-ID") == "5-0");
  BOOST_TEST(*r.query_param("after") == "12-3");
  BOOST_TEST(*r.query_param("x") == "é b");
}

BOOST_AUTO_TEST_CASE(a_browser_in_two_debates_sends_every_cookie_of_a_name) {
  auto r = parse({"REQUEST_METHOD=GET", "DOCUMENT_URI=/x",
                  "HTTP_COOKIE=palabre_v=scoped; palabre_s=staff; palabre_v=legacy"});
  auto all = r.cookies("palabre_v");
  BOOST_TEST(all.size() == 2u);
  BOOST_TEST(all.at(0) == "scoped");
  BOOST_TEST(all.at(1) == "legacy");
  BOOST_TEST(*r.cookie("palabre_v") == "scoped");
}

BOOST_AUTO_TEST_CASE(router_extracts_parameters_and_tells_wrong_methods) {
  http::Router<int, char> router;
  router.add("GET", "/api/events/{id}", 'p', 1);
  router.add("POST", "/api/events/{id}/questions/{qid}/{action}", 'm', 2);
  auto m = router.match("POST", "/api/events/budget/questions/q_1/publish");
  BOOST_REQUIRE(m.route);
  BOOST_TEST(m.route->handler == 2);
  BOOST_TEST(m.route->access == 'm');
  BOOST_TEST(m.params.at("action") == "publish");
  auto wrong = router.match("DELETE", "/api/events/budget");
  BOOST_TEST(!wrong.route);
  BOOST_TEST(wrong.wrong_method);
  BOOST_TEST(!router.match("GET", "/api/nothing").wrong_method);
}

BOOST_AUTO_TEST_CASE(errors_become_the_json_of_the_contract) {
  Error e(Code::rate_limited, "Too fast.");
  e.retry_after = 12;
  http::Response r = http::error_response(e);
  BOOST_TEST(r.status == 429);
  BOOST_TEST(r.body == R"({"error":{"code":"rate_limited","message":"Too fast."}})");
  BOOST_TEST(r.headers.at(0).first == "Retry-After");
  BOOST_TEST(r.headers.at(0).second == "12");
}

BOOST_AUTO_TEST_CASE(json_bodies_must_be_utf8_objects) {
  BOOST_CHECK_THROW(http::parse_object("{\"text\":\"\xff\"}"), Error);
  BOOST_CHECK_THROW(http::parse_object("[1]"), Error);
  BOOST_CHECK_THROW(http::parse_object("{"), Error);
  auto d = http::parse_object(R"({"n":1})");
  BOOST_CHECK_THROW(http::get_string(d, "n"), Error);
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_refused_before_parsing) {
  BOOST_TEST(http::nesting_within(R"({"a":[{"b":[]}]})", 4));
  BOOST_TEST(!http::nesting_within(R"({"a":[{"b":[]}]})", 3));
  // Brackets inside strings, escaped quotes included, do not count.
  BOOST_TEST(http::nesting_within(R"({"t":"[[[[\"[[[["})", 1));
  std::string deep(130000, '[');
  BOOST_TEST(!http::nesting_within(deep, http::kMaxJsonDepth));
  try {
    http::parse_object(deep);
    BOOST_FAIL("a 130,000-deep body was parsed");
  } catch (const Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(Code::invalid_json));
  }
  std::string ok = std::string(http::kMaxJsonDepth - 1, '[') + std::string(http::kMaxJsonDepth - 1, ']');
  BOOST_CHECK_NO_THROW(http::parse_object("{\"a\":" + ok + "}"));
}

BOOST_AUTO_TEST_SUITE_END()
