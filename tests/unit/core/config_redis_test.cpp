// The Redis access settings (AUTH, Sentinel, WAIT) as config_from_env()
// reads them.
#include <stdlib.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace {

// Sets variables for one test and removes them after.
class Env {
 public:
  void set(const char* name, const std::string& value) {
    ::setenv(name, value.c_str(), 1);
    names_.push_back(name);
  }
  ~Env() {
    for (const char* n : names_) ::unsetenv(n);
  }

 private:
  std::vector<const char*> names_;
};

std::string secret_file(const std::string& text) {
  char path[] = "/tmp/plb-secret-XXXXXX";
  int fd = ::mkstemp(path);
  ::close(fd);
  std::ofstream(path) << text;
  return path;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config_redis)

BOOST_AUTO_TEST_CASE(the_password_comes_from_the_first_line_of_its_file) {
  std::string file = secret_file("s3cret pass\r\nignored\n");
  Env env;
  env.set("PALABRE_REDIS_PASSWORD_FILE", file);
  env.set("PALABRE_REDIS_USER", "palabre");
  palabre::Config c = palabre::config_from_env();
  BOOST_TEST(c.redis_password == "s3cret pass");
  BOOST_TEST(c.redis_user == "palabre");
  ::unlink(file.c_str());
}

BOOST_AUTO_TEST_CASE(a_missing_or_empty_password_file_is_refused_at_start) {
  std::string empty = secret_file("\n");
  {
    Env env;
    env.set("PALABRE_REDIS_PASSWORD_FILE", empty);
    BOOST_CHECK_THROW(palabre::config_from_env(), std::runtime_error);
  }
  {
    Env env;
    env.set("PALABRE_REDIS_PASSWORD_FILE", "/nonexistent/palabre-redis-password");
    BOOST_CHECK_THROW(palabre::config_from_env(), std::runtime_error);
  }
  {
    Env env;
    env.set("PALABRE_REDIS_USER", "palabre");  // a user needs a password
    BOOST_CHECK_THROW(palabre::config_from_env(), std::runtime_error);
  }
  ::unlink(empty.c_str());
}

BOOST_AUTO_TEST_CASE(sentinels_are_a_list_of_host_port_with_a_master_name) {
  Env env;
  env.set("PALABRE_REDIS_SENTINELS", "10.0.0.1:26379, sentinel-b:26380,[::1]:26381");
  env.set("PALABRE_REDIS_MASTER_NAME", "palabre");
  palabre::Config c = palabre::config_from_env();
  BOOST_TEST_REQUIRE(c.redis_sentinels.size() == 3u);
  BOOST_TEST(c.redis_sentinels[0].host == "10.0.0.1");
  BOOST_TEST(c.redis_sentinels[0].port == 26379);
  BOOST_TEST(c.redis_sentinels[1].host == "sentinel-b");
  BOOST_TEST(c.redis_sentinels[2].host == "::1");
  BOOST_TEST(c.redis_sentinels[2].port == 26381);
}

BOOST_AUTO_TEST_CASE(malformed_sentinel_settings_are_refused) {
  for (const char* bad :
       {"10.0.0.1", "10.0.0.1:0", "10.0.0.1:70000", ":26379", "a:1,,b:2", "host:26379x"}) {
    Env env;
    env.set("PALABRE_REDIS_SENTINELS", bad);
    env.set("PALABRE_REDIS_MASTER_NAME", "palabre");
    BOOST_CHECK_THROW(palabre::config_from_env(), std::runtime_error);
  }
  Env env;
  env.set("PALABRE_REDIS_SENTINELS", "10.0.0.1:26379");  // without a master name
  BOOST_CHECK_THROW(palabre::config_from_env(), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(the_wait_must_end_before_the_command_timeout) {
  Env env;
  env.set("PALABRE_REDIS_WAIT_REPLICAS", "1");
  env.set("PALABRE_REDIS_WAIT_TIMEOUT_MS", "2000");
  env.set("PALABRE_REDIS_TIMEOUT_MS", "2000");
  BOOST_CHECK_THROW(palabre::config_from_env(), std::runtime_error);
  env.set("PALABRE_REDIS_WAIT_TIMEOUT_MS", "500");
  palabre::Config c = palabre::config_from_env();
  BOOST_TEST(c.redis_wait_replicas == 1);
  BOOST_TEST(c.redis_wait_timeout_ms == 500);
}

BOOST_AUTO_TEST_SUITE_END()
