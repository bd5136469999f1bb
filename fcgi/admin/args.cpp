#include "admin/args.hpp"

#include <algorithm>
#include <array>

#include "core/utf8.hpp"

namespace palabre::admin {
namespace {

struct CommandSpec {
  std::string_view name;
  std::vector<std::string_view> required;  // options with a value
  std::vector<std::string_view> optional;  // options with a value
  std::vector<std::string_view> flags;     // options without a value
};

const std::array<CommandSpec, 10> kCommands = {{
    {"migrate", {}, {}, {}},
    {"routes", {}, {}, {}},
    {"create-admin", {"login"}, {}, {"password-stdin", "if-missing"}},
    {"set-password", {"login"}, {}, {"password-stdin"}},
    {"token", {"login"}, {"label"}, {}},
    {"tokens", {"login"}, {}, {}},
    {"revoke-token", {"id"}, {}, {}},
    {"invites", {"event"}, {}, {}},
    {"create-event", {"json"}, {}, {"if-missing"}},
    {"invite", {"event", "base-url"}, {"label"}, {}},
}};

bool contains(const std::vector<std::string_view>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

bool takes_value(std::string_view name) {
  if (name == "db" || name == "config") return true;
  return std::any_of(kCommands.begin(), kCommands.end(), [&](const CommandSpec& c) {
    return contains(c.required, name) || contains(c.optional, name);
  });
}

bool is_flag(std::string_view name) {
  return std::any_of(kCommands.begin(), kCommands.end(),
                     [&](const CommandSpec& c) { return contains(c.flags, name); });
}

// A login is typed by people and shown in the audit log as "admin:<login>".
void check_login(const std::string& login) {
  auto length = utf8::count_code_points(login);
  if (!length || *length == 0 || *length > 100)
    throw UsageError("--login must be 1 to 100 characters of UTF-8");
  for (unsigned char c : login)
    if (c < 0x20 || c == 0x7f || c == ' ')
      throw UsageError("--login may not contain spaces or control characters");
}

void check_values(const Args& args) {
  if (args.values.contains("login")) check_login(args.value("login"));
  if (args.values.contains("label") && !utf8::is_valid(args.value("label")))
    throw UsageError("--label must be UTF-8");
  if (args.values.contains("id") && args.value("id").empty()) throw UsageError("--id must not be empty");
  if (args.values.contains("event") && args.value("event").empty())
    throw UsageError("--event must not be empty");
  if (args.values.contains("base-url")) {
    const std::string url = args.value("base-url");
    if (!url.starts_with("http://") && !url.starts_with("https://"))
      throw UsageError("--base-url must start with http:// or https://");
  }
  if (args.db && args.db->empty()) throw UsageError("--db must not be empty");
}
}  // namespace

std::string Args::value(std::string_view name) const {
  auto it = values.find(name);
  return it == values.end() ? std::string() : it->second;
}

Args parse_args(const std::vector<std::string_view>& words) {
  Args args;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view word = words[i];
    if (word == "-h" || word == "--help") {
      args.help = true;
      continue;
    }
    if (word == "--version") {
      args.version = true;
      continue;
    }
    if (!word.starts_with("--")) {
      if (!args.command.empty())
        throw UsageError("unexpected argument '" + std::string(word) + "'");
      args.command = word;
      continue;
    }
    std::string name(word.substr(2));
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (takes_value(name)) {
      if (!value) {
        if (i + 1 >= words.size()) throw UsageError("--" + name + " needs a value");
        value = std::string(words[++i]);
      }
      if (name == "config") {
        if (value->empty()) throw UsageError("--config must not be empty");
        args.config_files.push_back(std::move(*value));
        continue;
      }
      if (name == "db" ? args.db.has_value() : args.values.contains(name))
        throw UsageError("--" + name + " is given twice");
      if (name == "db")
        args.db = std::move(*value);
      else
        args.values.emplace(name, std::move(*value));
    } else {
      if (!is_flag(name)) throw UsageError("unknown option --" + name);
      if (value) throw UsageError("--" + name + " takes no value");
      args.flags.insert(name);
    }
  }
  if (args.help || args.version) return args;
  if (args.command.empty()) throw UsageError("no command given");

  auto spec = std::find_if(kCommands.begin(), kCommands.end(),
                           [&](const CommandSpec& c) { return c.name == args.command; });
  if (spec == kCommands.end()) throw UsageError("unknown command '" + args.command + "'");
  for (const auto& [name, value] : args.values)
    if (!contains(spec->required, name) && !contains(spec->optional, name))
      throw UsageError(args.command + " takes no --" + name);
  for (const std::string& name : args.flags)
    if (!contains(spec->flags, name)) throw UsageError(args.command + " takes no --" + name);
  for (std::string_view name : spec->required)
    if (!args.values.contains(name))
      throw UsageError(args.command + " needs --" + std::string(name));
  check_values(args);
  return args;
}

std::string_view usage() {
  return R"(Usage: palabre-admin [--config FILE]... [--db PATH] COMMAND [OPTIONS]

Administers a Palabre database. Reads the worker's settings like the worker:
each --config FILE (NAME=value lines), else /etc/palabre/palabre.conf and
/etc/palabre/secrets.conf when they exist, under the environment (PALABRE_*),
which wins; PALABRE_DATABASE_URL (PostgreSQL), else PALABRE_SQLITE_PATH
(SQLite) names the database. Every command first applies the pending schema
migrations. Results go to stdout, messages to stderr.

Commands:
  migrate
      Apply the pending migrations, then exit.
  routes
      Print the worker's routes with who may call each, as a JSON array
      [{"method","path","access"}] (docs/API.md "Who may call what").
      Opens no database.
  create-admin --login LOGIN [--password-stdin] [--if-missing]
      Create an admin account. With --password-stdin the password is read
      from standard input (one trailing newline is dropped); without it a
      random password is generated and printed once on stdout.
      --if-missing: exit 0 without change if the login exists.
      Passwords are 12 to 128 characters (any script) and not a common one.
  set-password --login LOGIN [--password-stdin]
      Change an admin's password (same rules; generated and printed once
      without --password-stdin). Signed-in sessions are not ended: use
      "log out everywhere" in the back-office for that.
  token --login LOGIN [--label TEXT]
      Create an API token for the account and print it (only it) on stdout.
  tokens --login LOGIN
      List the account's API tokens, one per line, tab-separated:
      id, label, created, last used (or -), active|revoked.
  revoke-token --id ID
      Revoke an API token (id from "tokens"): it stops working at once.
  invites --event ID
      List the event's invites, one per line, tab-separated: id, role,
      label, created, last used (or -), active|revoked. Revoke one from the
      back-office or with DELETE /api/events/ID/invites/INVITE_ID, which
      also closes its open staff streams.
  create-event --json BODY [--if-missing]
      Create an event from a body of POST /api/events and print its id.
      --if-missing: if the id is taken, print it and exit 0.
  invite --event ID --base-url URL [--label TEXT]
      Create a moderator invite and a guest invite for the event and print
      {"moderator_url","guest_url","moderator_token","guest_token"}
      as one JSON line. URL is the public base, e.g. https://example.org/palabre/

Options:
  --config FILE  a configuration file; may be given several times
  --db PATH    SQLite database file, or a PostgreSQL URI postgresql://...
               (default: $PALABRE_DATABASE_URL, else $PALABRE_SQLITE_PATH,
               else palabre.db)
  --version    Print the version and the commit it was built from.
  -h, --help   Show this help.

Exit status: 0 success, 1 failure, 2 usage error.
)";
}

}  // namespace palabre::admin
