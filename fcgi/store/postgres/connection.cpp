#include "store/postgres/connection.hpp"

#include <charconv>
#include <utility>

#include "core/error.hpp"
#include "core/log.hpp"

namespace palabre::store::postgres {
namespace {
// Type OIDs of the parameters we send (server/catalog/pg_type_d.h, stable).
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;

// Advisory lock keys: the first of the two int4 keys says "Palabre" so that
// another application sharing the database does not collide with them.
constexpr int kAdvisoryKeySpace = 0x50616c61;  // "Pala"

// SQLite's ?N becomes PostgreSQL's $N; a '?' inside a quoted literal or
// identifier stays (the store's SQL has none, but a pattern may one day).
std::string numbered_parameters(std::string_view sql) {
  std::string out(sql);
  char quote = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?' && i + 1 < out.size() && out[i + 1] >= '0' && out[i + 1] <= '9') {
      out[i] = '$';
    }
  }
  return out;
}

std::string field(const PGresult* result, int code) {
  const char* value = result ? PQresultErrorField(result, code) : nullptr;
  return value ? value : "";
}

bool succeeded(const PGresult* result) {
  if (!result) return false;
  ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

int changed_rows(const PGresult* result) {
  const char* tuples = PQcmdTuples(const_cast<PGresult*>(result));
  int n = 0;
  if (tuples && *tuples) std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), n);
  return n;
}
}  // namespace

