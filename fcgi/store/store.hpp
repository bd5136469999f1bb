// Durable records in SQL: accounts, API tokens, events, invites, the
// moderation audit log and the archive of published messages.
//
// One Store object per thread (each accept thread opens its own connection;
// a connection is never shared). Methods throw palabre::Error with
// Code::store_unavailable when the database cannot be reached or is busy past
// its timeout, and Code::conflict on a unique-key violation. Never call from
// the hub thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/event.hpp"

namespace palabre {
struct Config;
}

namespace palabre::store {

struct Account {
  int64_t id = 0;
  std::string login;
  std::string password_hash;  // argon2id encoded string (libsodium crypto_pwhash_str)
  std::string role;           // "admin"
  int64_t created_ms = 0;
};

// Events are domain records; the store keeps them as they are.
using Event = domain::Event;

struct Invite {
  std::string event_id;
  std::string role;  // "moderator" | "guest"
  std::string label;
  int64_t created_ms = 0;
  std::string id;           // public "inv_…"; create_invite makes one when empty
  int64_t expires_ms = 0;   // 0: with the debate's late-question window
  int64_t last_used_ms = 0; // 0: never used
  bool revoked = false;
  int64_t revoked_ms = 0;
  // Read only: when the debate's late-question window ends (ends_at +
  // late_questions_days), filled by the find_* and list calls.
  int64_t window_end_ms = 0;
};

// An admin API token as operators list it (never its clear value).
struct ApiToken {
  std::string id;  // public "tok_…"
  int64_t account_id = 0;
  std::string login;
  std::string label;
  int64_t created_ms = 0;
  int64_t last_used_ms = 0;  // 0: never used
  bool revoked = false;
};

struct AuditEntry {
  int64_t id = 0;
  std::string event_id;
  std::string actor;   // "moderator", "guest", "admin:<login>", "visitor:<id>"
  std::string action;  // "publish", "reject", "ban", ...
  std::string target;  // question id, visitor id, ...
  std::string details_json = "{}";
  int64_t at_ms = 0;
  // The entry's id in the debate's audit stream (audit/drain.hpp); "" for
  // entries written straight to SQL.
  std::string stream_id;
};

// The organiser's logo as fetched (api/logo.cpp); `bytes` is the image.
struct Logo {
  std::string event_id;
  std::string source_url;
  std::string content_type;
  std::string bytes;
  std::string sha256;
  int64_t fetched_ms = 0;
};

// A prepared answer of a debate's library (api/prepared_answers.cpp).
struct PreparedAnswer {
  std::string id;  // "pa_…"
  std::string event_id;
  std::string title;
  std::string text;
  std::string lang;
  std::string created_by;  // the audit log's actor
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

// A blocked word or pattern (domain/word_filter.hpp) of a debate, or of
// the whole site (scope "").
struct WordFilterRow {
  std::string pattern;
  std::string lang;  // "": every language
};

// An address waiting for a debate's reminder (api/reminders.cpp,
// mail/outbox.hpp); sql/0008_reminders.sql says when the row goes.
struct Reminder {
  int64_t id = 0;
  std::string event_id;
  std::string email;
  std::string lang;
  std::string base_url;  // the public URL the mails' links start with
  int64_t created_ms = 0;
  int64_t confirmed_ms = 0;  // 0: not confirmed
  int64_t confirm_sent_ms = 0;
  int attempts = 0;  // failed attempts at the mail now due
};

// What the outbox has to send for one row.
enum class ReminderMail { confirmation, reminder };

struct DueReminderMail {
  Reminder reminder;
  ReminderMail kind = ReminderMail::confirmation;
  int64_t starts_at_ms = 0;  // the debate's, now
};

struct ArchivedMessage {
  std::string event_id;
  std::string cursor;     // Redis stream id at publication
  std::string type;       // SSE event type: "message", "retract", ...
  std::string data_json;  // the frame's data
  int64_t at_ms = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies every migration in sql/ not yet applied (idempotent).
  virtual void migrate() = 0;
  // Cheap round trip for /healthz.
  virtual bool ping() = 0;

  virtual int64_t create_account(const Account& account) = 0;  // conflict if login exists
  virtual std::optional<Account> find_account(const std::string& login) = 0;
  virtual std::optional<Account> find_account_by_id(int64_t id) = 0;
  virtual void set_password_hash(int64_t account_id, const std::string& hash) = 0;

