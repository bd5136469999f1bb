// palabre-admin's commands against an in-memory store (PostgreSQL under
// unit-postgres, store/test_store.hpp): what they print on stdout is what
// scripts capture, so it is checked exactly.
#include "admin/commands.hpp"

#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <sstream>
#include <algorithm>

#include "auth/passwords.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "../store/test_store.hpp"

namespace palabre::admin {
namespace {
struct Admin {
  Admin() : store(store::open_test_store()) {
    ids::ensure_crypto_ready();
    store->migrate();
  }
  // Runs one command line; stdout and stderr land in out/err.
  int run(std::initializer_list<std::string_view> words, const std::string& input = "") {
    out.str("");
    err.str("");
    std::istringstream in(input);
    return run_command(parse_args(words), *store, kNow, Streams{in, out, err});
  }
  // The code of the palabre::Error the command throws, by name so that a
  // failed check prints it.
  std::string failure(std::initializer_list<std::string_view> words,
                      const std::string& input = "") {
    try {
      run(words, input);
    } catch (const Error& e) {
      return std::string(code_name(e.code()));
    }
    return "(nothing thrown)";
  }

  static constexpr int64_t kNow = 1'763'913'600'000;
  std::unique_ptr<store::Store> store;
  std::ostringstream out, err;
};

const char* kEventBody =
    R"({"id":"demo-admin","title":"Budget","starts_at":"2026-11-23T18:00:00Z",)"
    R"("ends_at":"2026-11-23T19:00:00Z"})";
}  // namespace

BOOST_FIXTURE_TEST_SUITE(admin_commands, Admin)

BOOST_AUTO_TEST_CASE(migrate_prints_nothing_on_stdout) {
  BOOST_TEST(run({"migrate"}) == 0);
  BOOST_TEST(out.str().empty());
}

BOOST_AUTO_TEST_CASE(create_admin_prints_a_generated_password_once) {
  BOOST_TEST(run({"create-admin", "--login", "ada"}) == 0);
  std::string password = out.str();
  BOOST_REQUIRE(!password.empty());
  BOOST_TEST(password.back() == '\n');
  password.pop_back();
  BOOST_TEST(password.size() >= 20u);
  auto account = store->find_account("ada");
  BOOST_REQUIRE(account);
  BOOST_TEST(account->role == "admin");
  BOOST_TEST(account->created_ms == kNow);
  BOOST_TEST(auth::verify_password(account->password_hash, password));
  BOOST_TEST(err.str().find(password) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(create_admin_reads_the_password_from_stdin_without_its_newline) {
  BOOST_TEST(run({"create-admin", "--login", "ada", "--password-stdin"}, "s3cret-enough-pw\n") ==
             0);
  BOOST_TEST(out.str().empty());
  BOOST_TEST(auth::verify_password(store->find_account("ada")->password_hash, "s3cret-enough-pw"));
}

BOOST_AUTO_TEST_CASE(create_admin_refuses_an_empty_password_from_stdin) {
  BOOST_TEST(failure({"create-admin", "--login", "ada", "--password-stdin"}, "\n") ==
             "invalid_field");
  BOOST_TEST(!store->find_account("ada"));
}

BOOST_AUTO_TEST_CASE(create_admin_twice_is_a_conflict_unless_if_missing) {
  run({"create-admin", "--login", "ada"});
  std::string first_hash = store->find_account("ada")->password_hash;
  BOOST_TEST(failure({"create-admin", "--login", "ada"}) == "conflict");
  BOOST_TEST(run({"create-admin", "--login", "ada", "--if-missing"}) == 0);
  BOOST_TEST(out.str().empty());
  BOOST_TEST(store->find_account("ada")->password_hash == first_hash);
}

BOOST_AUTO_TEST_CASE(token_prints_only_a_token_that_authenticates_the_account) {
  run({"create-admin", "--login", "ada"});
  BOOST_TEST(run({"token", "--login", "ada", "--label", "ci"}) == 0);
  std::string token = out.str();
  BOOST_REQUIRE(token.size() > 1u);
  BOOST_TEST(token.back() == '\n');
  token.pop_back();
  BOOST_TEST(token.find_first_of(" \n\t") == std::string::npos);
  auto account = store->find_account_by_token(ids::sha256_hex(token));
  BOOST_REQUIRE(account);
  BOOST_TEST(account->login == "ada");
}

BOOST_AUTO_TEST_CASE(create_admin_refuses_a_weak_password_from_stdin) {
  for (const char* weak : {"court\n", "motdepasse123456\n", "AZERTY123456\n"}) {
    BOOST_TEST(failure({"create-admin", "--login", "ada", "--password-stdin"}, weak) == "weak_password", weak);
  }
  BOOST_TEST(failure({"create-admin", "--login", "ada", "--password-stdin"}, std::string(129, 'x')) ==
             "weak_password");
  BOOST_TEST(!store->find_account("ada"));
  BOOST_TEST(run({"create-admin", "--login", "ada", "--password-stdin"}, "日本語のパスワードです!\n") == 0);
}

BOOST_AUTO_TEST_CASE(set_password_changes_it_under_the_same_rules) {
  run({"create-admin", "--login", "ada"});
  BOOST_TEST(failure({"set-password", "--login", "ada", "--password-stdin"}, "soleil\n") == "weak_password");
  BOOST_TEST(run({"set-password", "--login", "ada", "--password-stdin"}, "un-nouveau-mot-de-passe\n") == 0);
  BOOST_TEST(out.str().empty());
  BOOST_TEST(auth::verify_password(store->find_account("ada")->password_hash, "un-nouveau-mot-de-passe"));
  BOOST_TEST(run({"set-password", "--login", "ada"}) == 0);
  std::string generated = out.str();
  generated.pop_back();
  BOOST_TEST(auth::verify_password(store->find_account("ada")->password_hash, generated));
  BOOST_TEST(failure({"set-password", "--login", "nobody", "--password-stdin"}, "un-nouveau-mot-de-passe") ==
             "not_found");
}

BOOST_AUTO_TEST_CASE(tokens_lists_ids_and_revoke_token_stops_one) {
  run({"create-admin", "--login", "ada"});
  run({"token", "--login", "ada", "--label", "ci"});
  std::string token = out.str();
  token.pop_back();
  BOOST_TEST(run({"tokens", "--login", "ada"}) == 0);
  std::string line = out.str();
  BOOST_TEST(std::count(line.begin(), line.end(), '\n') == 1);
  BOOST_TEST(line.find(token) == std::string::npos);  // never the clear token
  std::string id = line.substr(0, line.find('\t'));
  BOOST_TEST(id.starts_with("tok_"));
  BOOST_TEST(line.find("\tci\t") != std::string::npos);
  BOOST_TEST(line.ends_with("\t-\tactive\n"));
  BOOST_TEST(run({"revoke-token", "--id", id}) == 0);
  BOOST_TEST(!store->find_account_by_token(ids::sha256_hex(token)));
  run({"tokens", "--login", "ada"});
  BOOST_TEST(out.str().ends_with("\trevoked\n"));
  BOOST_TEST(failure({"revoke-token", "--id", id}) == "not_found");
}

BOOST_AUTO_TEST_CASE(invites_lists_an_event_s_invites) {
  run({"create-event", "--json", kEventBody});
  run({"invite", "--event", "demo-admin", "--base-url", "https://x.example/", "--label", "Salle"});
  BOOST_TEST(run({"invites", "--event", "demo-admin"}) == 0);
  std::string text = out.str();
  BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 2);
  BOOST_TEST(text.find("\tmoderator\tSalle\t") != std::string::npos);
  BOOST_TEST(text.find("\tguest\tSalle\t") != std::string::npos);
  BOOST_TEST(failure({"invites", "--event", "ghost"}) == "not_found");
}

BOOST_AUTO_TEST_CASE(token_for_an_unknown_login_fails) {
  BOOST_TEST(failure({"token", "--login", "nobody"}) == "not_found");
  BOOST_TEST(out.str().empty());
}

BOOST_AUTO_TEST_CASE(create_event_prints_the_id_and_if_missing_makes_it_repeatable) {
  BOOST_TEST(run({"create-event", "--json", kEventBody}) == 0);
  BOOST_TEST(out.str() == "demo-admin\n");
  BOOST_TEST(store->get_event("demo-admin")->title == "Budget");
  BOOST_TEST(failure({"create-event", "--json", kEventBody}) == "conflict");
  BOOST_TEST(run({"create-event", "--json", kEventBody, "--if-missing"}) == 0);
  BOOST_TEST(out.str() == "demo-admin\n");
}

BOOST_AUTO_TEST_CASE(create_event_refuses_a_body_that_is_not_json) {
  BOOST_TEST(failure({"create-event", "--json", "{nope"}) == "invalid_json");
}

BOOST_AUTO_TEST_CASE(invite_prints_one_json_line_with_both_links) {
  run({"create-event", "--json", kEventBody});
  BOOST_TEST(run({"invite", "--event", "demo-admin", "--base-url", "https://x.example/p"}) == 0);
  std::string line = out.str();
  BOOST_REQUIRE(!line.empty());
  BOOST_TEST(line.back() == '\n');
  BOOST_TEST(std::count(line.begin(), line.end(), '\n') == 1);
  rapidjson::Document doc;
  doc.Parse(line.c_str());
  BOOST_REQUIRE(doc.IsObject());
  std::string moderator_token = doc["moderator_token"].GetString();
  std::string guest_token = doc["guest_token"].GetString();
  BOOST_TEST(std::string(doc["moderator_url"].GetString()) ==
             "https://x.example/p/e/demo-admin/moderate#t=" + moderator_token);
  BOOST_TEST(std::string(doc["guest_url"].GetString()) ==
             "https://x.example/p/e/demo-admin/guest#t=" + guest_token);
  BOOST_TEST(store->find_invite(ids::sha256_hex(guest_token))->role == "guest");
}

BOOST_AUTO_TEST_CASE(invite_to_an_unknown_event_fails) {
  BOOST_TEST(failure({"invite", "--event", "ghost", "--base-url", "http://x/"}) == "not_found");
  BOOST_TEST(out.str().empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace palabre::admin
