#include "redis/stream_entry.hpp"

#include <boost/test/unit_test.hpp>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

using namespace palabre;
using palabre::redis::xrange_entry;

namespace {

// Builds hiredis reply trees by hand; no Redis needed.
struct FakeReplies {
  std::vector<std::unique_ptr<redisReply>> owned;
  std::vector<std::unique_ptr<redisReply*[]>> arrays;
  std::deque<std::string> texts;  // a deque: growing it does not move the strings

  redisReply* str(std::string s) {
    texts.push_back(std::move(s));
    auto r = std::make_unique<redisReply>();
    std::memset(r.get(), 0, sizeof(redisReply));
    r->type = REDIS_REPLY_STRING;
    r->str = texts.back().data();
    r->len = texts.back().size();
    owned.push_back(std::move(r));
    return owned.back().get();
  }
  redisReply* arr(std::initializer_list<redisReply*> items) {
    auto r = std::make_unique<redisReply>();
    std::memset(r.get(), 0, sizeof(redisReply));
    r->type = REDIS_REPLY_ARRAY;
    arrays.push_back(std::make_unique<redisReply*[]>(items.size()));
    size_t i = 0;
    for (auto* it : items) arrays.back()[i++] = it;
    r->element = arrays.back().get();
    r->elements = items.size();
    owned.push_back(std::move(r));
    return owned.back().get();
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(stream_entry)

BOOST_AUTO_TEST_CASE(reads_id_type_and_data_in_any_field_order) {
  FakeReplies f;
  auto* e = f.arr({f.str("1763913600123-4"),
                   f.arr({f.str("d"), f.str("{\"x\":1}"), f.str("t"), f.str("message")})});
  auto entry = xrange_entry(e);
  BOOST_TEST_REQUIRE(entry.has_value());
  BOOST_TEST((entry->id == StreamId{1763913600123, 4}));
  BOOST_TEST(entry->id_text == "1763913600123-4");
  BOOST_TEST(entry->type == "message");
  BOOST_TEST(entry->data == "{\"x\":1}");
}

BOOST_AUTO_TEST_CASE(missing_fields_are_left_empty) {
  FakeReplies f;
  auto entry = xrange_entry(f.arr({f.str("5-0"), f.arr({f.str("other"), f.str("v")})}));
  BOOST_TEST_REQUIRE(entry.has_value());
  BOOST_TEST(entry->type.empty());
  BOOST_TEST(entry->data.empty());
}

BOOST_AUTO_TEST_CASE(elements_that_are_not_entries_are_refused) {
  FakeReplies f;
  BOOST_TEST(!xrange_entry(f.str("5-0")).has_value());
  BOOST_TEST(!xrange_entry(f.arr({f.str("bad"), f.arr({})})).has_value());
  BOOST_TEST(!xrange_entry(f.arr({f.str("5-0")})).has_value());
  BOOST_TEST(!xrange_entry(nullptr).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
