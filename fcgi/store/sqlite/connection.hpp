// RAII owners for SQLite handles and the few helpers every query uses.
//
// Ownership: a Connection owns one sqlite3* (closed with sqlite3_close_v2)
// and its cache of prepared statements (each finalized with sqlite3_finalize
// before the connection closes). A Query borrows one cached statement for one
// execution and resets it when destroyed, so that a statement kept in the
// cache never holds a read transaction open (which would stall WAL
// checkpoints).
//
// Threads: the connection is opened in SQLite's multi-thread mode
// (SQLITE_OPEN_NOMUTEX): it belongs to one thread at a time, like the Store
// that owns it. Never use it from the hub thread.
//
// Errors: every failure throws palabre::Error. A unique or primary-key
// violation is Code::conflict, a foreign-key violation Code::not_found (the
// row refers to an unknown event or account), another constraint
// Code::invalid_field, and anything else (busy past the timeout, I/O, a file
// that is not a database, a missing table) Code::store_unavailable, logged at
// warn with SQLite's own message. Parameter values are never logged.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/messages.hpp"

namespace palabre::store::sqlite {

struct DbClose {
  // _v2: if a statement were still alive the handle becomes a zombie and is
  // freed with the last statement, instead of failing with SQLITE_BUSY.
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbClose>;

struct StmtFinalize {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

// Throws the palabre::Error matching SQLite result code `rc` (see above).
[[noreturn]] void throw_error(sqlite3* db, int rc, std::string_view operation,
                              const Messages& messages = {});

// One execution of a prepared statement. Parameters are bound by position
// (?1, ?2, ...); text is copied by SQLite (SQLITE_TRANSIENT), so arguments
// need not outlive the call. Move-only; resets the statement on destruction.
class Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* stmt, bool* in_use, Messages messages);
  Query(Query&& other) noexcept;
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query();

  void bind(int index, int64_t value);
  void bind(int index, std::string_view value);
  template <typename... Args>
  Query& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Runs to the next row: true when a row is available, false when done.
  bool step();
  // Runs to completion, ignoring any rows.
  void run();

  // Columns of the current row, from 0. NULL reads as 0 or "".
  int64_t int64(int column) const;
  std::string text(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;
  Messages messages_;
};

class Connection {
 public:
  // Opens or creates `path` (":memory:" for a private in-memory database),
  // with foreign keys on, WAL journal and a busy timeout of kBusyTimeoutMs.
  // Throws Error(store_unavailable).
  static Connection open(const std::string& path);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  // A statement prepared once per connection and kept for its lifetime
  // (a handful of distinct statements, prepared in microseconds, but the
  // worker runs them on every request). `sql` is one statement with ?N
  // parameters. A statement may not be used by two live Queries at once:
  // that is a bug and throws Error(internal_error).
  Query query(const std::string& sql, Messages messages = {});

  // Runs a script of statements without parameters (migrations, PRAGMAs,
  // BEGIN/COMMIT), not cached.
  void exec_script(std::string_view sql);

  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int changes() const { return sqlite3_changes(db_.get()); }

  // How long a statement waits for another connection's write lock before
  // failing with store_unavailable.
  void set_busy_timeout_ms(int ms) { sqlite3_busy_timeout(db_.get(), ms); }
  static constexpr int kBusyTimeoutMs = 2000;

 private:
  explicit Connection(DbPtr db) : db_(std::move(db)) {}
  // Returns the journal mode now in force ("wal", or "memory" for :memory:).
  std::string switch_to_wal();

  struct Cached {
    StmtPtr stmt;
    bool in_use = false;
  };
  // Declared after db_ so that statements are finalized before the close.
  DbPtr db_;
  std::unordered_map<std::string, Cached> statements_;
};

// BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy
// timeout), so that a read-then-write inside the transaction cannot fail
// half-way with SQLITE_BUSY; rolls back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace palabre::store::sqlite
