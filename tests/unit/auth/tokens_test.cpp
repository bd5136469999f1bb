// Invite links and API tokens: the clear token is handed out once and only
// its SHA-256 reaches the store.
#include <boost/test/unit_test.hpp>

#include "auth/api_tokens.hpp"
#include "auth/invites.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace palabre::auth {
namespace {
struct StoreWithEvent {
  StoreWithEvent() : store(store::open_sqlite(":memory:")) {
    ids::ensure_crypto_ready();
    store->migrate();
    store::Event e;
    e.id = "demo";
    e.title = "Demo";
    e.languages = {"fr"};
    e.starts_at_ms = 1;
    e.ends_at_ms = 2;
    store->create_event(e);
  }
  std::unique_ptr<store::Store> store;
};
}  // namespace

BOOST_FIXTURE_TEST_SUITE(tokens, StoreWithEvent)

BOOST_AUTO_TEST_CASE(invite_links_carry_the_token_in_the_fragment) {
  InviteTokens t = create_invites(*store, "demo", "https://ville.example/palabre/", "Salle", 42);
  BOOST_TEST(t.moderator_url ==
             "https://ville.example/palabre/e/demo/moderate#t=" + t.moderator_token);
  BOOST_TEST(t.guest_url == "https://ville.example/palabre/e/demo/guest#t=" + t.guest_token);
  BOOST_TEST(t.moderator_token != t.guest_token);
  BOOST_TEST(t.moderator_token.size() >= 43u);  // 32 random bytes in base64url
}

BOOST_AUTO_TEST_CASE(an_invite_is_found_by_the_hash_of_its_token_only) {
  InviteTokens t = create_invites(*store, "demo", "http://x/", "Salle", 42);
  auto moderator = store->find_invite(ids::sha256_hex(t.moderator_token));
  BOOST_REQUIRE(moderator);
  BOOST_TEST(moderator->role == "moderator");
  BOOST_TEST(moderator->event_id == "demo");
  BOOST_TEST(moderator->label == "Salle");
  BOOST_TEST(moderator->created_ms == 42);
  auto guest = store->find_invite(ids::sha256_hex(t.guest_token));
  BOOST_REQUIRE(guest);
  BOOST_TEST(guest->role == "guest");
  BOOST_TEST(!store->find_invite(t.moderator_token));
}

BOOST_AUTO_TEST_CASE(each_call_makes_a_new_pair_and_earlier_invites_stay_valid) {
  InviteTokens first = create_invites(*store, "demo", "http://x/", "", 1);
  InviteTokens second = create_invites(*store, "demo", "http://x/", "", 2);
  BOOST_TEST(first.moderator_token != second.moderator_token);
  BOOST_TEST(store->find_invite(ids::sha256_hex(first.moderator_token)).has_value());
  BOOST_TEST(store->find_invite(ids::sha256_hex(second.moderator_token)).has_value());
}

BOOST_AUTO_TEST_CASE(inviting_to_an_unknown_event_is_not_found) {
  try {
    create_invites(*store, "ghost", "http://x/", "", 1);
    BOOST_FAIL("expected not_found");
  } catch (const Error& e) {
    BOOST_TEST(std::string(code_name(e.code())) == "not_found");
  }
}

BOOST_AUTO_TEST_CASE(an_api_token_finds_its_account_by_hash_only) {
  int64_t id = store->create_account(
      store::Account{.login = "ada", .password_hash = "h", .role = "admin", .created_ms = 1});
  std::string token = create_api_token(*store, id, "ci", 5);
  auto account = store->find_account_by_token(ids::sha256_hex(token));
  BOOST_REQUIRE(account);
  BOOST_TEST(account->login == "ada");
  BOOST_TEST(!store->find_account_by_token(token));
}

BOOST_AUTO_TEST_CASE(a_labelled_invite_has_a_public_id_and_its_page_by_role) {
  IssuedInvite m = create_invite(*store, "demo", "moderator", "Anne (communication)", "http://x/", 7);
  IssuedInvite g = create_invite(*store, "demo", "guest", "Anne Martin", "http://x/", 8);
  BOOST_TEST(m.id.starts_with("inv_"));
  BOOST_TEST(m.id != g.id);
  BOOST_TEST(m.url == "http://x/e/demo/moderate#t=" + m.token);
  BOOST_TEST(g.url == "http://x/e/demo/guest#t=" + g.token);
  auto found = store->find_invite(ids::sha256_hex(m.token));
  BOOST_REQUIRE(found);
  BOOST_TEST(found->id == m.id);
  BOOST_TEST(found->label == "Anne (communication)");
}

BOOST_AUTO_TEST_CASE(an_invite_expires_with_its_debate_window_unless_it_has_its_own_expiry) {
  store::Invite i;
  i.window_end_ms = 10'000;
  BOOST_TEST(invite_expiry_ms(i, 0) == 10'000);
  BOOST_TEST(invite_expiry_ms(i, 500) == 10'500);
  BOOST_TEST(invite_usable(i, 9'999, 0));
  BOOST_TEST(!invite_usable(i, 10'000, 0));
  BOOST_TEST(invite_usable(i, 10'000, 1));
  i.expires_ms = 3'000;
  BOOST_TEST(invite_expiry_ms(i, 500) == 3'000);
  BOOST_TEST(!invite_usable(i, 3'000, 500));
}

BOOST_AUTO_TEST_CASE(a_revoked_invite_is_never_usable) {
  store::Invite i;
  i.window_end_ms = 10'000;
  i.revoked = true;
  BOOST_TEST(!invite_usable(i, 0, 0));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace palabre::auth
