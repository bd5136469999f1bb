// palabre::store::Store on SQLite: the shared SQL (store/sql/sql_store.hpp)
// on a sqlite::Connection.
#include "store/sql/sql_store.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/migrate.hpp"

namespace palabre::store {
namespace {
struct SqliteBackend {
  using Connection = sqlite::Connection;
  using Query = sqlite::Query;
  using Transaction = sqlite::Transaction;
  static int apply_migrations(Connection& c, const std::vector<Migration>& m, int64_t now_ms) {
    return sqlite::apply_migrations(c, m, now_ms);
  }
};
}  // namespace

std::unique_ptr<Store> open_sqlite(const std::string& path) {
  return std::make_unique<sql::SqlStore<SqliteBackend>>(sqlite::Connection::open(path));
}

}  // namespace palabre::store
