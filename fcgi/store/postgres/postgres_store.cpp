// palabre::store::Store on PostgreSQL: the shared SQL
// (store/sql/sql_store.hpp) on a postgres::Connection.
#include "store/postgres/connection.hpp"
#include "store/postgres/migrate.hpp"
#include "store/sql/sql_store.hpp"

namespace palabre::store {
namespace {
struct PostgresBackend {
  using Connection = postgres::Connection;
  using Query = postgres::Query;
  using Transaction = postgres::Transaction;
  static int apply_migrations(Connection& c, const std::vector<Migration>& m, int64_t now_ms) {
    return postgres::apply_migrations(c, m, now_ms);
  }
};
}  // namespace

std::unique_ptr<Store> open_postgres(const std::string& url) {
  return std::make_unique<sql::SqlStore<PostgresBackend>>(postgres::Connection::open(url));
}

}  // namespace palabre::store
