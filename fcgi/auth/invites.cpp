#include "auth/invites.hpp"

#include "core/ids.hpp"

namespace palabre::auth {
namespace {
std::string issue(store::Store& store, const std::string& event_id, const char* role,
                  const std::string& label, int64_t now_ms) {
  std::string token = ids::random_token();
  store.create_invite(
      ids::sha256_hex(token),
      store::Invite{.event_id = event_id, .role = role, .label = label, .created_ms = now_ms});
  return token;
}
}  // namespace

InviteTokens create_invites(store::Store& store, const std::string& event_id,
                            std::string_view base_url, const std::string& label, int64_t now_ms) {
  InviteTokens t;
  t.moderator_token = issue(store, event_id, "moderator", label, now_ms);
  t.guest_token = issue(store, event_id, "guest", label, now_ms);
  const std::string page = std::string(base_url) + "e/" + event_id;
  t.moderator_url = page + "/moderate#t=" + t.moderator_token;
  t.guest_url = page + "/guest#t=" + t.guest_token;
  return t;
}

}  // namespace palabre::auth
