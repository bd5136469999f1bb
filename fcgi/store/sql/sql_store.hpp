// palabre::store::Store in SQL, once for both backends: SqlStore<Backend>
// runs the same statements on SQLite (store/sqlite/) and PostgreSQL
// (store/postgres/). A Backend names its Connection, Query and Transaction,
// which share one surface (statements with ?N parameters, bind_all, step,
// changes), and its migration runner. One Connection per Store, statements
// prepared once and reused (see each backend's connection.hpp for ownership
// and errors).
//
// The SQL is the subset both dialects share: ON CONFLICT, UPDATE ... FROM,
// RETURNING, LIKE ... ESCAPE. Included only by the backends' *_store.cpp.
#pragma once

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "store/columns.hpp"
#include "store/migrations.hpp"
#include "store/sql/reminders.hpp"
#include "store/store.hpp"

namespace palabre::store::sql {

// One column list for every query that reads accounts or events, so that the
// readers below can take columns by position.
inline const std::string kAccountColumns = "a.id, a.login, a.password_hash, a.role, a.created_ms";
inline const std::string kEventColumns =
    "id, title, description, starts_at_ms, ends_at_ms, languages, guests_json, branding_json,"
    " questions_before, late_questions_days, moderation, closed, created_ms, updated_ms, status, time_zone";

template <class Query>
Account read_account(const Query& q) {
  return Account{.id = q.int64(0),
                 .login = q.text(1),
                 .password_hash = q.text(2),
                 .role = q.text(3),
                 .created_ms = q.int64(4)};
}

template <class Query>
Event read_event(const Query& q) {
  Event e;
  e.id = q.text(0);
  e.title = q.text(1);
  e.description = q.text(2);
  e.starts_at_ms = q.int64(3);
  e.ends_at_ms = q.int64(4);
  e.languages = languages_from_json(q.text(5));
  e.guests_json = q.text(6);
  e.branding_json = q.text(7);
  e.questions_before = q.int64(8) != 0;
  e.late_questions_days = static_cast<int>(q.int64(9));
  e.moderation = q.text(10);
  e.closed = q.int64(11) != 0;
  e.created_ms = q.int64(12);
  e.updated_ms = q.int64(13);
  e.draft = q.text(14) == "draft";
  e.time_zone = q.text(15);
  return e;
}

// Binds the event's columns as ?1..?16 in kEventColumns order.
template <class Query>
void bind_event(Query& q, const Event& e) {
  q.bind_all(e.id, e.title, e.description, e.starts_at_ms, e.ends_at_ms,
             languages_to_json(e.languages), e.guests_json, e.branding_json,
             int64_t{e.questions_before}, int64_t{e.late_questions_days}, e.moderation,
             int64_t{e.closed}, e.created_ms, e.updated_ms, std::string(e.draft ? "draft" : "published"),
             e.time_zone);
}

inline const std::string kTokenColumns =
    "t.id, t.account_id, a.login, t.label, t.created_ms, t.last_used_ms, t.revoked";

template <class Query>
ApiToken read_token(const Query& q) {
  return ApiToken{.id = q.text(0),
                  .account_id = q.int64(1),
                  .login = q.text(2),
                  .label = q.text(3),
                  .created_ms = q.int64(4),
                  .last_used_ms = q.int64(5),
                  .revoked = q.int64(6) != 0};
}

// Invites with the end of their debate's late-question window, which is
// when an invite without its own expiry stops working.
inline const std::string kInviteSelect =
    "SELECT i.event_id, i.role, i.label, i.created_ms, i.id, i.expires_ms, i.last_used_ms,"
    " i.revoked, i.revoked_ms, e.ends_at_ms + CAST(e.late_questions_days AS BIGINT) * 86400000"
    " FROM invites i JOIN events e ON e.id = i.event_id";

template <class Query>
Invite read_invite(const Query& q) {
  return Invite{.event_id = q.text(0),
                .role = q.text(1),
                .label = q.text(2),
                .created_ms = q.int64(3),
                .id = q.text(4),
                .expires_ms = q.int64(5),
                .last_used_ms = q.int64(6),
                .revoked = q.int64(7) != 0,
                .revoked_ms = q.int64(8),
                .window_end_ms = q.int64(9)};
}

// `text` inside a LIKE pattern with ESCAPE '\' matching only itself
// (PostgreSQL has no instr; both have LIKE ... ESCAPE).
inline std::string like_literal(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

template <class Query>
std::optional<Account> one_account(Query q) {
  if (!q.step()) return std::nullopt;
  return read_account(q);
}

template <class Backend>
class SqlStore final : public Store {
  using Connection = typename Backend::Connection;
  using Query = typename Backend::Query;
  using Transaction = typename Backend::Transaction;

 public:
  explicit SqlStore(Connection connection) : db_(std::move(connection)) {}

  void migrate() override { Backend::apply_migrations(db_, embedded_migrations(), SystemClock().now_ms()); }

  bool ping() override {
    try {
      Query q = db_.query("SELECT 1");
      return q.step();
    } catch (const Error&) {
      return false;
    }
  }

  int64_t create_account(const Account& a) override {
    Query q = db_.query(
        "INSERT INTO accounts (login, password_hash, role, created_ms)"
        " VALUES (?1, ?2, ?3, ?4) RETURNING id",
        {.conflict = "an account with this login already exists"});
    q.bind_all(a.login, a.password_hash, a.role.empty() ? std::string("admin") : a.role, a.created_ms);
    if (!q.step()) throw Error(Code::internal_error, "INSERT ... RETURNING gave no row");
    int64_t id = q.int64(0);
    q.run();
    return id;
  }

  std::optional<Account> find_account(const std::string& login) override {
    Query q = db_.query("SELECT " + kAccountColumns + " FROM accounts a WHERE a.login = ?1");
    q.bind_all(login);
    return one_account(std::move(q));
  }

  std::optional<Account> find_account_by_id(int64_t id) override {
    Query q = db_.query("SELECT " + kAccountColumns + " FROM accounts a WHERE a.id = ?1");
    q.bind_all(id);
    return one_account(std::move(q));
  }

  void set_password_hash(int64_t account_id, const std::string& hash) override {
    db_.query("UPDATE accounts SET password_hash = ?2 WHERE id = ?1")
        .bind_all(account_id, hash)
        .run();
    if (db_.changes() == 0) throw Error(Code::not_found, "no such account");
  }

  std::string create_api_token(int64_t account_id, const std::string& token_hash,
                               const std::string& label) override {
    // The interface takes no timestamp for tokens; created_ms is only shown
    // to operators, so the wall clock is good enough.
    std::string id = ids::new_id("tok_");
    db_.query(
           "INSERT INTO api_tokens (token_hash, account_id, label, created_ms, id)"
           " VALUES (?1, ?2, ?3, ?4, ?5)",
           {.conflict = "this API token already exists", .unknown_reference = "no such account"})
        .bind_all(token_hash, account_id, label, SystemClock().now_ms(), id)
        .run();
    return id;
  }

  std::optional<Account> find_account_by_token(const std::string& token_hash) override {
    Query q = db_.query("SELECT " + kAccountColumns +
                        " FROM api_tokens t JOIN accounts a ON a.id = t.account_id"
                        " WHERE t.token_hash = ?1 AND t.revoked = 0");
    q.bind_all(token_hash);
    return one_account(std::move(q));
  }

  std::optional<ApiToken> find_api_token(const std::string& token_hash) override {
    Query q = db_.query("SELECT " + kTokenColumns +
                        " FROM api_tokens t JOIN accounts a ON a.id = t.account_id"
                        " WHERE t.token_hash = ?1");
    q.bind_all(token_hash);
    if (!q.step()) return std::nullopt;
    return read_token(q);
  }

  std::vector<ApiToken> list_api_tokens(int64_t account_id) override {
    std::vector<ApiToken> out;
    Query q = db_.query("SELECT " + kTokenColumns +
                        " FROM api_tokens t JOIN accounts a ON a.id = t.account_id"
                        " WHERE t.account_id = ?1 ORDER BY t.created_ms, t.id");
    q.bind_all(account_id);
    while (q.step()) out.push_back(read_token(q));
    return out;
  }

  bool revoke_api_token(const std::string& id, int64_t now_ms) override {
    db_.query("UPDATE api_tokens SET revoked = 1, revoked_ms = ?2 WHERE id = ?1 AND revoked = 0")
        .bind_all(id, now_ms)
        .run();
    return db_.changes() > 0;
  }

  void touch_api_token(const std::string& id, int64_t now_ms) override {
    db_.query("UPDATE api_tokens SET last_used_ms = ?2 WHERE id = ?1").bind_all(id, now_ms).run();
  }

  void create_event(const Event& event) override {
    Query q =
        db_.query("INSERT INTO events (" + kEventColumns +
                      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                  {.conflict = "an event with this id already exists"});
    bind_event(q, event);
    q.run();
  }

  std::optional<Event> get_event(const std::string& id) override {
    Query q = db_.query("SELECT " + kEventColumns + " FROM events WHERE id = ?1");
    q.bind_all(id);
    if (!q.step()) return std::nullopt;
    return read_event(q);
  }

  std::vector<Event> list_events(int limit) override {
    std::vector<Event> out;
    if (limit <= 0) return out;
    // id breaks ties so that the order is the same on every call.
    Query q = db_.query("SELECT " + kEventColumns +
                        " FROM events ORDER BY starts_at_ms DESC, id ASC LIMIT ?1");
    q.bind_all(int64_t{limit});
    while (q.step()) out.push_back(read_event(q));
    return out;
  }

  void update_event(const Event& event) override {
    // Every column but id and created_ms, which never change.
    Query q = db_.query(
        "UPDATE events SET title = ?2, description = ?3, starts_at_ms = ?4, ends_at_ms = ?5,"
        " languages = ?6, guests_json = ?7, branding_json = ?8, questions_before = ?9,"
        " late_questions_days = ?10, moderation = ?11, closed = ?12, updated_ms = ?14,"
        " status = ?15, time_zone = ?16"
        " WHERE id = ?1");
    bind_event(q, event);
    q.run();
    if (db_.changes() == 0) throw Error(Code::not_found, "no such event");
  }

  bool delete_event(const std::string& id, const AuditEntry& audit) override {
    Transaction tx(db_);
    // Word filters name their debate as a scope, not by a foreign key.
    db_.query("DELETE FROM word_filters WHERE scope = ?1").bind_all(id).run();
    db_.query("DELETE FROM events WHERE id = ?1").bind_all(id).run();
    if (db_.changes() == 0) return false;
    append_site_audit(audit);
    tx.commit();
    return true;
  }

  std::optional<std::string> site_settings() override {
    Query q = db_.query("SELECT settings_json FROM site_settings WHERE id = 1");
    if (!q.step()) return std::nullopt;
    return q.text(0);
  }

  void put_site_settings(const std::string& json, int64_t now_ms, const AuditEntry& audit) override {
    Transaction tx(db_);
    db_.query("INSERT INTO site_settings (id, settings_json, updated_ms) VALUES (1, ?1, ?2)"
              " ON CONFLICT (id) DO UPDATE SET settings_json = excluded.settings_json,"
              " updated_ms = excluded.updated_ms")
        .bind_all(json, now_ms)
        .run();
    append_site_audit(audit);
    tx.commit();
  }

  void append_site_audit(const AuditEntry& entry) override {
    db_.query("INSERT INTO site_audit (actor, action, target, details_json, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind_all(entry.actor, entry.action, entry.target, entry.details_json, entry.at_ms)
        .run();
  }

  std::vector<AuditEntry> list_site_audit(int limit) override {
    std::vector<AuditEntry> out;
    Query q = db_.query("SELECT id, actor, action, target, details_json, at_ms FROM site_audit"
                        " ORDER BY id DESC LIMIT ?1");
    q.bind_all(int64_t{limit});
    while (q.step())
      out.push_back(AuditEntry{.id = q.int64(0), .event_id = "", .actor = q.text(1), .action = q.text(2),
                               .target = q.text(3), .details_json = q.text(4), .at_ms = q.int64(5)});
    return out;
  }

  std::string create_invite(const std::string& token_hash, const Invite& invite) override {
    std::string id = invite.id.empty() ? ids::new_id("inv_") : invite.id;
    Query q = db_.query(
        "INSERT INTO invites (token_hash, event_id, role, label, created_ms, id, expires_ms)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULLIF(?7, 0))",
        {.conflict = "this invite already exists", .unknown_reference = "no such event"});
    q.bind_all(token_hash, invite.event_id, invite.role, invite.label, invite.created_ms, id,
               invite.expires_ms);
    q.run();
    return id;
  }

  std::optional<Invite> find_invite(const std::string& token_hash) override {
    Query q = db_.query(kInviteSelect + " WHERE i.token_hash = ?1");
    q.bind_all(token_hash);
    if (!q.step()) return std::nullopt;
    return read_invite(q);
  }

  std::optional<Invite> find_invite_by_id(const std::string& id) override {
    Query q = db_.query(kInviteSelect + " WHERE i.id = ?1");
    q.bind_all(id);
    if (!q.step()) return std::nullopt;
    return read_invite(q);
  }

  std::vector<Invite> list_invites(const std::string& event_id) override {
    std::vector<Invite> out;
    Query q = db_.query(kInviteSelect + " WHERE i.event_id = ?1 ORDER BY i.created_ms, i.id");
    q.bind_all(event_id);
    while (q.step()) out.push_back(read_invite(q));
    return out;
  }

  bool revoke_invite(const std::string& event_id, const std::string& id, int64_t now_ms) override {
    db_.query(
           "UPDATE invites SET revoked = 1, revoked_ms = ?3"
           " WHERE event_id = ?1 AND id = ?2 AND revoked = 0")
        .bind_all(event_id, id, now_ms)
        .run();
    return db_.changes() > 0;
  }

  void touch_invite(const std::string& id, int64_t now_ms) override {
    db_.query("UPDATE invites SET last_used_ms = ?2 WHERE id = ?1").bind_all(id, now_ms).run();
  }

  void append_audit(const AuditEntry& entry) override {
    if (entry.stream_id.empty()) {
      db_.query(
             "INSERT INTO audit_log (event_id, actor, action, target, details_json, at_ms)"
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
             {.unknown_reference = "no such event"})
          .bind_all(entry.event_id, entry.actor, entry.action, entry.target, entry.details_json, entry.at_ms)
          .run();
      return;
    }
    db_.query(
           "INSERT INTO audit_log (event_id, actor, action, target, details_json, at_ms, stream_id)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (event_id, stream_id) DO NOTHING",
           {.unknown_reference = "no such event"})
        .bind_all(entry.event_id, entry.actor, entry.action, entry.target, entry.details_json, entry.at_ms,
                  entry.stream_id)
        .run();
  }

  using Store::list_audit;
  std::vector<AuditEntry> list_audit(const std::string& event_id, int limit, const AuditFilter& f) override {
    std::vector<AuditEntry> out;
    if (limit <= 0) return out;
    // Newest first, as the audit view shows it; (event_id, at_ms) is indexed.
    Query q = db_.query(
        "SELECT id, event_id, actor, action, target, details_json, at_ms, COALESCE(stream_id, '') FROM audit_log"
        " WHERE event_id = ?1 AND (?3 = '' OR actor = ?3) AND (?4 = '' OR action = ?4)"
        " AND (?5 = '' OR lower(target || ' ' || actor || ' ' || details_json) LIKE '%' || lower(?6) || '%'"
        " ESCAPE '\\') ORDER BY at_ms DESC, id DESC LIMIT ?2");
    q.bind_all(event_id, int64_t{limit}, f.actor, f.action, f.text, like_literal(f.text));
    while (q.step()) {
      out.push_back(AuditEntry{.id = q.int64(0),
                               .event_id = q.text(1),
                               .actor = q.text(2),
                               .action = q.text(3),
                               .target = q.text(4),
                               .details_json = q.text(5),
                               .at_ms = q.int64(6),
                               .stream_id = q.text(7)});
    }
    return out;
  }

  // The site's logo is kept under the empty debate id (store.hpp).
  static std::string logo_table(const std::string& event_id) {
    return event_id.empty() ? "site_logo" : "event_logos";
  }

  static std::string to_base64(const std::string& bytes) {
    std::string b64(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    b64.resize(std::strlen(b64.c_str()));
    return b64;
  }

  // A row of event_logos, site_logo or guest_photos (same columns); nullopt
  // when there is none or its data does not decode.
  static std::optional<Logo> image_row(Query& q) {
    if (!q.step()) return std::nullopt;
    Logo l{.event_id = q.text(0), .source_url = q.text(1), .content_type = q.text(2), .bytes = {},
           .sha256 = q.text(4), .fetched_ms = q.int64(5)};
    std::string b64 = q.text(3);
    std::string bin(b64.size(), '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), b64.data(), b64.size(), nullptr,
                          &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
      return std::nullopt;
    bin.resize(len);
    l.bytes = std::move(bin);
    return l;
  }

  // event_logos, site_logo and guest_photos have the same columns; a row is
  // replaced when its key (`conflict`) is taken.
  void put_image(const std::string& table, const char* conflict, const Logo& l) {
    db_.query("INSERT INTO " + table + " (event_id, source_url, content_type, data_base64, sha256, fetched_ms)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (" + conflict + ") DO UPDATE SET"
              " source_url = excluded.source_url, content_type = excluded.content_type,"
              " data_base64 = excluded.data_base64, sha256 = excluded.sha256, fetched_ms = excluded.fetched_ms",
              {.unknown_reference = "no such event"})
        .bind_all(l.event_id, l.source_url, l.content_type, to_base64(l.bytes), l.sha256, l.fetched_ms)
        .run();
  }

  void put_logo(const Logo& l) override { put_image(logo_table(l.event_id), "event_id", l); }

  std::optional<Logo> get_logo(const std::string& event_id) override {
    Query q = db_.query(
        "SELECT event_id, source_url, content_type, data_base64, sha256, fetched_ms FROM " +
        logo_table(event_id) + " WHERE event_id = ?1");
    q.bind_all(event_id);
    return image_row(q);
  }

  void put_guest_photo(const Logo& p) override { put_image("guest_photos", "event_id, source_url", p); }

  std::optional<Logo> get_guest_photo(const std::string& event_id, const std::string& source_url) override {
    Query q = db_.query(
        "SELECT event_id, source_url, content_type, data_base64, sha256, fetched_ms FROM guest_photos"
        " WHERE event_id = ?1 AND source_url = ?2");
    q.bind_all(event_id, source_url);
    return image_row(q);
  }

  void keep_guest_photos(const std::string& event_id, const std::vector<std::string>& kept) override {
    Transaction tx(db_);
    std::vector<std::string> stored;
    {
      Query q = db_.query("SELECT source_url FROM guest_photos WHERE event_id = ?1");
      q.bind_all(event_id);
      while (q.step()) stored.push_back(q.text(0));
    }
    for (const auto& url : stored)
      if (std::find(kept.begin(), kept.end(), url) == kept.end())
        db_.query("DELETE FROM guest_photos WHERE event_id = ?1 AND source_url = ?2").bind_all(event_id, url).run();
    tx.commit();
  }

  int blank_audit_details(const std::string& event_id, const std::vector<std::string>& actions) override {
    int changed = 0;
    for (const auto& action : actions) {
      db_.query("UPDATE audit_log SET details_json = '{}' WHERE event_id = ?1 AND action = ?2"
                " AND details_json <> '{}'")
          .bind_all(event_id, action)
          .run();
      changed += db_.changes();
    }
    return changed;
  }

  int blank_audit_details_of(const std::string& event_id, const std::string& target) override {
    db_.query("UPDATE audit_log SET details_json = '{}' WHERE event_id = ?1 AND target = ?2"
              " AND details_json <> '{}'")
        .bind_all(event_id, target)
        .run();
    return db_.changes();
  }

  bool rewrite_archived_message(const std::string& event_id, const std::string& cursor,
                                const std::string& data_json) override {
    db_.query("UPDATE archived_messages SET data_json = ?3 WHERE event_id = ?1 AND cursor = ?2")
        .bind_all(event_id, cursor, data_json)
        .run();
    return db_.changes() > 0;
  }

  void archive_message(const ArchivedMessage& m) override {
    // The same frame may be archived twice (a retried publication): the
    // first copy wins.
    db_.query(
           "INSERT INTO archived_messages (event_id, cursor, type, data_json, at_ms)"
           " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (event_id, cursor) DO NOTHING",
           {.unknown_reference = "no such event"})
        .bind_all(m.event_id, m.cursor, m.type, m.data_json, m.at_ms)
        .run();
  }

  std::vector<ArchivedMessage> archived_messages(const std::string& event_id) override {
    std::vector<ArchivedMessage> out;
    Query q = db_.query(
        "SELECT event_id, cursor, type, data_json, at_ms FROM archived_messages"
        " WHERE event_id = ?1");
    q.bind_all(event_id);
    while (q.step()) {
      out.push_back(ArchivedMessage{.event_id = q.text(0),
                                    .cursor = q.text(1),
                                    .type = q.text(2),
                                    .data_json = q.text(3),
                                    .at_ms = q.int64(4)});
    }
    // Sorted here rather than in SQL: stream ids order by number, not text.
    std::sort(out.begin(), out.end(), [](const ArchivedMessage& a, const ArchivedMessage& b) {
      return cursor_less(a.cursor, b.cursor);
    });
    return out;
  }

  void create_prepared_answer(const PreparedAnswer& a, const AuditEntry& audit) override {
    Transaction tx(db_);
    db_.query(
           "INSERT INTO prepared_answers (id, event_id, title, text, lang, created_by, created_ms, updated_ms)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
           {.conflict = "a prepared answer with this id already exists", .unknown_reference = "no such event"})
        .bind_all(a.id, a.event_id, a.title, a.text, a.lang, a.created_by, a.created_ms, a.updated_ms)
        .run();
    append_audit(audit);
    tx.commit();
  }

  std::vector<PreparedAnswer> list_prepared_answers(const std::string& event_id) override {
    std::vector<PreparedAnswer> out;
    Query q = db_.query(kPreparedSelect + " WHERE event_id = ?1 ORDER BY created_ms, id");
    q.bind_all(event_id);
    while (q.step()) out.push_back(read_prepared(q));
    return out;
  }

  std::optional<PreparedAnswer> get_prepared_answer(const std::string& event_id, const std::string& id) override {
    Query q = db_.query(kPreparedSelect + " WHERE event_id = ?1 AND id = ?2");
    q.bind_all(event_id, id);
    if (!q.step()) return std::nullopt;
    return read_prepared(q);
  }

  bool update_prepared_answer(const PreparedAnswer& a, const AuditEntry& audit) override {
    Transaction tx(db_);
    db_.query("UPDATE prepared_answers SET title = ?3, text = ?4, lang = ?5, updated_ms = ?6"
              " WHERE event_id = ?1 AND id = ?2")
        .bind_all(a.event_id, a.id, a.title, a.text, a.lang, a.updated_ms)
        .run();
    if (db_.changes() == 0) return false;
    append_audit(audit);
    tx.commit();
    return true;
  }

  bool remove_prepared_answer(const std::string& event_id, const std::string& id, const AuditEntry& audit) override {
    Transaction tx(db_);
    db_.query("DELETE FROM prepared_answers WHERE event_id = ?1 AND id = ?2").bind_all(event_id, id).run();
    if (db_.changes() == 0) return false;
    append_audit(audit);
    tx.commit();
    return true;
  }

  std::vector<WordFilterRow> word_filters(const std::string& scope) override {
    std::vector<WordFilterRow> out;
    Query q = db_.query("SELECT pattern, lang FROM word_filters WHERE scope = ?1 ORDER BY position");
    q.bind_all(scope);
    while (q.step()) out.push_back({q.text(0), q.text(1)});
    return out;
  }

  void replace_word_filters(const std::string& scope, const std::vector<WordFilterRow>& filters,
                            const std::optional<AuditEntry>& audit) override {
    Transaction tx(db_);
    db_.query("DELETE FROM word_filters WHERE scope = ?1").bind_all(scope).run();
    int64_t position = 0;
    for (const auto& f : filters) {
      db_.query("INSERT INTO word_filters (scope, position, pattern, lang) VALUES (?1, ?2, ?3, ?4)")
          .bind_all(scope, position++, f.pattern, f.lang)
          .run();
    }
    if (audit) append_audit(*audit);
    tx.commit();
  }

  // E-mail reminders: store/sql/reminders.hpp.
  bool subscribe_reminder(const Reminder& r, int64_t resend_before_ms) override {
    return sql::subscribe_reminder<Backend>(db_, r, resend_before_ms);
  }
  std::optional<Reminder> find_reminder(const std::string& token_hash) override {
    return sql::find_reminder<Backend>(db_, token_hash);
  }
  bool confirm_reminder(const std::string& confirm_hash, int64_t now_ms) override {
    return sql::confirm_reminder<Backend>(db_, confirm_hash, now_ms);
  }
  bool delete_reminder_by_token(const std::string& token_hash) override {
    return sql::delete_reminder_by_token<Backend>(db_, token_hash);
  }
  std::vector<DueReminderMail> due_reminder_mails(int64_t now_ms, int64_t lead_ms, int limit) override {
    return sql::due_reminder_mails<Backend>(db_, now_ms, lead_ms, limit);
  }
  bool claim_reminder_mail(int64_t id, ReminderMail kind, int64_t now_ms, int64_t lead_ms, int64_t claim_until_ms,
                           const std::string& confirm_hash, const std::string& unsubscribe_hash) override {
    return sql::claim_reminder_mail<Backend>(db_, id, kind, now_ms, lead_ms, claim_until_ms, confirm_hash,
                                       unsubscribe_hash);
  }
  void confirmation_sent(int64_t id, int64_t now_ms) override { sql::confirmation_sent<Backend>(db_, id, now_ms); }
  void reminder_mail_failed(int64_t id, int64_t next_attempt_ms) override {
    sql::reminder_mail_failed<Backend>(db_, id, next_attempt_ms);
  }
  void delete_reminder(int64_t id) override { sql::delete_reminder<Backend>(db_, id); }
  int purge_reminders(int64_t now_ms, int64_t unconfirmed_before_ms) override {
    return sql::purge_reminders<Backend>(db_, now_ms, unconfirmed_before_ms);
  }

 private:
  static inline const std::string kPreparedSelect =
      "SELECT id, event_id, title, text, lang, created_by, created_ms, updated_ms FROM prepared_answers";

  static PreparedAnswer read_prepared(const Query& q) {
    return PreparedAnswer{.id = q.text(0),
                          .event_id = q.text(1),
                          .title = q.text(2),
                          .text = q.text(3),
                          .lang = q.text(4),
                          .created_by = q.text(5),
                          .created_ms = q.int64(6),
                          .updated_ms = q.int64(7)};
  }

  Connection db_;
};
}  // namespace palabre::store::sql