  // Returns the token's public id.
  virtual std::string create_api_token(int64_t account_id, const std::string& token_hash,
                                       const std::string& label) = 0;
  // The account of a token that is not revoked.
  virtual std::optional<Account> find_account_by_token(const std::string& token_hash) = 0;
  // The token row, revoked or not.
  virtual std::optional<ApiToken> find_api_token(const std::string& token_hash) = 0;
  // Oldest first.
  virtual std::vector<ApiToken> list_api_tokens(int64_t account_id) = 0;
  // False when no token has this id or it was already revoked.
  virtual bool revoke_api_token(const std::string& id, int64_t now_ms) = 0;
  virtual void touch_api_token(const std::string& id, int64_t now_ms) = 0;

  virtual void create_event(const Event& event) = 0;  // conflict if id exists
  virtual std::optional<Event> get_event(const std::string& id) = 0;
  // Newest first by starts_at; at most `limit`.
  virtual std::vector<Event> list_events(int limit) = 0;
  virtual void update_event(const Event& event) = 0;  // by id; not_found if absent
  // Everything SQL holds about the debate (its invites, audit log, archive,
  // logo, prepared answers, word filters), with `audit` in site_audit, in
  // one transaction. False when there is no such debate.
  virtual bool delete_event(const std::string& id, const AuditEntry& audit) = 0;

  // The site's settings (api/site.cpp), a JSON object; nullopt until an
  // admin first saves them. put_site_settings writes them with `audit`
  // (in site_audit) in one transaction.
  virtual std::optional<std::string> site_settings() = 0;
  virtual void put_site_settings(const std::string& json, int64_t now_ms, const AuditEntry& audit) = 0;
  // Actions that belong to no debate; event_id is not kept. Newest first.
  virtual void append_site_audit(const AuditEntry& entry) = 0;
  virtual std::vector<AuditEntry> list_site_audit(int limit) = 0;

  // Returns the invite's public id (invite.id, or a new one).
  virtual std::string create_invite(const std::string& token_hash, const Invite& invite) = 0;
  // Revoked and expired invites are returned too: the caller decides.
  virtual std::optional<Invite> find_invite(const std::string& token_hash) = 0;
  virtual std::optional<Invite> find_invite_by_id(const std::string& id) = 0;
  // One debate's invites, oldest first.
  virtual std::vector<Invite> list_invites(const std::string& event_id) = 0;
  // False when the debate has no such invite or it was already revoked.
  virtual bool revoke_invite(const std::string& event_id, const std::string& id, int64_t now_ms) = 0;
  virtual void touch_invite(const std::string& id, int64_t now_ms) = 0;

  // An entry with a stream_id that is already there is not written again.
  virtual void append_audit(const AuditEntry& entry) = 0;
  // Newest first (by the time of the action), at most `limit`, those that
  // match `filter` (empty fields match everything).
  struct AuditFilter {
    std::string actor;   // exactly
    std::string action;  // exactly
    std::string text;    // anywhere in the target, the actor or the details (ASCII case ignored)
  };
  virtual std::vector<AuditEntry> list_audit(const std::string& event_id, int limit,
                                             const AuditFilter& filter) = 0;
  std::vector<AuditEntry> list_audit(const std::string& event_id, int limit) {
    return list_audit(event_id, limit, AuditFilter{});
  }
  // The retention purge (schedule/purge.hpp): empties details_json ("{}")
  // of the event's entries whose action is one of `actions` (they may hold
  // texts that were never published); actor, action, target and time stay.
  // Returns the number of entries changed (0 when run again).
  virtual int blank_audit_details(const std::string& event_id, const std::vector<std::string>& actions) = 0;
  // A visitor's erasure (api/privacy.cpp): the same for every entry about
  // `target` (one of their questions), whatever its action.
  virtual int blank_audit_details_of(const std::string& event_id, const std::string& target) = 0;

  // Prepared answers. Each change is written with its audit entry in one
  // transaction. update and remove return false when the debate has no
  // answer with this id.
  virtual void create_prepared_answer(const PreparedAnswer& answer, const AuditEntry& audit) = 0;
  virtual std::vector<PreparedAnswer> list_prepared_answers(const std::string& event_id) = 0;  // oldest first
  virtual std::optional<PreparedAnswer> get_prepared_answer(const std::string& event_id, const std::string& id) = 0;
  virtual bool update_prepared_answer(const PreparedAnswer& answer, const AuditEntry& audit) = 0;
  virtual bool remove_prepared_answer(const std::string& event_id, const std::string& id, const AuditEntry& audit) = 0;

