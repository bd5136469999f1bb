#include "core/config.hpp"

#include <boost/test/unit_test.hpp>

using palabre::stream_socket_for;

BOOST_AUTO_TEST_SUITE(config)

// nginx/render derives the same names; tests/support/cluster.js too.
BOOST_AUTO_TEST_CASE(the_stream_socket_sits_next_to_the_worker_socket) {
  BOOST_TEST(stream_socket_for("/run/palabre/worker-1.sock") == "/run/palabre/worker-1-streams.sock");
  BOOST_TEST(stream_socket_for("/run/palabre/fcgi") == "/run/palabre/fcgi-streams");
  BOOST_TEST(stream_socket_for("10.0.0.5:9000") == "10.0.0.5:9001");
  BOOST_TEST(stream_socket_for(":9000") == ":9001");
  BOOST_TEST(stream_socket_for("host:65535") == "");
  BOOST_TEST(stream_socket_for("") == "");
}

BOOST_AUTO_TEST_SUITE_END()
