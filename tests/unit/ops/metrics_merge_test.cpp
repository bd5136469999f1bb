#include <boost/test/unit_test.hpp>

#include "ops/metrics_merge.hpp"
#include "ops/stream_capacity.hpp"

using namespace palabre;

namespace {
const char* kOne =
    "# HELP palabre_sse_streams SSE streams open in this worker.\n"
    "# TYPE palabre_sse_streams gauge\n"
    "palabre_sse_streams 3\n"
    "# HELP palabre_http_requests_total Requests.\n"
    "# TYPE palabre_http_requests_total counter\n"
    "palabre_http_requests_total{route=\"GET /api/events/{id}\",status=\"2xx\"} 7\n";
const char* kTwo =
    "# HELP palabre_sse_streams SSE streams open in this worker.\n"
    "# TYPE palabre_sse_streams gauge\n"
    "palabre_sse_streams 5\n"
    "# HELP palabre_http_requests_total Requests.\n"
    "# TYPE palabre_http_requests_total counter\n"
    "palabre_http_requests_total{route=\"GET /api/events/{id}\",status=\"2xx\"} 1\n";

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_metrics_merge)

BOOST_AUTO_TEST_CASE(labels_every_sample_with_its_worker_and_writes_each_family_once) {
  std::string out = ops::merge_metrics({{"h:1", kOne}, {"h:2", kTwo}});
  BOOST_TEST(out ==
             "# HELP palabre_sse_streams SSE streams open in this worker.\n"
             "# TYPE palabre_sse_streams gauge\n"
             "palabre_sse_streams{worker=\"h:1\"} 3\n"
             "palabre_sse_streams{worker=\"h:2\"} 5\n"
             "# HELP palabre_http_requests_total Requests.\n"
             "# TYPE palabre_http_requests_total counter\n"
             "palabre_http_requests_total{worker=\"h:1\",route=\"GET /api/events/{id}\",status=\"2xx\"} 7\n"
             "palabre_http_requests_total{worker=\"h:2\",route=\"GET /api/events/{id}\",status=\"2xx\"} 1\n");
}

BOOST_AUTO_TEST_CASE(keeps_histogram_samples_with_their_family_and_escapes_the_label) {
  std::string hist =
      "# HELP palabre_x_seconds Latency.\n# TYPE palabre_x_seconds histogram\n"
      "palabre_x_seconds_bucket{le=\"0.1\"} 1\npalabre_x_seconds_sum 0.05\npalabre_x_seconds_count 1\n";
  std::string out = ops::merge_metrics({{"a\"b", hist}, {"c", hist}});
  BOOST_TEST(count(out, "# TYPE palabre_x_seconds histogram") == 1u);
  BOOST_TEST(out.find("palabre_x_seconds_bucket{worker=\"a\\\"b\",le=\"0.1\"} 1\n") != std::string::npos);
  BOOST_TEST(out.find("palabre_x_seconds_count{worker=\"c\"} 1\n") != std::string::npos);
  // Both workers' samples sit under the one header, before anything else.
  BOOST_TEST(out.rfind("palabre_x_seconds_count{worker=\"c\"}") > out.find("palabre_x_seconds_sum{worker=\"a"));
}

BOOST_AUTO_TEST_CASE(an_empty_or_comment_only_snapshot_adds_nothing) {
  BOOST_TEST(ops::merge_metrics({{"h:1", ""}, {"h:2", "# a comment\n\n"}}) == "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ops_stream_capacity)

BOOST_AUTO_TEST_CASE(warns_once_per_episode_from_90_percent_until_below_80) {
  ops::StreamCapacity c;
  using Change = ops::StreamCapacity::Change;
  BOOST_TEST((c.update(1000) == Change::none));  // capacity not known yet: nothing checked
  c.note_from_nginx("100");
  BOOST_TEST(c.capacity() == 100);
  BOOST_TEST((c.update(89) == Change::none));
  BOOST_TEST((c.update(90) == Change::started));
  BOOST_TEST(c.warning());
  BOOST_TEST((c.update(95) == Change::none));
  BOOST_TEST((c.update(85) == Change::none));  // between the thresholds: still the same episode
  BOOST_TEST((c.update(79) == Change::ended));
  BOOST_TEST(!c.warning());
  BOOST_TEST((c.update(92) == Change::started));
  BOOST_TEST(c.episodes_total() == 2u);
}

BOOST_AUTO_TEST_CASE(ignores_a_param_that_is_not_a_positive_number) {
  ops::StreamCapacity c;
  for (const char* bad : {"", "-5", "0", "12x", "x"}) c.note_from_nginx(bad);
  BOOST_TEST(c.capacity() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
