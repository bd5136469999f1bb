// The SQL side of docs/PRIVACY.md: the purge blanks audit details, an
// erasure rewrites archived frames, and the logo survives the round trip
// byte for byte (it is kept as base64 text).
#include <boost/test/unit_test.hpp>

#include <string>

#include "store/store.hpp"
#include "test_store.hpp"

namespace palabre::store {
namespace {

struct Fixture {
  Fixture() : store(open_test_store()) {
    for (const char* id : {"debat-a", "debat-b"}) store->create_event(plain_event(id));
  }
  std::unique_ptr<Store> store;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(privacy_store, Fixture)

BOOST_AUTO_TEST_CASE(the_purge_blanks_only_the_chosen_details_of_one_debate) {
  store->append_audit({0, "debat-a", "moderator", "edit", "q_1", R"({"before":"texte d'origine"})", 10});
  store->append_audit({0, "debat-a", "moderator", "publish", "q_1", R"({"note":"garde"})", 11});
  store->append_audit({0, "debat-b", "moderator", "edit", "q_2", R"({"before":"autre débat"})", 12});
  BOOST_TEST(store->blank_audit_details("debat-a", {"edit", "reject", "ban"}) == 1);
  BOOST_TEST(store->blank_audit_details("debat-a", {"edit", "reject", "ban"}) == 0);  // idempotent
  auto a = store->list_audit("debat-a", 10);
  BOOST_REQUIRE(a.size() == 2u);
  BOOST_TEST(a[1].action == "edit");
  BOOST_TEST(a[1].details_json == "{}");
  BOOST_TEST(a[1].actor == "moderator");
  BOOST_TEST(a[1].target == "q_1");
  BOOST_TEST(a[1].at_ms == 10);
  BOOST_TEST(a[0].details_json == R"({"note":"garde"})");
  BOOST_TEST(store->list_audit("debat-b", 10)[0].details_json == R"({"before":"autre débat"})");
}

BOOST_AUTO_TEST_CASE(an_erasure_blanks_every_detail_about_one_question) {
  store->append_audit({0, "debat-a", "moderator", "edit", "q_1", R"({"before":"texte"})", 10});
  store->append_audit({0, "debat-a", "moderator", "reject", "q_1", R"({"reason":"hors sujet"})", 11});
  store->append_audit({0, "debat-a", "moderator", "edit", "q_2", R"({"before":"autre"})", 12});
  BOOST_TEST(store->blank_audit_details_of("debat-a", "q_1") == 2);
  auto a = store->list_audit("debat-a", 10);
  BOOST_REQUIRE(a.size() == 3u);
  BOOST_TEST(a[0].details_json == R"({"before":"autre"})");
  BOOST_TEST(a[1].details_json == "{}");
  BOOST_TEST(a[2].details_json == "{}");
  BOOST_TEST(a[1].action == "reject");
}

BOOST_AUTO_TEST_CASE(an_archived_frame_is_rewritten_in_place) {
  store->archive_message({"debat-a", "1-0", "message", R"({"id":"q_1","author":"Camille"})", 5});
  BOOST_TEST(store->rewrite_archived_message("debat-a", "1-0", R"({"id":"q_1","author":"anonyme"})"));
  BOOST_TEST(!store->rewrite_archived_message("debat-a", "9-0", "{}"));
  auto m = store->archived_messages("debat-a");
  BOOST_REQUIRE(m.size() == 1u);
  BOOST_TEST(m[0].data_json == R"({"id":"q_1","author":"anonyme"})");
  BOOST_TEST(m[0].cursor == "1-0");
}

BOOST_AUTO_TEST_CASE(a_logo_round_trips_byte_for_byte_and_is_replaced) {
  std::string bytes("\x89PNG\r\n\x1a\n\0\0\xff\x00", 12);
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  BOOST_TEST(!store->get_logo("debat-a"));
  store->put_logo({"debat-a", "https://ville.example/logo.png", "image/png", bytes, "abc", 7});
  auto got = store->get_logo("debat-a");
  BOOST_REQUIRE(got);
  BOOST_TEST(got->bytes == bytes);
  BOOST_TEST(got->content_type == "image/png");
  BOOST_TEST(got->source_url == "https://ville.example/logo.png");
  store->put_logo({"debat-a", "https://ville.example/autre.gif", "image/gif", "GIF89a", "def", 8});
  BOOST_TEST(store->get_logo("debat-a")->bytes == "GIF89a");
  BOOST_TEST(store->get_logo("debat-a")->source_url == "https://ville.example/autre.gif");
  BOOST_TEST(!store->get_logo("debat-b"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace palabre::store
