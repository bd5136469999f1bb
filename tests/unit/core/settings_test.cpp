#include "core/settings.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdlib>

#include "core/command_line.hpp"
#include "core/config.hpp"

using namespace palabre;

namespace {
// The message reject_unknown throws, or "" when it accepts.
std::string rejection(const Settings& s) {
  try {
    s.reject_unknown();
    return "";
  } catch (const std::runtime_error& e) {
    return e.what();
  }
}

// Unsets a variable for one test, restoring it after.
struct ScopedEnv {
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (had_)
      ::setenv(name_, old_.c_str(), 1);
    else
      ::unsetenv(name_);
  }
  const char* name_;
  std::string old_;
  bool had_ = false;
};
}  // namespace

BOOST_AUTO_TEST_SUITE(settings)

BOOST_AUTO_TEST_CASE(a_file_gives_every_setting_by_its_environment_name) {
  ScopedEnv host("PALABRE_REDIS_HOST", nullptr), port("PALABRE_REDIS_PORT", nullptr);
  Settings s;
  s.add_text("# Palabre\n\nPALABRE_REDIS_HOST = redis.ville.example\nPALABRE_REDIS_PORT=6380\r\n"
             "PALABRE_PUBLIC_URL=\"https://ville.example/palabre/\"\n",
             "palabre.conf");
  Config c = config_from(s);
  BOOST_TEST(c.redis_host == "redis.ville.example");
  BOOST_TEST(c.redis_port == 6380);
  BOOST_TEST(c.public_url == "https://ville.example/palabre/");
  BOOST_TEST(rejection(s) == "");
}

BOOST_AUTO_TEST_CASE(the_environment_wins_over_the_files_and_a_later_file_over_an_earlier) {
  ScopedEnv port("PALABRE_REDIS_PORT", "7000");
  Settings s = Settings::from_environment();
  s.add_text("PALABRE_REDIS_PORT=6380\nPALABRE_REDIS_DB=2\n", "a.conf");
  s.add_text("PALABRE_REDIS_DB=3\n", "b.conf");
  Config c = config_from(s);
  BOOST_TEST(c.redis_port == 7000);
  BOOST_TEST(c.redis_db == 3);
}

BOOST_AUTO_TEST_CASE(a_misspelled_name_is_refused_with_where_it_was_and_the_closest_name) {
  Settings s;
  s.add_text("PALABRE_REDIS_HOST=127.0.0.1\nPALABRE_REDIS_PROT=6380\n", "/etc/palabre/palabre.conf");
  config_from(s);
  std::string message = rejection(s);
  BOOST_TEST(message.find("/etc/palabre/palabre.conf:2: unknown setting PALABRE_REDIS_PROT") != std::string::npos,
             message);
  BOOST_TEST(message.find("did you mean PALABRE_REDIS_PORT?") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(an_unknown_name_in_the_environment_is_refused_but_not_the_tools_own) {
  ScopedEnv typo("PALABRE_LOG_LEVLE", "debug"), tool("PALABRE_RUN_DIR", "/tmp/run"),
      test("PALABRE_TEST_LOGS", "1");
  Settings s = Settings::from_environment();
  config_from(s);
  std::string message = rejection(s);
  BOOST_TEST(message.find("environment: unknown setting PALABRE_LOG_LEVLE (did you mean PALABRE_LOG_LEVEL?)") !=
                 std::string::npos,
             message);
  BOOST_TEST(message.find("PALABRE_RUN_DIR") == std::string::npos, message);
  BOOST_TEST(message.find("PALABRE_TEST_LOGS") == std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(lines_that_are_not_settings_are_refused_with_their_line) {
  Settings s;
  BOOST_CHECK_EXCEPTION(s.add_text("PALABRE_REDIS_HOST=a\nredis_host: b\n", "x.conf"), std::runtime_error,
                        [](const std::runtime_error& e) {
                          return std::string(e.what()).find("x.conf:2: expected NAME=value") != std::string::npos;
                        });
  BOOST_CHECK_THROW(s.add_text("REDIS_HOST=b\n", "x.conf"), std::runtime_error);
  BOOST_CHECK_THROW(s.add_text("palabre_redis_host=b\n", "x.conf"), std::runtime_error);
  BOOST_CHECK_THROW(s.add_file("/nonexistent/palabre.conf"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(a_bad_value_in_a_file_is_an_error_like_in_the_environment) {
  Settings s;
  s.add_text("PALABRE_REDIS_PORT=seventy\n", "x.conf");
  BOOST_CHECK_THROW(config_from(s), std::runtime_error);
  Settings level;
  level.add_text("PALABRE_LOG_LEVEL=loud\n", "x.conf");
  BOOST_CHECK_THROW(config_from(level), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(a_reload_tells_which_names_changed) {
  Settings before, after;
  before.add_text("PALABRE_LOG_LEVEL=info\nPALABRE_REDIS_DB=1\nPALABRE_RETENTION_DAYS=30\n", "a");
  after.add_text("PALABRE_LOG_LEVEL=debug\nPALABRE_RETENTION_DAYS=30\nPALABRE_PURGE_INTERVAL_S=5\n", "a");
  auto changed = changed_settings(before.values(), after.values());
  std::vector<std::string> expected = {"PALABRE_LOG_LEVEL", "PALABRE_PURGE_INTERVAL_S", "PALABRE_REDIS_DB"};
  BOOST_TEST(changed == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_worker_takes_config_files_version_and_help) {
  WorkerArgs a = parse_worker_args({"--config", "/etc/palabre/palabre.conf", "--config=/etc/palabre/secrets.conf"});
  std::vector<std::string> files = {"/etc/palabre/palabre.conf", "/etc/palabre/secrets.conf"};
  BOOST_TEST(a.config_files == files, boost::test_tools::per_element());
  BOOST_TEST(parse_worker_args({"--version"}).version);
  BOOST_TEST(parse_worker_args({"-h"}).help);
  BOOST_CHECK_THROW(parse_worker_args({"--config"}), CommandLineError);
  BOOST_CHECK_THROW(parse_worker_args({"--config="}), CommandLineError);
  BOOST_CHECK_THROW(parse_worker_args({"--confg", "x"}), CommandLineError);
  BOOST_TEST(version_line("palabre-worker").rfind("palabre-worker 0.", 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
