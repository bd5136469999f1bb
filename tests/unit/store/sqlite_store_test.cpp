// The store against a private in-memory SQLite database (one per test), or
// PostgreSQL under unit-postgres (suite sql_store, test_store.hpp), plus
// SQLite cases that need a real file: concurrent migration and a file that
// is not a database. Those use a fresh directory under $TMPDIR, removed
// afterwards.
#include <stdlib.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "store/migrations.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/migrate.hpp"
#include "store/store.hpp"
#include "test_store.hpp"

namespace palabre::store {
namespace {

// SQLite in memory, or PostgreSQL under unit-postgres (test_store.hpp).
struct MemoryStore {
  MemoryStore() : store(open_test_store()) {}
  std::unique_ptr<Store> store;
};

// A directory of its own under $TMPDIR; removed with everything in it.
struct TempDir {
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "palabre-store-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::filesystem::path path;
};

Event sample_event(const std::string& id, int64_t starts_at_ms) {
  Event e;
  e.id = id;
  e.title = "Budget participatif 2027";
  e.description = "Débat public";
  e.starts_at_ms = starts_at_ms;
  e.ends_at_ms = starts_at_ms + 3'600'000;
  e.languages = {"fr", "en"};
  e.guests_json = R"([{"name":"Anne Martin","role":"Maire"}])";
  e.branding_json = R"({"color":"#004494"})";
  e.questions_before = false;
  e.late_questions_days = 3;
  e.moderation = "pre";
  e.closed = false;
  e.created_ms = 1000;
  e.updated_ms = 1000;
  return e;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(migrations)

BOOST_AUTO_TEST_CASE(migrating_twice_applies_nothing_the_second_time) {
  auto connection = sqlite::Connection::open(":memory:");
  auto all = embedded_migrations();
  BOOST_REQUIRE(!all.empty());
  BOOST_TEST(sqlite::apply_migrations(connection, all, 1) == static_cast<int>(all.size()));
  BOOST_TEST(sqlite::apply_migrations(connection, all, 2) == 0);
}

BOOST_AUTO_TEST_CASE(the_first_migration_is_the_initial_schema) {
  auto all = embedded_migrations();
  BOOST_REQUIRE(!all.empty());
  BOOST_TEST(all.front().version == 1);
  BOOST_TEST(all.front().name == "sql/0001_init.sql");
}

BOOST_AUTO_TEST_CASE(migrations_run_in_version_order_and_other_files_are_skipped) {
  std::map<std::string, std::string_view, std::less<>> files = {
      {"sql/0010_later.sql", "x"},
      {"sql/0002_second.sql", "y"},
      {"fcgi/redis/scripts/publish.lua", "z"},
      {"sql/README.md", "w"},
      {"sql/notes.sql", "v"},
  };
  auto list = migrations_from(files);
  BOOST_REQUIRE(list.size() == 2u);
  BOOST_TEST(list[0].version == 2);
  BOOST_TEST(list[1].version == 10);
  BOOST_TEST(list[1].name == "sql/0010_later.sql");
}

BOOST_AUTO_TEST_CASE(two_migrations_with_one_version_are_refused) {
  std::map<std::string, std::string_view, std::less<>> files = {{"sql/0002_a.sql", "x"},
                                                                {"sql/0002_b.sql", "y"}};
  BOOST_TEST(code_of([&] { migrations_from(files); }) == "internal_error");
}

BOOST_AUTO_TEST_CASE(a_failing_migration_leaves_nothing_behind) {
  auto connection = sqlite::Connection::open(":memory:");
  std::vector<Migration> list = {
      {1, "sql/0001_ok.sql", "CREATE TABLE a (x INTEGER);"},
      {2, "sql/0002_bad.sql", "CREATE TABLE b (x INTEGER); THIS IS NOT SQL;"},
  };
  BOOST_TEST(code_of([&] { sqlite::apply_migrations(connection, list, 1); }) ==
             "store_unavailable");
  // Table b was rolled back with its migration, so a fixed 0002 applies cleanly.
  list[1].sql = "CREATE TABLE b (x INTEGER);";
  BOOST_TEST(sqlite::apply_migrations(connection, list, 2) == 1);
}

BOOST_AUTO_TEST_CASE(workers_starting_together_on_a_new_file_all_migrate) {
  // Threads stand in for processes: each has its own connection, as each
  // accept thread and each palabre-admin does. Several rounds, because the
  // race is in the first milliseconds of a new file.
  for (int round = 0; round < 5; ++round) {
    TempDir dir;
    const std::string path = (dir.path / "palabre.db").string();
    std::vector<std::string> outcomes(4);
    std::vector<std::thread> workers;
    for (std::string& outcome : outcomes) {
      workers.emplace_back([&path, &outcome] {
        try {
          open_sqlite(path)->migrate();
          outcome = "ok";
        } catch (const std::exception& e) {
          outcome = e.what();
        }
      });
    }
    for (std::thread& t : workers) t.join();
    for (const std::string& outcome : outcomes) BOOST_TEST(outcome == "ok");

    auto connection = sqlite::Connection::open(path);
    BOOST_TEST(sqlite::apply_migrations(connection, embedded_migrations(), 3) == 0);
    BOOST_CHECK_NO_THROW(open_sqlite(path)->create_event(sample_event("after-race", 5)));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sqlite_files)

BOOST_AUTO_TEST_CASE(a_file_that_cannot_be_opened_is_store_unavailable) {
  TempDir dir;
  const std::string path = (dir.path / "missing-dir" / "palabre.db").string();
  BOOST_TEST(code_of([&] { open_sqlite(path); }) == "store_unavailable");
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_database_is_store_unavailable) {
  TempDir dir;
  const auto path = dir.path / "not-a-database.db";
  std::ofstream(path) << std::string(4096, 'x');
  BOOST_TEST(code_of([&] { open_sqlite(path.string())->migrate(); }) == "store_unavailable");
}

BOOST_AUTO_TEST_SUITE_END()

// Every backend: SQLite here, PostgreSQL too under unit-postgres.
BOOST_AUTO_TEST_SUITE(sql_store)

BOOST_FIXTURE_TEST_CASE(answers_a_ping, MemoryStore) { BOOST_TEST(store->ping()); }

BOOST_FIXTURE_TEST_CASE(an_account_reads_back_by_login_and_by_id, MemoryStore) {
  int64_t id = store->create_account(
      Account{.login = "ada", .password_hash = "$argon2id$x", .role = "admin", .created_ms = 7});
  auto by_login = store->find_account("ada");
  BOOST_REQUIRE(by_login);
  BOOST_TEST(by_login->id == id);
  BOOST_TEST(by_login->password_hash == "$argon2id$x");
  BOOST_TEST(by_login->role == "admin");
  BOOST_TEST(by_login->created_ms == 7);
  auto by_id = store->find_account_by_id(id);
  BOOST_REQUIRE(by_id);
  BOOST_TEST(by_id->login == "ada");
  BOOST_TEST(!store->find_account("grace"));
  BOOST_TEST(!store->find_account_by_id(id + 1));
}

BOOST_FIXTURE_TEST_CASE(a_second_account_with_the_same_login_is_a_conflict, MemoryStore) {
  store->create_account(
      Account{.login = "ada", .password_hash = "h", .role = "admin", .created_ms = 1});
  BOOST_TEST(code_of([&] {
               store->create_account(Account{
                   .login = "ada", .password_hash = "h2", .role = "admin", .created_ms = 2});
             }) == "conflict");
}

BOOST_FIXTURE_TEST_CASE(a_changed_password_hash_replaces_the_old_one, MemoryStore) {
  int64_t id = store->create_account(
      Account{.login = "ada", .password_hash = "old", .role = "admin", .created_ms = 1});
  store->set_password_hash(id, "new");
  BOOST_TEST(store->find_account("ada")->password_hash == "new");
  BOOST_TEST(code_of([&] { store->set_password_hash(id + 1, "x"); }) == "not_found");
}

BOOST_FIXTURE_TEST_CASE(an_api_token_hash_finds_its_account, MemoryStore) {
  int64_t id = store->create_account(
      Account{.login = "ada", .password_hash = "h", .role = "admin", .created_ms = 1});
  store->create_api_token(id, "hash-1", "ci");
  auto account = store->find_account_by_token("hash-1");
  BOOST_REQUIRE(account);
  BOOST_TEST(account->id == id);
  BOOST_TEST(!store->find_account_by_token("hash-2"));
}

BOOST_FIXTURE_TEST_CASE(a_token_for_an_unknown_account_is_not_found, MemoryStore) {
  BOOST_TEST(code_of([&] { store->create_api_token(42, "hash", ""); }) == "not_found");
}

BOOST_FIXTURE_TEST_CASE(an_event_reads_back_with_every_field, MemoryStore) {
  Event in = sample_event("budget-2027", 1'763'913'600'000);
  store->create_event(in);
  auto out = store->get_event("budget-2027");
  BOOST_REQUIRE(out);
  BOOST_TEST(out->title == in.title);
  BOOST_TEST(out->description == in.description);
  BOOST_TEST(out->starts_at_ms == in.starts_at_ms);
  BOOST_TEST(out->ends_at_ms == in.ends_at_ms);
  BOOST_TEST(out->languages == in.languages);
  BOOST_TEST(out->guests_json == in.guests_json);
  BOOST_TEST(out->branding_json == in.branding_json);
  BOOST_TEST(out->questions_before == false);
  BOOST_TEST(out->late_questions_days == 3);
  BOOST_TEST(out->moderation == "pre");
  BOOST_TEST(out->closed == false);
  BOOST_TEST(out->created_ms == 1000);
  BOOST_TEST(out->updated_ms == 1000);
  BOOST_TEST(!store->get_event("other"));
}

BOOST_FIXTURE_TEST_CASE(an_event_id_can_be_taken_only_once, MemoryStore) {
  store->create_event(sample_event("demo", 1));
  BOOST_TEST(code_of([&] { store->create_event(sample_event("demo", 2)); }) == "conflict");
}

BOOST_FIXTURE_TEST_CASE(events_are_listed_newest_start_first_up_to_the_limit, MemoryStore) {
  store->create_event(sample_event("early", 1000));
  store->create_event(sample_event("late", 3000));
  store->create_event(sample_event("middle", 2000));
  auto all = store->list_events(10);
  BOOST_REQUIRE(all.size() == 3u);
  BOOST_TEST(all[0].id == "late");
  BOOST_TEST(all[1].id == "middle");
  BOOST_TEST(all[2].id == "early");
  auto two = store->list_events(2);
  BOOST_REQUIRE(two.size() == 2u);
  BOOST_TEST(two[1].id == "middle");
  BOOST_TEST(store->list_events(0).empty());
}

BOOST_FIXTURE_TEST_CASE(an_updated_event_keeps_its_creation_time, MemoryStore) {
  Event e = sample_event("demo", 1000);
  store->create_event(e);
  e.title = "Nouveau titre";
  e.ends_at_ms = 9000;
  e.closed = true;
  e.languages = {"en"};
  e.created_ms = 5;  // ignored: creation time never changes
  e.updated_ms = 2000;
  store->update_event(e);
  auto out = store->get_event("demo");
  BOOST_REQUIRE(out);
  BOOST_TEST(out->title == "Nouveau titre");
  BOOST_TEST(out->ends_at_ms == 9000);
  BOOST_TEST(out->closed);
  BOOST_TEST(out->languages == std::vector<std::string>{"en"});
  BOOST_TEST(out->created_ms == 1000);
  BOOST_TEST(out->updated_ms == 2000);
}

BOOST_FIXTURE_TEST_CASE(updating_an_unknown_event_is_not_found, MemoryStore) {
  BOOST_TEST(code_of([&] { store->update_event(sample_event("ghost", 1)); }) == "not_found");
}

BOOST_FIXTURE_TEST_CASE(an_invite_reads_back_by_its_hash, MemoryStore) {
  store->create_event(sample_event("demo", 1));
  store->create_invite(
      "h-mod", Invite{.event_id = "demo", .role = "moderator", .label = "Salle", .created_ms = 9});
  auto invite = store->find_invite("h-mod");
  BOOST_REQUIRE(invite);
  BOOST_TEST(invite->event_id == "demo");
  BOOST_TEST(invite->role == "moderator");
  BOOST_TEST(invite->label == "Salle");
  BOOST_TEST(invite->created_ms == 9);
  BOOST_TEST(!store->find_invite("h-other"));
}

BOOST_FIXTURE_TEST_CASE(an_invite_for_an_unknown_event_is_not_found, MemoryStore) {
  BOOST_TEST(code_of([&] {
               store->create_invite(
                   "h", Invite{.event_id = "ghost", .role = "guest", .label = "", .created_ms = 1});
             }) == "not_found");
}

BOOST_FIXTURE_TEST_CASE(an_invite_role_other_than_moderator_or_guest_is_refused, MemoryStore) {
  store->create_event(sample_event("demo", 1));
  BOOST_TEST(code_of([&] {
               store->create_invite(
                   "h", Invite{.event_id = "demo", .role = "admin", .label = "", .created_ms = 1});
             }) == "invalid_field");
}

BOOST_FIXTURE_TEST_CASE(invites_are_listed_by_debate_and_revoked_by_id, MemoryStore) {
  store->create_event(sample_event("demo", 1));
  store->create_event(sample_event("other", 1));
  std::string a = store->create_invite(
      "h-a", Invite{.event_id = "demo", .role = "moderator", .label = "Anne", .created_ms = 1});
  std::string b = store->create_invite(
      "h-b", Invite{.event_id = "demo", .role = "guest", .label = "Bob", .created_ms = 2, .expires_ms = 99});
  store->create_invite("h-c", Invite{.event_id = "other", .role = "guest", .label = "", .created_ms = 3});
  BOOST_TEST(a.starts_with("inv_"));
  auto list = store->list_invites("demo");
  BOOST_REQUIRE(list.size() == 2u);
  BOOST_TEST(list[0].id == a);
  BOOST_TEST(list[1].id == b);
  BOOST_TEST(list[1].expires_ms == 99);
  BOOST_TEST(list[0].expires_ms == 0);
  BOOST_TEST(list[0].window_end_ms == sample_event("demo", 1).ends_at_ms +
                                          sample_event("demo", 1).late_questions_days * 86'400'000LL);
  BOOST_TEST(!store->revoke_invite("other", a, 5));  // not that debate's
  BOOST_TEST(store->revoke_invite("demo", a, 5));
  BOOST_TEST(!store->revoke_invite("demo", a, 6));   // already revoked
  auto revoked = store->find_invite("h-a");
  BOOST_TEST(revoked->revoked);
  BOOST_TEST(revoked->revoked_ms == 5);
  store->touch_invite(b, 42);
  BOOST_TEST(store->find_invite_by_id(b)->last_used_ms == 42);
  BOOST_TEST(!store->find_invite_by_id("inv_nope"));
}

BOOST_FIXTURE_TEST_CASE(api_tokens_are_listed_and_a_revoked_one_finds_no_account, MemoryStore) {
  int64_t id = store->create_account(
      Account{.login = "ada", .password_hash = "h", .role = "admin", .created_ms = 1});
  std::string t1 = store->create_api_token(id, "hash-1", "ci");
  std::string t2 = store->create_api_token(id, "hash-2", "backup");
  BOOST_TEST(t1.starts_with("tok_"));
  auto list = store->list_api_tokens(id);
  BOOST_REQUIRE(list.size() == 2u);
  BOOST_TEST((list[0].label == "ci" || list[1].label == "ci"));
  BOOST_TEST(store->revoke_api_token(t1, 9));
  BOOST_TEST(!store->revoke_api_token(t1, 9));
  BOOST_TEST(!store->find_account_by_token("hash-1"));
  BOOST_TEST(store->find_api_token("hash-1")->revoked);
  BOOST_TEST(store->find_account_by_token("hash-2")->login == "ada");
  store->touch_api_token(t2, 77);
  BOOST_TEST(store->find_api_token("hash-2")->last_used_ms == 77);
}

BOOST_FIXTURE_TEST_CASE(the_audit_log_lists_one_event_newest_first, MemoryStore) {
  store->create_event(sample_event("demo", 1));
  store->create_event(sample_event("other", 1));
  store->append_audit(AuditEntry{.event_id = "demo",
                                 .actor = "moderator",
                                 .action = "publish",
                                 .target = "q_1",
                                 .at_ms = 100});
  store->append_audit(AuditEntry{.event_id = "other",
                                 .actor = "moderator",
                                 .action = "publish",
                                 .target = "q_9",
                                 .at_ms = 150});
  // Same millisecond as the first: the order of writing still decides.
  store->append_audit(AuditEntry{.event_id = "demo",
                                 .actor = "moderator",
                                 .action = "reject",
                                 .target = "q_2",
                                 .details_json = R"({"reason":"hors sujet"})",
                                 .at_ms = 100});
  store->append_audit(AuditEntry{
      .event_id = "demo", .actor = "admin:ada", .action = "ban", .target = "v_3", .at_ms = 200});

  auto entries = store->list_audit("demo", 10);
  BOOST_REQUIRE(entries.size() == 3u);
  BOOST_TEST(entries[0].action == "ban");
  BOOST_TEST(entries[0].actor == "admin:ada");
  BOOST_TEST(entries[1].action == "reject");
  BOOST_TEST(entries[1].details_json == R"({"reason":"hors sujet"})");
  BOOST_TEST(entries[2].action == "publish");
  BOOST_TEST(entries[0].id > entries[1].id);
  BOOST_TEST(entries[1].id > entries[2].id);
  BOOST_TEST(entries[2].details_json == "{}");

  auto latest = store->list_audit("demo", 1);
  BOOST_REQUIRE(latest.size() == 1u);
  BOOST_TEST(latest[0].action == "ban");
}

BOOST_FIXTURE_TEST_CASE(archiving_a_frame_twice_keeps_the_first_copy, MemoryStore) {
  store->create_event(sample_event("demo", 1));
  store->archive_message(ArchivedMessage{.event_id = "demo",
                                         .cursor = "1700000000000-0",
                                         .type = "message",
                                         .data_json = R"({"id":"q_1"})",
                                         .at_ms = 1});
  store->archive_message(ArchivedMessage{.event_id = "demo",
                                         .cursor = "1700000000000-0",
                                         .type = "message",
                                         .data_json = R"({"id":"changed"})",
                                         .at_ms = 2});
  auto archived = store->archived_messages("demo");
  BOOST_REQUIRE(archived.size() == 1u);
  BOOST_TEST(archived[0].data_json == R"({"id":"q_1"})");
  BOOST_TEST(archived[0].at_ms == 1);
}

BOOST_FIXTURE_TEST_CASE(archived_frames_come_back_in_stream_order, MemoryStore) {
  store->create_event(sample_event("demo", 1));
  store->create_event(sample_event("other", 1));
  for (const char* cursor : {"1700000000001-10", "1700000000001-9", "999999999999-0"}) {
    store->archive_message(ArchivedMessage{
        .event_id = "demo", .cursor = cursor, .type = "message", .data_json = "{}", .at_ms = 1});
  }
  store->archive_message(ArchivedMessage{
      .event_id = "other", .cursor = "1-0", .type = "retract", .data_json = "{}", .at_ms = 1});
  auto archived = store->archived_messages("demo");
  BOOST_REQUIRE(archived.size() == 3u);
  BOOST_TEST(archived[0].cursor == "999999999999-0");
  BOOST_TEST(archived[1].cursor == "1700000000001-9");
  BOOST_TEST(archived[2].cursor == "1700000000001-10");
  BOOST_TEST(store->archived_messages("ghost").empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace palabre::store
