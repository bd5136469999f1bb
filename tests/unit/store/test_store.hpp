// The store the store suites run against: a private SQLite database in
// memory, or the PostgreSQL database named by PALABRE_TEST_DATABASE_URL
// (set by tests/support/with-postgres for the ctest entry unit-postgres),
// emptied before each test so that every test starts from a fresh schema.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "core/error.hpp"

#include "store/postgres/connection.hpp"
#include "store/store.hpp"

namespace palabre::store {

inline std::string test_database_url() {
  const char* url = std::getenv("PALABRE_TEST_DATABASE_URL");
  return url ? url : "";
}

// Migrated, and empty of rows.
inline std::unique_ptr<Store> open_test_store() {
  const std::string url = test_database_url();
  std::unique_ptr<Store> store;
  if (url.empty()) {
    store = open_sqlite(":memory:");
  } else {
    postgres::Connection::open(url).exec_script("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
    store = open_postgres(url);
  }
  store->migrate();
  return store;
}

// A published debate with what every store case needs set, from start_ms
// to end_ms.
inline Event plain_event(const std::string& id, int64_t start_ms = 1000, int64_t end_ms = 2000) {
  Event e;
  e.id = id;
  e.title = "Débat";
  e.starts_at_ms = start_ms;
  e.ends_at_ms = end_ms;
  e.languages = {"fr"};
  e.created_ms = e.updated_ms = 1000;
  return e;
}

// The code of the palabre::Error that `f` throws, by name so that a failed
// check prints it.
inline std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(code_name(e.code()));
  }
  return "(nothing thrown)";
}

// Boost.Test precondition of the cases that need a PostgreSQL server.
struct PostgresConfigured {
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    return !test_database_url().empty();
  }
};

}  // namespace palabre::store
