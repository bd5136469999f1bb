// Applies schema migrations to a SQLite connection.
//
// Each migration not yet listed in schema_migrations runs inside its own
// BEGIN IMMEDIATE transaction together with the row that records it, so a
// failed migration leaves nothing behind, and of two processes migrating at
// once the second waits for the write lock (up to the busy timeout), sees the
// row and skips. Calling it again is cheap: one SELECT when nothing is due.
//
// Threads: whoever owns the connection. Errors: as Connection (a migration
// with bad SQL is Error(store_unavailable), logged with SQLite's message).
#pragma once

#include <cstdint>
#include <vector>

#include "store/migrations.hpp"
#include "store/sqlite/connection.hpp"

namespace palabre::store::sqlite {

// Returns how many migrations were applied by this call.
int apply_migrations(Connection& connection, const std::vector<Migration>& migrations,
                     int64_t now_ms);

}  // namespace palabre::store::sqlite