Connection Connection::open(const std::string& url) {
  // Defaults first: the URL's own values, expanded from "dbname", override
  // them. No password keyword: libpq reads its password file itself.
  // A server host that vanishes (power cut, network partition) answers
  // nothing, not even a reset: without a TCP bound a statement in flight
  // would hold its accept thread for the kernel's ~15 minutes of
  // retransmissions, and an idle session would be found dead only when used.
  const char* keys[] = {"connect_timeout",    "tcp_user_timeout",  "keepalives_idle", "keepalives_interval",
                        "keepalives_count",   "application_name", "dbname",          nullptr};
  const std::string tcp_user_timeout = std::to_string(kTcpUserTimeoutMs);
  const char* values[] = {"5", tcp_user_timeout.c_str(), "30", "10", "3", "palabre", url.c_str(), nullptr};
  ConnPtr conn(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (!conn) throw Error(Code::store_unavailable, "the SQL store is unavailable");
  // Notices (a ROLLBACK with nothing to roll back) would go to stderr.
  PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
  Connection connection(std::move(conn));
  if (PQstatus(connection.conn_.get()) != CONNECTION_OK) connection.fail(nullptr, "connect", {});
  connection.configure_session();
  return connection;
}

void Connection::configure_session() {
  // Session settings are lost with the session: set again after each reset.
  exec_script("SET lock_timeout = " + std::to_string(kLockTimeoutMs) +
              "; SET statement_timeout = " + std::to_string(kStatementTimeoutMs));
}

void Connection::ensure_connected() {
  if (PQstatus(conn_.get()) == CONNECTION_OK) return;
  if (in_transaction_) fail(nullptr, "transaction", {});
  prepared_.clear();
  PQreset(conn_.get());
  if (PQstatus(conn_.get()) != CONNECTION_OK) fail(nullptr, "reconnect", {});
  log::info("sql store reconnected");
  configure_session();
}

void Connection::fail(const PGresult* result, std::string_view operation, const Messages& messages) {
  const std::string state = field(result, PG_DIAG_SQLSTATE);
  if (state == "23505") throw Error(Code::conflict, std::string(messages.conflict));
  if (state == "23503") throw Error(Code::not_found, std::string(messages.unknown_reference));
  // The primary message names tables and constraints, not the values (the
  // DETAIL line would): it goes to the log, and clients get a sentence.
  std::string detail = result ? field(result, PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(conn_.get());
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  log::warn("sql store error",
            {{"operation", std::string(operation)}, {"sqlstate", state}, {"detail", detail}});
  if (state.starts_with("23") || state.starts_with("22")) {
    // CHECK, NOT NULL, a NUL byte or invalid UTF-8: a value the schema refuses.
    throw Error(Code::invalid_field, "a value was refused by the store");
  }
  throw Error(Code::store_unavailable, "the SQL store is unavailable");
}

ResultPtr Connection::execute(const std::string& sql, const std::vector<std::string>& values,
                              const std::vector<Oid>& types, const Messages& messages) {
  ensure_connected();
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "palabre_" + std::to_string(prepared_.size() + 1);
    ResultPtr prepared(PQprepare(conn_.get(), name.c_str(), numbered_parameters(sql).c_str(),
                                 static_cast<int>(types.size()), types.data()));
    if (!succeeded(prepared.get())) fail(prepared.get(), sql, messages);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> params;
  params.reserve(values.size());
  for (const std::string& v : values) params.push_back(v.c_str());
  ResultPtr result(PQexecPrepared(conn_.get(), it->second.c_str(), static_cast<int>(params.size()),
                                  params.data(), nullptr, nullptr, /*resultFormat=*/0));
  if (!succeeded(result.get())) fail(result.get(), sql, messages);
  changes_ = changed_rows(result.get());
  return result;
}

Query Connection::query(const std::string& sql, Messages messages) { return Query(*this, sql, messages); }

void Connection::exec_script(std::string_view sql) {
  ensure_connected();
  ResultPtr result(PQexec(conn_.get(), std::string(sql).c_str()));
  // With several statements, the result is the last one's; an error stops
  // the script and is what PQexec returns.
  if (!succeeded(result.get())) fail(result.get(), "script", {});
  changes_ = changed_rows(result.get());
}

Query::Query(Connection& connection, const std::string& sql, Messages messages)
    : connection_(&connection), sql_(sql), messages_(messages) {}

void Query::set(int index, std::string value, Oid type) {
  if (index < 1) throw Error(Code::internal_error, "parameter index from 1: " + sql_);
  auto slot = static_cast<size_t>(index);
  if (values_.size() < slot) {
    values_.resize(slot);
    types_.resize(slot, kTextOid);
  }
  values_[slot - 1] = std::move(value);
  types_[slot - 1] = type;
}

void Query::bind(int index, int64_t value) { set(index, std::to_string(value), kInt8Oid); }

void Query::bind(int index, std::string_view value) { set(index, std::string(value), kTextOid); }

bool Query::step() {
  if (!result_) {
    result_ = connection_->execute(sql_, values_, types_, messages_);
    row_ = -1;
  }
  return ++row_ < PQntuples(result_.get());
}

void Query::run() {
  if (!result_) step();
}

int64_t Query::int64(int column) const {
  if (PQgetisnull(result_.get(), row_, column)) return 0;
  const char* value = PQgetvalue(result_.get(), row_, column);
  int64_t n = 0;
  std::from_chars(value, value + PQgetlength(result_.get(), row_, column), n);
  return n;
}

std::string Query::text(int column) const {
  if (PQgetisnull(result_.get(), row_, column)) return {};
  return std::string(PQgetvalue(result_.get(), row_, column),
                     static_cast<size_t>(PQgetlength(result_.get(), row_, column)));
}

Transaction::Transaction(Connection& connection, TransactionLock lock) : connection_(connection) {
  std::string begin = "BEGIN;";
  // A migration may rewrite a large table: no statement bound, only a
  // longer wait for the runner that holds the lock.
  if (lock == TransactionLock::migrations) begin += " SET LOCAL lock_timeout = 30000; SET LOCAL statement_timeout = 0;";
  begin += " SELECT pg_advisory_xact_lock(" + std::to_string(kAdvisoryKeySpace) + ", " +
           std::to_string(static_cast<int>(lock)) + ");";
  connection_.ensure_connected();
  connection_.in_transaction_ = true;
  try {
    connection_.exec_script(begin);
  } catch (...) {
    rollback();  // the BEGIN ran even when the lock timed out
    throw;
  }
}

Transaction::~Transaction() {
  if (!done_) rollback();
}

void Transaction::rollback() noexcept {
  done_ = true;
  connection_.in_transaction_ = false;
  // A broken session was rolled back by the server with the session.
  if (PQstatus(connection_.conn_.get()) != CONNECTION_OK) return;
  try {
    connection_.exec_script("ROLLBACK;");
  } catch (const Error&) {
  }
}

void Transaction::commit() {
  connection_.exec_script("COMMIT;");
  done_ = true;
  connection_.in_transaction_ = false;
}

}  // namespace palabre::store::postgres