  // Word filters of a debate (scope = its id) or of the site (scope ""), in
  // order; replace_word_filters writes the whole list and its audit entry in
  // one transaction (`audit` is skipped for the site's list: it has no
  // debate).
  virtual std::vector<WordFilterRow> word_filters(const std::string& scope) = 0;
  virtual void replace_word_filters(const std::string& scope, const std::vector<WordFilterRow>& filters,
                                    const std::optional<AuditEntry>& audit) = 0;

  // Idempotent on (event_id, cursor).
  virtual void archive_message(const ArchivedMessage& message) = 0;
  // In stream order (by id as a number, not as text).
  virtual std::vector<ArchivedMessage> archived_messages(const std::string& event_id) = 0;
  // Replaces the event's logo (one per event); event_id "" is the site's
  // default logo.
  virtual void put_logo(const Logo& logo) = 0;
  virtual std::optional<Logo> get_logo(const std::string& event_id) = 0;
  // Guests' photos (api/guest_photos.cpp), one per debate and source
  // address: Logo::event_id is the debate, Logo::source_url the address.
  virtual void put_guest_photo(const Logo& photo) = 0;
  virtual std::optional<Logo> get_guest_photo(const std::string& event_id, const std::string& source_url) = 0;
  // Forgets the debate's photos whose address is not in `kept`.
  virtual void keep_guest_photos(const std::string& event_id, const std::vector<std::string>& kept) = 0;
  // A visitor's erasure (api/privacy.cpp): replaces the data of one archived
  // frame. Returns false when there is no such frame.
  virtual bool rewrite_archived_message(const std::string& event_id, const std::string& cursor,
                                        const std::string& data_json) = 0;

  // E-mail reminders (store/sql/reminders.hpp). subscribe_reminder adds
  // the address, or asks its confirmation again when it is not confirmed
  // and its last confirmation mail went out before `resend_before_ms`;
  // returns true when a confirmation mail is now due.
  virtual bool subscribe_reminder(const Reminder& reminder, int64_t resend_before_ms) = 0;
  // By the hash of either of its tokens (confirmation or unsubscribe).
  virtual std::optional<Reminder> find_reminder(const std::string& token_hash) = 0;
  // False when no row has this confirmation token.
  virtual bool confirm_reminder(const std::string& confirm_hash, int64_t now_ms) = 0;
  // By either token; false when there was nothing to delete.
  virtual bool delete_reminder_by_token(const std::string& token_hash) = 0;
  // Mails due at now_ms: confirmations asked for, and the reminders of
  // confirmed addresses whose debate starts within lead_ms; not claimed by
  // anyone, oldest first, at most `limit`.
  virtual std::vector<DueReminderMail> due_reminder_mails(int64_t now_ms, int64_t lead_ms, int limit) = 0;
  // Claims the row's due mail until claim_until_ms with one conditional
  // UPDATE: false when another worker holds it or it is no longer due (sent,
  // confirmed meanwhile, deleted). A confirmation's claim stores the hashes
  // of the tokens its mail will carry.
  virtual bool claim_reminder_mail(int64_t id, ReminderMail kind, int64_t now_ms, int64_t lead_ms,
                                   int64_t claim_until_ms, const std::string& confirm_hash,
                                   const std::string& unsubscribe_hash) = 0;
  virtual void confirmation_sent(int64_t id, int64_t now_ms) = 0;
  // A temporary failure: the claim ends, the next attempt waits.
  virtual void reminder_mail_failed(int64_t id, int64_t next_attempt_ms) = 0;
  virtual void delete_reminder(int64_t id) = 0;
  // Rows whose debate started or closed, and rows still unconfirmed that
  // were asked for before unconfirmed_before_ms. Returns how many went.
  virtual int purge_reminders(int64_t now_ms, int64_t unconfirmed_before_ms) = 0;
};

// The store the configuration names: PostgreSQL at config.database_url when
// it is set, else SQLite at config.sqlite_path. Every thread that needs SQL
// opens its own.
std::unique_ptr<Store> open(const Config& config);

// Opens (creating if needed) a SQLite database in WAL mode with a busy
// timeout. Throws Error(store_unavailable) if the file cannot be opened.
std::unique_ptr<Store> open_sqlite(const std::string& path);

// Connects to PostgreSQL with a libpq URI or connection string (the
// password, if any, from libpq's password file). Throws
// Error(store_unavailable) if the server cannot be reached.
std::unique_ptr<Store> open_postgres(const std::string& url);

}  // namespace palabre::store
