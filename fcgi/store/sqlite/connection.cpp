#include "store/sqlite/connection.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <utility>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/log.hpp"

namespace palabre::store::sqlite {

void throw_error(sqlite3* db, int rc, std::string_view operation, const Messages& messages) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      throw Error(Code::conflict, std::string(messages.conflict));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      throw Error(Code::not_found, std::string(messages.unknown_reference));
    default:
      break;
  }
  // The message is read before anything else touches the handle; db may be
  // null when sqlite3_open_v2 could not even allocate one.
  // SQLite's message names tables and constraints: it goes to the log, and
  // clients get a sentence.
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  log::warn("sql store error", {{"operation", std::string(operation)},
                                {"sqlite_code", std::to_string(rc)},
                                {"detail", detail}});
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    // CHECK or NOT NULL: a value the schema refuses (e.g. an invite role).
    throw Error(Code::invalid_field, "a value was refused by the store");
  }
  throw Error(Code::store_unavailable, "the SQL store is unavailable");
}

Query::Query(sqlite3* db, sqlite3_stmt* stmt, bool* in_use, Messages messages)
    : db_(db), stmt_(stmt), in_use_(in_use), messages_(messages) {
  *in_use_ = true;
}

Query::Query(Query&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      messages_(other.messages_) {}

Query::~Query() {
  if (!stmt_) return;
  // sqlite3_reset repeats the last step's error, which was already thrown.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

void Query::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw_error(db_, rc, sqlite3_sql(stmt_), messages_);
}

void Query::bind(int index, std::string_view value) {
  // A null data pointer would bind NULL, not "": pass a valid one.
  int rc = sqlite3_bind_text64(stmt_, index, value.empty() ? "" : value.data(), value.size(),
                               SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) throw_error(db_, rc, sqlite3_sql(stmt_), messages_);
}

bool Query::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_error(db_, rc, sqlite3_sql(stmt_), messages_);
}

void Query::run() {
  while (step()) {
  }
}

int64_t Query::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Query::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!data) return {};
  return std::string(data, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

namespace {
// The database holds accounts, invites and the audit log: readable by its
// owner and group (backups), by no one else. SQLite gives its -wal and -shm
// files the database file's mode, so creating it 0640 covers them too.
void create_private(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd >= 0) ::close(fd);
}
}  // namespace

Connection Connection::open(const std::string& path) {
  create_private(path);
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // sqlite3_open_v2 returns a handle even on failure; it must be closed too.
  DbPtr db(raw);
  if (rc != SQLITE_OK) throw_error(db.get(), rc, "open");
  sqlite3_extended_result_codes(db.get(), 1);  // tells UNIQUE from FOREIGNKEY
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);

  Connection connection(std::move(db));
  connection.exec_script("PRAGMA foreign_keys = ON;");
  // WAL lets the accept threads read while one of them writes. The mode is
  // stored in the file, so this only does work on the first open.
  std::string journal = connection.switch_to_wal();
  if (journal != "wal" && journal != "memory")  // e.g. a file system without shared memory
    log::warn("sql store is not in WAL mode", {{"journal_mode", journal}});
  // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit
  // survives the worker being killed, only an OS crash or power loss can
  // take back the last ones. Each publish writes the archive and the audit
  // log; an fsync for each was the largest part of a moderator's wait.
  connection.exec_script("PRAGMA synchronous = NORMAL;");
  return connection;
}

std::string Connection::switch_to_wal() {
  // Switching needs an exclusive lock, and SQLite answers SQLITE_BUSY at once,
  // without its busy handler, while another connection is opening the same
  // new file (several accept threads start together): retry for as long as
  // the busy timeout would have waited.
  const int64_t deadline = monotonic_ms() + kBusyTimeoutMs;
  constexpr std::string_view kSql = "PRAGMA journal_mode = WAL";
  for (;;) {
    sqlite3_stmt* raw = nullptr;
    int rc =
        sqlite3_prepare_v2(db_.get(), kSql.data(), static_cast<int>(kSql.size()), &raw, nullptr);
    StmtPtr stmt(raw);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_ROW) return reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
    if (rc != SQLITE_BUSY || monotonic_ms() >= deadline) throw_error(db_.get(), rc, kSql);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Query Connection::query(const std::string& sql, Messages messages) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size() + 1),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    StmtPtr stmt(raw);
    if (rc != SQLITE_OK) throw_error(db_.get(), rc, sql);
    it = statements_.emplace(sql, Cached{std::move(stmt), false}).first;
  }
  if (it->second.in_use) throw Error(Code::internal_error, "statement used twice at once: " + sql);
  return Query(db_.get(), it->second.stmt.get(), &it->second.in_use, messages);
}

void Connection::exec_script(std::string_view sql) {
  const char* next = sql.data();
  const char* end = sql.data() + sql.size();
  while (next < end) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), next, static_cast<int>(end - next), &raw, &tail);
    StmtPtr stmt(raw);
    if (rc != SQLITE_OK) throw_error(db_.get(), rc, "script");
    next = tail;
    if (!stmt) continue;  // only white space or a comment was left
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) throw_error(db_.get(), rc, sqlite3_sql(stmt.get()));
  }
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.exec_script("BEGIN IMMEDIATE;");
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    connection_.exec_script("ROLLBACK;");
  } catch (const Error&) {
    // SQLite may already have rolled back (after SQLITE_FULL, SQLITE_IOERR,
    // ...); there is nothing more to undo.
  }
}

void Transaction::commit() {
  connection_.exec_script("COMMIT;");
  done_ = true;
}

}  // namespace palabre::store::sqlite
