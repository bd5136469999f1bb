// Every key of one debate must fall in one Redis Cluster slot, so that each
// script and multi-key command on them is legal there (no CROSSSLOT). The
// slot is computed as Redis does (cluster.c, keyHashSlot): CRC16-CCITT
// (XMODEM) of the hash tag, or of the whole key without one, mod 16384.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "redis/keys.hpp"

namespace keys = palabre::keys;

namespace {

uint16_t crc16_xmodem(std::string_view s) {
  uint16_t crc = 0;
  for (unsigned char c : s) {
    crc ^= static_cast<uint16_t>(c) << 8;
    for (int i = 0; i < 8; ++i) crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021) : crc << 1;
  }
  return crc;
}

// Redis's own rule, written from its documentation rather than from
// keys::hash_tag, so that a mistake in one shows in the other.
int slot_of(std::string_view key) {
  size_t open = key.find('{');
  if (open != std::string_view::npos) {
    size_t close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) key = key.substr(open + 1, close - open - 1);
  }
  return crc16_xmodem(key) % 16384;
}

std::vector<std::string> keys_of_debate(const std::string& ev) {
  const std::string q = "q_01HZX", visitor = "v_42", address = "a1b2c3", pid = "p_7";
  return {keys::public_stream(ev), keys::staff_stream(ev), keys::guest_stream(ev), keys::audit_stream(ev),
          keys::epoch(ev), keys::epoch_of_stream(keys::public_stream(ev)), keys::watchers(ev), keys::watchers_peak(ev),
          keys::timeline(ev), keys::event_phase(ev), keys::purged(ev), keys::supporters(ev, q), keys::poll(ev, pid),
          keys::poll_results(ev, pid), keys::poll_voters(ev, pid), keys::polls(ev), keys::frames_due(ev),
          keys::frame_lock(ev, "poll", pid), keys::frame_lock(ev, "support", q), keys::question(ev, q),
          keys::claim(ev, q), keys::pending_queue(ev), keys::guest_queue(ev), keys::guest_now(ev),
          keys::all_questions(ev), keys::visitor_questions(ev, visitor), keys::applied_once(ev, "d1gest"),
          keys::bans(ev), keys::controls(ev), keys::timeout(ev, visitor), keys::slow_mode(ev, visitor),
          keys::rate(ev, visitor), keys::join_rate(ev, address), keys::reminder_rate(ev, address),
          keys::question_rate_by_address(ev, address), keys::visitor_address(ev, visitor),
          keys::banned_address(ev, address), keys::visitor_session(ev, "5e55")};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(redis_keys_slot)

BOOST_AUTO_TEST_CASE(crc16_is_the_one_redis_uses) {
  // The check value of CRC-16/XMODEM, and slots Redis gives (CLUSTER KEYSLOT).
  BOOST_TEST(crc16_xmodem("123456789") == 0x31C3);
  BOOST_TEST(slot_of("foo") == 12182);
  BOOST_TEST(slot_of("{user1000}.following") == slot_of("{user1000}.followers"));
}

BOOST_AUTO_TEST_CASE(every_key_of_a_debate_is_in_its_slot) {
  for (const std::string ev : {"budget-2027", "a", "conseil-municipal-12-mars"}) {
    const int slot = slot_of(keys::public_stream(ev));
    BOOST_TEST(slot == static_cast<int>(crc16_xmodem(ev) % 16384));
    for (const auto& key : keys_of_debate(ev)) {
      BOOST_TEST_CONTEXT(key) {
        BOOST_TEST(slot_of(key) == slot);
        BOOST_TEST(keys::hash_tag(key) == ev);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(two_debates_may_be_in_two_slots) {
  BOOST_TEST(slot_of(keys::public_stream("budget-2027")) != slot_of(keys::public_stream("budget-2028")));
}

BOOST_AUTO_TEST_CASE(the_hash_tag_is_what_redis_hashes) {
  BOOST_TEST(keys::hash_tag("palabre:ev:{x}:pub") == "x");
  BOOST_TEST(keys::hash_tag("palabre:ops:streams") == "palabre:ops:streams");
  BOOST_TEST(keys::hash_tag("a{}b{c}") == "a{}b{c}");  // an empty tag: the whole key
  BOOST_TEST(keys::hash_tag("a{b") == "a{b");
}

BOOST_AUTO_TEST_CASE(the_parsers_follow_the_tag) {
  BOOST_TEST(keys::event_of_public_stream(keys::public_stream("budget")) == "budget");
  BOOST_TEST(keys::epoch_of_stream(keys::guest_stream("budget")) == keys::epoch("budget"));
}

BOOST_AUTO_TEST_SUITE_END()
