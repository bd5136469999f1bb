#include "auth/invites.hpp"

#include "core/ids.hpp"

namespace palabre::auth {
namespace {
std::string page_url(std::string_view base_url, const std::string& event_id, const std::string& role) {
  return std::string(base_url) + "e/" + event_id + (role == "guest" ? "/guest" : "/moderate");
}
}  // namespace

IssuedInvite create_invite(store::Store& store, const std::string& event_id, const std::string& role,
                           const std::string& label, std::string_view base_url, int64_t now_ms,
                           int64_t expires_ms) {
  IssuedInvite out;
  out.token = ids::random_token();
  out.id = store.create_invite(ids::sha256_hex(out.token), store::Invite{.event_id = event_id,
                                                                         .role = role,
                                                                         .label = label,
                                                                         .created_ms = now_ms,
                                                                         .expires_ms = expires_ms});
  out.url = page_url(base_url, event_id, role) + "#t=" + out.token;
  return out;
}

int64_t invite_expiry_ms(const store::Invite& invite, int64_t grace_ms) {
  if (invite.expires_ms > 0) return invite.expires_ms;
  return invite.window_end_ms + grace_ms;
}

bool invite_usable(const store::Invite& invite, int64_t now_ms, int64_t grace_ms) {
  return !invite.revoked && now_ms < invite_expiry_ms(invite, grace_ms);
}

InviteTokens create_invites(store::Store& store, const std::string& event_id,
                            std::string_view base_url, const std::string& label, int64_t now_ms) {
  IssuedInvite moderator = create_invite(store, event_id, "moderator", label, base_url, now_ms);
  IssuedInvite guest = create_invite(store, event_id, "guest", label, base_url, now_ms);
  return InviteTokens{moderator.token, guest.token, moderator.url, guest.url};
}

}  // namespace palabre::auth
