// RAII owners for libpq handles, with the same surface as store/sqlite/'s
// Connection, Query and Transaction, so that the store's SQL
// (store/sql/sql_store.hpp) runs unchanged on either.
//
// Ownership: a Connection owns one PGconn* (closed with PQfinish) and the
// names of the statements it prepared on the server; a Query owns the
// PGresult* of its one execution (freed with PQclear).
//
// Threads: a connection belongs to one thread at a time, like the Store that
// owns it (libpq connections are not thread-safe). Never use it from the hub
// thread.
//
// Statements are written with SQLite's ?N parameters, which are sent as
// PostgreSQL's $N; each is prepared once per server session and every value
// goes as a typed parameter (int8 or text), never inside the SQL text.
//
// Broken connections: a connection that is not usable (the server restarted,
// a network cut) is reset before the next statement; when that fails, or a
// statement fails because the connection broke, the call throws
// Code::store_unavailable. A statement is never sent twice: the server may
// have run it before the connection broke.
//
// Errors: every failure throws palabre::Error. SQLSTATE 23505 (unique) is
// Code::conflict, 23503 (foreign key) Code::not_found, another integrity
// violation or a value the server refuses (class 22) Code::invalid_field,
// anything else (server down, lock timeout, a missing table)
// Code::store_unavailable, logged at warn with the SQLSTATE and the server's
// primary message. Parameter values are never logged.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/messages.hpp"

namespace palabre::store::postgres {

struct ConnFinish {
  void operator()(PGconn* conn) const noexcept { PQfinish(conn); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnFinish>;

struct ResultClear {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultClear>;

class Connection;

// One execution of a statement: parameters are bound by position (?1, ?2,
// ...) and copied, the statement runs at the first step(). Move-only.
class Query {
 public:
  Query(Connection& connection, const std::string& sql, Messages messages);
  Query(Query&&) noexcept = default;
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  void bind(int index, int64_t value);
  void bind(int index, std::string_view value);
  template <typename... Args>
  Query& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Runs the statement on the first call; true while a row is available.
  bool step();
  // Runs to completion, ignoring any rows.
  void run();

  // Columns of the current row, from 0. NULL reads as 0 or "".
  int64_t int64(int column) const;
  std::string text(int column) const;

 private:
  void set(int index, std::string value, Oid type);

  Connection* connection_;
  std::string sql_;
  Messages messages_;
  std::vector<std::string> values_;
  std::vector<Oid> types_;
  ResultPtr result_;
  int row_ = -1;
};

class Connection {
 public:
  // Connects with a libpq connection string or URI
  // (postgresql://user@host:port/db?...). A password, when one is needed,
  // comes from libpq's password file (~/.pgpass or PGPASSFILE, or passfile=
  // in the URI), never from Palabre's settings. Throws
  // Error(store_unavailable) when the server cannot be reached.
  static Connection open(const std::string& url);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  // `sql` is one statement with ?N parameters, prepared on the server once
  // per session.
  Query query(const std::string& sql, Messages messages = {});

  // Runs a script of statements without parameters (migrations, BEGIN,
  // COMMIT) with the simple query protocol; not prepared.
  void exec_script(std::string_view sql);

  // Rows changed by the last INSERT/UPDATE/DELETE.
  int changes() const { return changes_; }

  // How long a statement waits for a lock (a row another connection is
  // writing, the write lock of Transaction) before failing with
  // store_unavailable: the same bound as SQLite's busy timeout.
  static constexpr int kLockTimeoutMs = 2000;
  // How long one statement may run before the server cancels it
  // (store_unavailable): far above any of the store's statements on a
  // healthy server, so that only a sick one (I/O stalls, a runaway plan)
  // reaches it, and an accept thread is back within it. Migrations have none.
  static constexpr int kStatementTimeoutMs = 15000;
  // How long sent data may stay unacknowledged by the server's host before
  // the connection is given up (store_unavailable); libpq's default is the
  // kernel's, about 15 minutes.
  static constexpr int kTcpUserTimeoutMs = 10000;

 private:
  friend class Query;
  friend class Transaction;
  explicit Connection(ConnPtr conn) : conn_(std::move(conn)) {}
  // Resets a connection that is no longer usable (and forgets what was
  // prepared on the old session); throws store_unavailable if it stays so.
  void ensure_connected();
  void configure_session();
  // Runs a prepared statement; throws on failure.
  ResultPtr execute(const std::string& sql, const std::vector<std::string>& values,
                    const std::vector<Oid>& types, const Messages& messages);
  [[noreturn]] void fail(const PGresult* result, std::string_view operation, const Messages& messages);

  ConnPtr conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  int changes_ = 0;
  // Inside a Transaction a broken session is not reset: the statements
  // after it would run outside the transaction.
  bool in_transaction_ = false;
};

// Which transaction-scoped advisory lock a Transaction takes.
enum class TransactionLock {
  // Every read-then-write transaction of the store: one at a time across
  // workers and hosts, as SQLite's BEGIN IMMEDIATE gives one writer at a
  // time, so that the store's transactions are correct on both without
  // retrying serialization failures. Single statements do not take it.
  writes = 1,
  // The migration runner (postgres/migrate.hpp); waits up to 30 s, as a
  // start-up may wait for another host's migration.
  migrations = 2,
};

// BEGIN plus the advisory lock; rolls back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& connection, TransactionLock lock = TransactionLock::writes);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  void rollback() noexcept;

  Connection& connection_;
  bool done_ = false;
};

}  // namespace palabre::store::postgres
