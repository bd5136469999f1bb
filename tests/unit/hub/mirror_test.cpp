#include "hub/mirror.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using namespace palabre::hub;
using palabre::StreamId;
using palabre::parse_stream_id;

namespace {

// Owns the texts that a redis::EntryView points to.
struct E {
  std::string id;
  std::string type = "message";
  std::string data = "{}";
  palabre::redis::EntryView raw() const { return palabre::redis::EntryView{*parse_stream_id(id), id, type, data}; }
};

StreamId sid(const char* s) { return *parse_stream_id(s); }

std::vector<std::string> ids(const Mirror& m) {
  std::vector<std::string> out;
  for (uint64_t s = m.begin_seq(); s < m.end_seq(); ++s) out.push_back(m.at(s).cursor);
  return out;
}

// Loads `entries` in one final page.
void load(Mirror& m, std::initializer_list<E> entries, uint64_t token = 1) {
  m.begin_load(token);
  for (const E& e : entries) m.load_entry(e.raw());
  BOOST_TEST_REQUIRE(!m.page_done(entries.size(), 1000).has_value());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mirror)

BOOST_AUTO_TEST_CASE(first_load_reads_from_the_start_and_later_loads_after_the_last_id) {
  Mirror m("k", 100);
  BOOST_TEST(m.needs_load());
  BOOST_TEST(m.begin_load(1) == "-");
  m.load_entry(E{"1-0"}.raw());
  m.load_entry(E{"2-0"}.raw());
  BOOST_TEST(!m.page_done(2, 1000).has_value());
  BOOST_TEST(!m.needs_load());
  BOOST_TEST((m.phase() == Mirror::Phase::Ready));
  m.mark_stale();
  BOOST_TEST(m.needs_load());
  BOOST_TEST(m.begin_load(2) == "(2-0");
}

BOOST_AUTO_TEST_CASE(a_full_page_asks_for_the_next_one_from_the_last_id) {
  Mirror m("k", 100);
  m.begin_load(1);
  m.load_entry(E{"1-0"}.raw());
  m.load_entry(E{"1-1"}.raw());
  auto next = m.page_done(2, 2);
  BOOST_TEST_REQUIRE(next.has_value());
  BOOST_TEST(*next == "(1-1");
  BOOST_TEST(m.loading());
  m.load_entry(E{"3-0"}.raw());
  BOOST_TEST(!m.page_done(1, 2).has_value());
  BOOST_TEST((ids(m) == std::vector<std::string>{"1-0", "1-1", "3-0"}));
}

BOOST_AUTO_TEST_CASE(live_messages_during_a_load_are_buffered_then_applied_if_newer) {
  Mirror m("k", 100);
  m.begin_load(1);
  // Published before the XRANGE ran (so also in the page), and after it.
  BOOST_TEST((m.on_live(E{"2-0"}.raw(), sid("1-0")) == Mirror::Live::Buffered));
  BOOST_TEST((m.on_live(E{"3-0"}.raw(), sid("2-0")) == Mirror::Live::Buffered));
  m.load_entry(E{"1-0"}.raw());
  m.load_entry(E{"2-0"}.raw());
  BOOST_TEST(!m.page_done(2, 1000).has_value());
  BOOST_TEST((ids(m) == std::vector<std::string>{"1-0", "2-0", "3-0"}));
  BOOST_TEST(!m.needs_load());
}

// Two publishers on two workers: 3-0 was written after 2-0, but its wake-up
// came first, during a load whose page was read before either was written.
BOOST_AUTO_TEST_CASE(a_wake_up_that_overtakes_an_older_one_during_a_load_is_not_appended_past_it) {
  Mirror m("k", 100);
  load(m, {E{"1-0"}});
  m.mark_stale();
  BOOST_TEST(m.begin_load(2) == "(1-0");
  BOOST_TEST((m.on_live(E{"3-0"}.raw(), sid("2-0")) == Mirror::Live::Buffered));
  BOOST_TEST(!m.page_done(0, 1000).has_value());
  BOOST_TEST((ids(m) == std::vector<std::string>{"1-0"}));
  BOOST_TEST(m.needs_load());
  // 2-0's own wake-up, late: it follows what we hold, not a duplicate.
  BOOST_TEST((m.on_live(E{"2-0"}.raw(), sid("1-0")) == Mirror::Live::Appended));
  BOOST_TEST(m.needs_load());
  BOOST_TEST(m.begin_load(3) == "(2-0");
  m.load_entry(E{"3-0"}.raw());
  BOOST_TEST(!m.page_done(1, 1000).has_value());
  BOOST_TEST((ids(m) == std::vector<std::string>{"1-0", "2-0", "3-0"}));
  BOOST_TEST(!m.needs_load());
}

BOOST_AUTO_TEST_CASE(wake_ups_buffered_out_of_order_are_applied_in_id_order) {
  Mirror m("k", 100);
  m.begin_load(1);
  BOOST_TEST((m.on_live(E{"3-0"}.raw(), sid("2-0")) == Mirror::Live::Buffered));
  BOOST_TEST((m.on_live(E{"2-0"}.raw(), sid("1-0")) == Mirror::Live::Buffered));
  m.load_entry(E{"1-0"}.raw());
  BOOST_TEST(!m.page_done(1, 1000).has_value());
  BOOST_TEST((ids(m) == std::vector<std::string>{"1-0", "2-0", "3-0"}));
  BOOST_TEST(!m.needs_load());
}

BOOST_AUTO_TEST_CASE(live_message_following_the_last_id_is_appended) {
  Mirror m("k", 100);
  load(m, {E{"1-0"}});
  BOOST_TEST((m.on_live(E{"2-0"}.raw(), sid("1-0")) == Mirror::Live::Appended));
  BOOST_TEST((m.last_id() == sid("2-0")));
  BOOST_TEST(m.at(m.end_seq() - 1).sse->content_size() > 0u);
}

BOOST_AUTO_TEST_CASE(first_message_of_an_empty_stream_follows_zero) {
  Mirror m("k", 100);
  load(m, {});
  BOOST_TEST((m.on_live(E{"5-0"}.raw(), sid("0-0")) == Mirror::Live::Appended));
}

BOOST_AUTO_TEST_CASE(a_message_already_held_is_a_duplicate) {
  Mirror m("k", 100);
  load(m, {E{"1-0"}, E{"2-0"}});
  BOOST_TEST((m.on_live(E{"2-0"}.raw(), sid("1-0")) == Mirror::Live::Duplicate));
  BOOST_TEST(m.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_missed_message_is_a_gap_that_reloads_from_the_last_id) {
  Mirror m("k", 100);
  load(m, {E{"1-0"}});
  // 2-0 was missed; 3-0 names it as prev.
  BOOST_TEST((m.on_live(E{"3-0"}.raw(), sid("2-0")) == Mirror::Live::GapNeedsReload));
  BOOST_TEST(m.needs_load());
  BOOST_TEST(m.size() == 1u);
  // A message following 3-0 must wait behind it, not be appended after 1-0.
  BOOST_TEST((m.on_live(E{"4-0"}.raw(), sid("3-0")) != Mirror::Live::Appended));
  BOOST_TEST(m.begin_load(2) == "(1-0");
  m.load_entry(E{"2-0"}.raw());
  m.load_entry(E{"3-0"}.raw());
  BOOST_TEST(!m.page_done(2, 1000).has_value());
  BOOST_TEST((ids(m) == std::vector<std::string>{"1-0", "2-0", "3-0", "4-0"}));
  BOOST_TEST(!m.needs_load());
  BOOST_TEST((m.on_live(E{"5-0"}.raw(), sid("4-0")) == Mirror::Live::Appended));
}

BOOST_AUTO_TEST_CASE(a_failed_load_is_asked_for_again) {
  Mirror m("k", 100);
  m.begin_load(1);
  m.load_failed();
  BOOST_TEST((m.phase() == Mirror::Phase::Unloaded));
  BOOST_TEST(m.needs_load());
  BOOST_TEST(m.begin_load(2) == "-");
  load(m, {E{"1-0"}}, 3);
  m.begin_load(4);
  m.load_failed();
  BOOST_TEST((m.phase() == Mirror::Phase::Ready));
  BOOST_TEST(m.needs_load());
}

BOOST_AUTO_TEST_CASE(resubscribing_during_a_load_loads_once_more_after_it) {
  Mirror m("k", 100);
  m.begin_load(1);
  m.mark_stale();
  m.load_entry(E{"1-0"}.raw());
  BOOST_TEST(!m.page_done(1, 1000).has_value());
  BOOST_TEST(m.needs_load());
}

BOOST_AUTO_TEST_CASE(buffer_overflow_drops_the_buffer_and_asks_for_a_reload) {
  Mirror m("k", 100);
  m.begin_load(1);
  std::vector<E> many;
  for (size_t i = 0; i <= Mirror::kMaxBuffered; ++i)
    many.push_back(E{std::to_string(i + 10) + "-0"});
  for (size_t i = 0; i <= Mirror::kMaxBuffered; ++i) m.on_live(many[i].raw(), sid("0-0"));
  BOOST_TEST(!m.page_done(0, 1000).has_value());
  BOOST_TEST(m.needs_load());
}

BOOST_AUTO_TEST_CASE(keeps_at_most_max_entries_and_sequence_numbers_survive_trimming) {
  Mirror m("k", 3);
  load(m, {E{"1-0"}, E{"2-0"}, E{"3-0"}, E{"4-0"}});
  BOOST_TEST((ids(m) == std::vector<std::string>{"2-0", "3-0", "4-0"}));
  BOOST_TEST(m.begin_seq() == 1u);
  BOOST_TEST(m.end_seq() == 4u);
  BOOST_TEST((m.last_id() == sid("4-0")));
  BOOST_TEST((m.on_live(E{"5-0"}.raw(), sid("4-0")) == Mirror::Live::Appended));
  BOOST_TEST(m.at(4).cursor == "5-0");
}

BOOST_AUTO_TEST_CASE(seq_after_finds_the_first_entry_newer_than_a_cursor) {
  Mirror m("k", 100);
  load(m, {E{"1-0"}, E{"1-5"}, E{"3-0"}});
  BOOST_TEST(m.seq_after(sid("0")) == 0u);
  BOOST_TEST(m.seq_after(sid("1-0")) == 1u);
  BOOST_TEST(m.seq_after(sid("1-3")) == 1u);
  BOOST_TEST(m.seq_after(sid("1-5")) == 2u);
  BOOST_TEST(m.seq_after(sid("9-0")) == 3u);  // a cursor newer than the mirror waits at the end
}

BOOST_AUTO_TEST_CASE(entries_without_a_type_are_skipped_but_count_as_last_id) {
  Mirror m("k", 100);
  m.begin_load(1);
  m.load_entry(E{"1-0"}.raw());
  m.load_entry(E{"2-0", "", ""}.raw());
  BOOST_TEST(!m.page_done(2, 1000).has_value());
  BOOST_TEST(m.size() == 1u);
  BOOST_TEST((m.on_live(E{"3-0"}.raw(), sid("2-0")) == Mirror::Live::Appended));
}

BOOST_AUTO_TEST_CASE(each_entry_carries_its_sse_frame) {
  Mirror m("k", 100);
  load(m, {E{"1-0", "phase", R"({"phase":"live"})"}});
  std::string expected = "id: 1-0\nevent: phase\ndata: {\"phase\":\"live\"}\n\n";
  BOOST_TEST(m.at(0).sse->padded().substr(0, expected.size()) == expected);
  BOOST_TEST(m.at(0).sse->content_size() == expected.size());
}

BOOST_AUTO_TEST_CASE(holds_all_after_only_cursors_inside_a_complete_copy) {
  Mirror m("k", 3);
  BOOST_TEST(!m.holds_all_after(StreamId{}));  // not loaded yet
  load(m, {E{"1-0"}, E{"2-0"}, E{"3-0"}, E{"4-0"}});  // capped: 2-0, 3-0, 4-0 kept
  BOOST_TEST(m.holds_all_after(sid("4-0")));           // the last id: nothing after it
  BOOST_TEST(m.holds_all_after(sid("2-0")));           // the first entry kept
  BOOST_TEST(m.holds_all_after(sid("3-5")));           // between two entries
  BOOST_TEST(!m.holds_all_after(sid("1-0")));          // 2-0's predecessor may be missing
  BOOST_TEST(!m.holds_all_after(sid("5-0")));          // newer than the copy: ask Redis
  m.mark_stale();
  BOOST_TEST(!m.holds_all_after(sid("4-0")));          // something may have been missed
}

BOOST_AUTO_TEST_CASE(an_empty_stream_holds_all_after_its_start_only) {
  Mirror m("k", 3);
  load(m, {});
  BOOST_TEST(m.holds_all_after(StreamId{}));
  BOOST_TEST(!m.holds_all_after(sid("1-0")));
}

BOOST_AUTO_TEST_CASE(holds_the_whole_history_only_of_an_untrimmed_stream_well_under_the_cap) {
  {
    Mirror m("k", 10);
    m.begin_load(1);
    m.note_untrimmed(1);
    m.load_entry(E{"1-0"}.raw());
    BOOST_TEST(!m.holds_whole_history());  // still loading
    BOOST_TEST(!m.page_done(1, 1000).has_value());
    BOOST_TEST(m.holds_whole_history());
    m.mark_stale();
    BOOST_TEST(!m.holds_whole_history());
  }
  {
    Mirror m("k", 10);  // XINFO said it was trimmed (or never answered)
    load(m, {E{"1-0"}});
    BOOST_TEST(!m.holds_whole_history());
  }
  {
    Mirror m("k", 10);
    m.begin_load(1);
    m.note_untrimmed(2);  // another load's answer
    BOOST_TEST(!m.page_done(0, 1000).has_value());
    BOOST_TEST(!m.holds_whole_history());
  }
  {
    Mirror m("k", 3);  // untrimmed, but as long as our cap: a trim may race the XRANGE
    m.begin_load(1);
    m.note_untrimmed(1);
    m.load_entry(E{"1-0"}.raw());
    m.load_entry(E{"2-0"}.raw());
    m.load_entry(E{"3-0"}.raw());
    BOOST_TEST(!m.page_done(3, 1000).has_value());
    BOOST_TEST(!m.holds_whole_history());
  }
  {
    Mirror m("k", 3);  // the cap drops the first entry later
    m.begin_load(1);
    m.note_untrimmed(1);
    m.load_entry(E{"1-0"}.raw());
    BOOST_TEST(!m.page_done(1, 1000).has_value());
    BOOST_TEST(m.holds_whole_history());
    BOOST_TEST((m.on_live(E{"2-0"}.raw(), sid("1-0")) == Mirror::Live::Appended));
    BOOST_TEST((m.on_live(E{"3-0"}.raw(), sid("2-0")) == Mirror::Live::Appended));
    BOOST_TEST((m.on_live(E{"4-0"}.raw(), sid("3-0")) == Mirror::Live::Appended));
    BOOST_TEST(!m.holds_whole_history());
  }
}

BOOST_AUTO_TEST_SUITE_END()
