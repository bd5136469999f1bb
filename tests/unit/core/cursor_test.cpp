#include "core/cursor.hpp"

#include <boost/test/unit_test.hpp>

using namespace palabre;

namespace {
StreamBounds bounds(StreamId first, StreamId last, bool trimmed = false) {
  return StreamBounds{"k3f9", first, last, trimmed};
}
Cursor at(std::string epoch, uint64_t ms, uint64_t seq = 0) { return Cursor{std::move(epoch), {ms, seq}}; }
}  // namespace

BOOST_AUTO_TEST_SUITE(cursor)

BOOST_AUTO_TEST_CASE(parses_epoch_cursors_bare_ids_and_nothing) {
  auto c = parse_cursor("k3f9.1763913600123-4");
  BOOST_REQUIRE(c);
  BOOST_TEST(c->epoch == "k3f9");
  BOOST_TEST(c->id.ms == 1763913600123u);
  BOOST_TEST(c->id.seq == 4u);
  auto bare = parse_cursor("1763913600123-4");
  BOOST_REQUIRE(bare);
  BOOST_TEST(bare->epoch.empty());
  BOOST_TEST(parse_cursor("")->id.ms == 0u);
  BOOST_TEST(parse_cursor("0")->id.ms == 0u);
  BOOST_TEST(format_cursor("k3f9", "1763913600123-4") == "k3f9.1763913600123-4");
}

BOOST_AUTO_TEST_CASE(refuses_malformed_cursors) {
  for (const char* bad : {".1-0", "K3F9.1-0", "k3f9.", "k3f9.x", "a.b.1-0", "k3 f9.1-0",
                          "abcdefghijklmnopqrstuvwxyz0123456.1-0", "1-0-0", "-1"}) {
    BOOST_TEST(!parse_cursor(bad), bad);
  }
}

BOOST_AUTO_TEST_CASE(a_cursor_inside_the_stream_resumes) {
  BOOST_TEST((resync_needed(at("k3f9", 150), bounds({100, 0}, {200, 0})) == Resync::None));
  BOOST_TEST((resync_needed(at("k3f9", 200), bounds({100, 0}, {200, 0})) == Resync::None));
  // Before the first entry of a stream that was never trimmed: nothing lost.
  BOOST_TEST((resync_needed(at("k3f9", 50), bounds({100, 0}, {200, 0})) == Resync::None));
  // Bare ids (clients from before epochs) are taken as the current epoch.
  BOOST_TEST((resync_needed(at("", 150), bounds({100, 0}, {200, 0})) == Resync::None));
  BOOST_TEST((resync_needed(at("", 0), bounds({100, 0}, {200, 0})) == Resync::None));
}

BOOST_AUTO_TEST_CASE(a_cursor_of_another_epoch_resets) {
  BOOST_TEST((resync_needed(at("old1", 150), bounds({100, 0}, {200, 0})) == Resync::Epoch));
  BOOST_TEST((resync_needed(at("old1", 0), bounds({}, {})) == Resync::Epoch));
}

BOOST_AUTO_TEST_CASE(a_cursor_newer_than_the_stream_resets) {
  BOOST_TEST((resync_needed(at("k3f9", 200, 1), bounds({100, 0}, {200, 0})) == Resync::Ahead));
  BOOST_TEST((resync_needed(at("", 5), bounds({}, {})) == Resync::Ahead));
}

BOOST_AUTO_TEST_CASE(a_cursor_before_trimmed_entries_resets) {
  BOOST_TEST((resync_needed(at("k3f9", 50), bounds({100, 0}, {200, 0}, true)) == Resync::Expired));
  // A new reader of a trimmed stream cannot start from the beginning either.
  BOOST_TEST((resync_needed(at("", 0), bounds({100, 0}, {200, 0}, true)) == Resync::Expired));
  BOOST_TEST((resync_needed(at("k3f9", 0), bounds({100, 0}, {200, 0}, true)) == Resync::Expired));
  BOOST_TEST(resync_reason(Resync::Expired) == "expired");
}

BOOST_AUTO_TEST_SUITE_END()
