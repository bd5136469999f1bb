#include "store/sqlite/migrate.hpp"

#include <set>
#include <string>

#include "core/log.hpp"

namespace palabre::store::sqlite {
namespace {
// Repeated from sql/0001_init.sql: the runner must read this table before the
// first migration has created it.
constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL);";

// Another process may be running a long migration; waiting for it beats
// failing a start-up. Restores the usual timeout on the way out.
class PatientWaits {
 public:
  explicit PatientWaits(Connection& connection) : connection_(connection) {
    connection_.set_busy_timeout_ms(30'000);
  }
  ~PatientWaits() { connection_.set_busy_timeout_ms(Connection::kBusyTimeoutMs); }
  PatientWaits(const PatientWaits&) = delete;
  PatientWaits& operator=(const PatientWaits&) = delete;

 private:
  Connection& connection_;
};

std::set<int64_t> applied_versions(Connection& connection) {
  std::set<int64_t> versions;
  Query q = connection.query("SELECT version FROM schema_migrations");
  while (q.step()) versions.insert(q.int64(0));
  return versions;
}

bool is_applied(Connection& connection, int version) {
  Query q = connection.query("SELECT 1 FROM schema_migrations WHERE version = ?1");
  q.bind_all(int64_t{version});
  return q.step();
}
}  // namespace

int apply_migrations(Connection& connection, const std::vector<Migration>& migrations,
                     int64_t now_ms) {
  PatientWaits patient(connection);
  connection.exec_script(kCreateTable);
  std::set<int64_t> applied = applied_versions(connection);
  int count = 0;
  for (const Migration& m : migrations) {
    if (applied.contains(m.version)) continue;
    Transaction tx(connection);
    // Another process may have applied it since the SELECT above; now that
    // this one holds the write lock, the answer cannot change.
    if (is_applied(connection, m.version)) continue;
    connection.exec_script(m.sql);
    connection.query("INSERT INTO schema_migrations (version, applied_ms) VALUES (?1, ?2)")
        .bind_all(int64_t{m.version}, now_ms)
        .run();
    tx.commit();
    ++count;
    log::info("applied migration", {{"version", std::to_string(m.version)}, {"name", m.name}});
  }
  return count;
}

}  // namespace palabre::store::sqlite
