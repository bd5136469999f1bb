#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <set>
#include <string>

#include "admin/args.hpp"
#include "admin/routes.hpp"
#include "domain/permissions.hpp"

using namespace palabre;

BOOST_AUTO_TEST_SUITE(admin_routes)

BOOST_AUTO_TEST_CASE(prints_every_route_once_with_a_known_rule) {
  rapidjson::Document d;
  d.Parse(admin::routes_json().c_str());
  BOOST_REQUIRE(d.IsArray());
  BOOST_TEST(d.Size() >= 30u);
  std::set<std::string> seen;
  for (const auto& r : d.GetArray()) {
    BOOST_REQUIRE(r.IsObject());
    BOOST_REQUIRE(r.HasMember("method") && r.HasMember("path") && r.HasMember("access"));
    std::string key = std::string(r["method"].GetString()) + " " + r["path"].GetString();
    BOOST_TEST(seen.insert(key).second, key << " is listed once");
    BOOST_TEST(domain::access_from_name(r["access"].GetString()).has_value(), key);
  }
  BOOST_TEST(seen.count("POST /api/events/{id}/questions") == 1u);
}

BOOST_AUTO_TEST_CASE(is_a_command_without_options) {
  BOOST_TEST(admin::parse_args({"routes"}).command == "routes");
  BOOST_CHECK_THROW(admin::parse_args({"routes", "--login", "ada"}), admin::UsageError);
}

BOOST_AUTO_TEST_SUITE_END()
