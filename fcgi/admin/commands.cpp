#include "admin/commands.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <iterator>
#include <string>

#include "auth/api_tokens.hpp"
#include "auth/invites.hpp"
#include "auth/password_policy.hpp"
#include "auth/passwords.hpp"
#include "core/time.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "api/event_json.hpp"

namespace palabre::admin {
namespace {

std::string read_password(std::istream& in) {
  std::string password((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // `echo pw |` and here-strings add one newline; it is not part of the password.
  if (!password.empty() && password.back() == '\n') password.pop_back();
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) throw Error(Code::invalid_field, "the password read from stdin is empty");
  return password;
}

// 18 random bytes: 24 characters of URL-safe base64, 144 bits; within the
// password policy by construction.
std::string generated_password() { return ids::random_token(18); }

int migrate(store::Store& store, Streams io) {
  store.migrate();  // main already did; repeated so that the command stands alone
  io.err << "palabre-admin: the schema is up to date\n";
  return 0;
}

int create_admin(const Args& args, store::Store& store, int64_t now_ms, Streams io) {
  const std::string login = args.value("login");
  const bool if_missing = args.flag("if-missing");
  if (store.find_account(login)) {
    if (!if_missing) throw Error(Code::conflict, "an account with this login already exists");
    io.err << "palabre-admin: account '" << login << "' already exists; nothing to do\n";
    return 0;
  }

  const bool generated = !args.flag("password-stdin");
  const std::string password = generated ? generated_password() : read_password(io.in);
  auth::check_password_policy(password);

  try {
    store.create_account(store::Account{.login = login,
                                        .password_hash = auth::hash_password(password),
                                        .role = "admin",
                                        .created_ms = now_ms});
  } catch (const Error& e) {
    // Another palabre-admin created it between the check and the insert.
    if (e.code() == Code::conflict && if_missing) return 0;
    throw;
  }
  if (generated) {
    io.out << password << '\n';
    io.err << "palabre-admin: created admin '" << login
           << "'; its password (on stdout) is shown only this once\n";
  } else {
    io.err << "palabre-admin: created admin '" << login << "'\n";
  }
  return 0;
}

int set_password(const Args& args, store::Store& store, Streams io) {
  auto account = store.find_account(args.value("login"));
  if (!account) throw Error(Code::not_found, "no account with this login");
  const bool generated = !args.flag("password-stdin");
  const std::string password = generated ? generated_password() : read_password(io.in);
  auth::check_password_policy(password);
  store.set_password_hash(account->id, auth::hash_password(password));
  if (generated) io.out << password << '\n';
  io.err << "palabre-admin: the password of '" << account->login << "' is changed\n";
  return 0;
}

std::string when(int64_t ms) { return ms > 0 ? timefmt::format_rfc3339(ms) : "-"; }

// Tabs and newlines in a label would break the columns.
std::string cell(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s.empty() ? "-" : s;
}

int tokens(const Args& args, store::Store& store, Streams io) {
  auto account = store.find_account(args.value("login"));
  if (!account) throw Error(Code::not_found, "no account with this login");
  for (const auto& t : store.list_api_tokens(account->id)) {
    io.out << t.id << '\t' << cell(t.label) << '\t' << when(t.created_ms) << '\t' << when(t.last_used_ms)
           << '\t' << (t.revoked ? "revoked" : "active") << '\n';
  }
  return 0;
}

int revoke_token(const Args& args, store::Store& store, int64_t now_ms, Streams io) {
  if (!store.revoke_api_token(args.value("id"), now_ms))
    throw Error(Code::not_found, "no active API token with this id");
  io.err << "palabre-admin: token " << args.value("id") << " revoked\n";
  return 0;
}

int invites(const Args& args, store::Store& store, Streams io) {
  const std::string event_id = args.value("event");
  if (!store.get_event(event_id)) throw Error(Code::not_found, "no event with this id");
  for (const auto& i : store.list_invites(event_id)) {
    io.out << i.id << '\t' << i.role << '\t' << cell(i.label) << '\t' << when(i.created_ms) << '\t'
           << when(i.last_used_ms) << '\t' << (i.revoked ? "revoked" : "active") << '\n';
  }
  return 0;
}

int token(const Args& args, store::Store& store, int64_t now_ms, Streams io) {
  auto account = store.find_account(args.value("login"));
  if (!account) throw Error(Code::not_found, "no account with this login");
  io.out << auth::create_api_token(store, account->id, args.value("label"), now_ms) << '\n';
  return 0;
}

int create_event(const Args& args, store::Store& store, int64_t now_ms, Streams io) {
  store::Event event = api::event_from_json(args.value("json"), now_ms);
  try {
    store.create_event(event);
  } catch (const Error& e) {
    if (e.code() != Code::conflict || !args.flag("if-missing")) throw;
    io.err << "palabre-admin: event '" << event.id << "' already exists; nothing to do\n";
  }
  io.out << event.id << '\n';
  return 0;
}

int invite(const Args& args, store::Store& store, int64_t now_ms, Streams io) {
  const std::string event_id = args.value("event");
  if (!store.get_event(event_id)) throw Error(Code::not_found, "no event with this id");
  std::string base_url = args.value("base-url");
  if (base_url.back() != '/') base_url.push_back('/');

  auth::InviteTokens t =
      auth::create_invites(store, event_id, base_url, args.value("label"), now_ms);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("moderator_url");
  w.String(t.moderator_url.c_str());
  w.Key("guest_url");
  w.String(t.guest_url.c_str());
  w.Key("moderator_token");
  w.String(t.moderator_token.c_str());
  w.Key("guest_token");
  w.String(t.guest_token.c_str());
  w.EndObject();
  io.out << buffer.GetString() << '\n';
  return 0;
}
}  // namespace

int run_command(const Args& args, store::Store& store, int64_t now_ms, Streams streams) {
  if (args.command == "migrate") return migrate(store, streams);
  if (args.command == "create-admin") return create_admin(args, store, now_ms, streams);
  if (args.command == "token") return token(args, store, now_ms, streams);
  if (args.command == "set-password") return set_password(args, store, streams);
  if (args.command == "tokens") return tokens(args, store, streams);
  if (args.command == "revoke-token") return revoke_token(args, store, now_ms, streams);
  if (args.command == "invites") return invites(args, store, streams);
  if (args.command == "create-event") return create_event(args, store, now_ms, streams);
  if (args.command == "invite") return invite(args, store, now_ms, streams);
  throw UsageError("unknown command '" + args.command + "'");
}

}  // namespace palabre::admin
