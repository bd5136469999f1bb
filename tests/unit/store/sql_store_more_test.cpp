// The store methods the integration tests reach only through HTTP: a
// debate's deletion, site settings, prepared answers, word filters, guests'
// photos, the audit search and the reminders' claim. Suite sql_store_more
// runs on SQLite in memory, and on PostgreSQL under unit-postgres
// (test_store.hpp).
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"
#include "test_store.hpp"

namespace palabre::store {
namespace {

struct Debate {
  Debate() : store(open_test_store()) { store->create_event(plain_event("debat", 10'000'000, 20'000'000)); }
  AuditEntry audit(const std::string& action, const std::string& target = "") const {
    return AuditEntry{.event_id = "debat", .actor = "admin:ada", .action = action, .target = target,
                      .details_json = "{}", .at_ms = 5000};
  }
  std::unique_ptr<Store> store;
};

Logo image(const std::string& event_id, const std::string& url, const std::string& bytes) {
  return Logo{.event_id = event_id, .source_url = url, .content_type = "image/png", .bytes = bytes,
              .sha256 = "h", .fetched_ms = 7};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sql_store_more, Debate)

BOOST_AUTO_TEST_CASE(deleting_a_debate_removes_what_sql_holds_about_it_and_audits_the_deletion) {
  store->create_invite("hash-1", Invite{.event_id = "debat", .role = "guest", .label = "g", .created_ms = 1});
  store->append_audit(audit("publish", "q1"));
  store->archive_message({"debat", "1-0", "message", "{}", 1});
  store->put_logo(image("debat", "https://example.org/l.png", "png"));
  store->replace_word_filters("debat", {{"mot", ""}}, audit("word_filters"));
  store->create_prepared_answer({"pa_1", "debat", "t", "x", "fr", "moderator", 1, 1}, audit("prepared"));

  BOOST_TEST(store->delete_event("debat", audit("delete_event", "debat")));
  BOOST_TEST(!store->get_event("debat"));
  BOOST_TEST(!store->find_invite("hash-1"));
  BOOST_TEST(store->list_audit("debat", 10).empty());
  BOOST_TEST(store->archived_messages("debat").empty());
  BOOST_TEST(!store->get_logo("debat"));
  BOOST_TEST(store->word_filters("debat").empty());
  BOOST_TEST(store->list_prepared_answers("debat").empty());
  auto site = store->list_site_audit(10);
  BOOST_REQUIRE(site.size() == 1u);
  BOOST_TEST(site[0].action == "delete_event");
  BOOST_TEST(!store->delete_event("debat", audit("delete_event", "debat")));
  BOOST_TEST(store->list_site_audit(10).size() == 1u);
}

BOOST_AUTO_TEST_CASE(site_settings_are_replaced_and_each_change_is_audited) {
  BOOST_TEST(!store->site_settings());
  store->put_site_settings(R"({"a":1})", 1, audit("site_settings"));
  store->put_site_settings(R"({"a":2})", 2, audit("site_settings"));
  BOOST_TEST(*store->site_settings() == R"({"a":2})");
  BOOST_TEST(store->list_site_audit(10).size() == 2u);
  BOOST_TEST(store->list_site_audit(1).size() == 1u);
}

BOOST_AUTO_TEST_CASE(prepared_answers_are_created_updated_and_removed_with_their_audit) {
  store->create_prepared_answer({"pa_1", "debat", "Titre", "Texte", "fr", "moderator", 1, 1}, audit("create"));
  BOOST_TEST(code_of([&] {
    store->create_prepared_answer({"pa_1", "debat", "T", "X", "fr", "moderator", 2, 2}, audit("create"));
  }) == "conflict");
  PreparedAnswer changed{"pa_1", "debat", "Titre 2", "Texte 2", "en", "moderator", 1, 3};
  BOOST_TEST(store->update_prepared_answer(changed, audit("update")));
  auto read = store->get_prepared_answer("debat", "pa_1");
  BOOST_REQUIRE(read);
  BOOST_TEST(read->title == "Titre 2");
  BOOST_TEST(read->updated_ms == 3);
  BOOST_TEST(!store->update_prepared_answer({"pa_x", "debat", "t", "x", "fr", "m", 1, 1}, audit("update")));
  BOOST_TEST(store->remove_prepared_answer("debat", "pa_1", audit("remove")));
  BOOST_TEST(!store->remove_prepared_answer("debat", "pa_1", audit("remove")));
  // The refused creation left no audit entry: it was one transaction.
  BOOST_TEST(store->list_audit("debat", 10).size() == 3u);
}

BOOST_AUTO_TEST_CASE(word_filters_keep_their_order_and_are_replaced_whole) {
  store->replace_word_filters("", {{"b", ""}, {"a", "fr"}, {"c", ""}}, std::nullopt);
  store->replace_word_filters("debat", {{"z", "en"}}, audit("word_filters"));
  auto site = store->word_filters("");
  BOOST_REQUIRE(site.size() == 3u);
  BOOST_TEST(site[0].pattern == "b");
  BOOST_TEST(site[1].lang == "fr");
  store->replace_word_filters("", {{"d", ""}}, std::nullopt);
  BOOST_TEST(store->word_filters("").size() == 1u);
  BOOST_TEST(store->word_filters("debat").size() == 1u);
}

BOOST_AUTO_TEST_CASE(guest_photos_not_kept_are_forgotten) {
  store->put_guest_photo(image("debat", "https://example.org/a.png", std::string("a\0b", 3)));
  store->put_guest_photo(image("debat", "https://example.org/b.png", "b"));
  store->put_guest_photo(image("debat", "https://example.org/b.png", "b2"));
  store->keep_guest_photos("debat", {"https://example.org/a.png"});
  auto a = store->get_guest_photo("debat", "https://example.org/a.png");
  BOOST_REQUIRE(a);
  BOOST_TEST(a->bytes == std::string("a\0b", 3));
  BOOST_TEST(!store->get_guest_photo("debat", "https://example.org/b.png"));
  store->put_logo(image("", "https://example.org/site.png", "site"));
  BOOST_TEST(store->get_logo("")->bytes == "site");
}

BOOST_AUTO_TEST_CASE(the_audit_search_takes_percent_and_underscore_literally) {
  auto entry = audit("publish", "q_1");
  entry.details_json = R"({"text":"100% Sûr"})";
  store->append_audit(entry);
  store->append_audit(audit("publish", "qx1"));
  BOOST_TEST(store->list_audit("debat", 10, {.text = "Q_1"}).size() == 1u);
  BOOST_TEST(store->list_audit("debat", 10, {.text = "0% s"}).size() == 1u);
  BOOST_TEST(store->list_audit("debat", 10, {.text = "%"}).size() == 1u);
  BOOST_TEST(store->list_audit("debat", 10, {.text = "\\"}).empty());
  BOOST_TEST(store->list_audit("debat", 10, {.actor = "admin:ada", .action = "publish"}).size() == 2u);
}

BOOST_AUTO_TEST_CASE(an_invite_window_far_in_days_does_not_overflow) {
  auto e = *store->get_event("debat");
  e.late_questions_days = 365;
  store->update_event(e);
  store->create_invite("hash-1", Invite{.event_id = "debat", .role = "guest", .label = "g", .created_ms = 1});
  BOOST_TEST(store->find_invite("hash-1")->window_end_ms == 20'000'000 + int64_t{365} * 86'400'000);
}

BOOST_AUTO_TEST_CASE(a_reminder_is_confirmed_then_claimed_by_one_store_only) {
  Reminder r{.event_id = "debat", .email = "a@example.org", .lang = "fr", .base_url = "https://x", .created_ms = 1};
  BOOST_TEST(store->subscribe_reminder(r, 0));
  BOOST_TEST(!store->subscribe_reminder(r, 0));  // already asked for
  auto due = store->due_reminder_mails(100, 1000, 10);
  BOOST_REQUIRE(due.size() == 1u);
  BOOST_TEST((due[0].kind == ReminderMail::confirmation));
  int64_t id = due[0].reminder.id;
  // A second connection stands in for another worker.
  auto other = test_database_url().empty() ? nullptr : open_postgres(test_database_url());
  Store& second = other ? *other : *store;
  BOOST_TEST(store->claim_reminder_mail(id, ReminderMail::confirmation, 100, 1000, 5000, "c-hash", "u-hash"));
  BOOST_TEST(!second.claim_reminder_mail(id, ReminderMail::confirmation, 100, 1000, 5000, "c2", "u2"));
  store->confirmation_sent(id, 200);
  BOOST_TEST(store->find_reminder("u-hash")->id == id);
  BOOST_TEST(store->confirm_reminder("c-hash", 300));
  // The reminder is due from starts_at − lead.
  BOOST_TEST(store->due_reminder_mails(300, 1000, 10).empty());
  auto reminders = store->due_reminder_mails(10'000'000 - 500, 1000, 10);
  BOOST_REQUIRE(reminders.size() == 1u);
  BOOST_TEST((reminders[0].kind == ReminderMail::reminder));
  BOOST_TEST(reminders[0].starts_at_ms == 10'000'000);
  BOOST_TEST(second.claim_reminder_mail(id, ReminderMail::reminder, 10'000'000 - 500, 1000, 10'000'000, "", ""));
  BOOST_TEST(!store->claim_reminder_mail(id, ReminderMail::reminder, 10'000'000 - 500, 1000, 10'000'000, "", ""));
  second.reminder_mail_failed(id, 10'000'000 - 100);
  BOOST_TEST(store->find_reminder("c-hash")->attempts == 1);
  BOOST_TEST(store->purge_reminders(10'000'000, 0) == 1);
  BOOST_TEST(!store->delete_reminder_by_token("u-hash"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace palabre::store
