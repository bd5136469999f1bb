// Applies schema migrations (the same sql/NNNN_name.sql files as SQLite) to
// a PostgreSQL connection.
//
// Each migration not yet listed in schema_migrations runs in its own
// transaction together with the row that records it (PostgreSQL's DDL is
// transactional), so a failed migration leaves nothing behind. The
// transaction first takes an advisory lock (TransactionLock::migrations):
// of several workers or hosts starting at once, one migrates while the
// others wait, then see the row and skip. Calling it again is cheap: one
// SELECT when nothing is due.
//
// Threads: whoever owns the connection. Errors: as Connection (a migration
// with bad SQL is Error(store_unavailable), logged with the server's message).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/migrations.hpp"
#include "store/postgres/connection.hpp"

namespace palabre::store::postgres {

// Returns how many migrations were applied by this call.
int apply_migrations(Connection& connection, const std::vector<Migration>& migrations,
                     int64_t now_ms);

// A migration's text as PostgreSQL runs it (see migrate.cpp).
std::string postgres_dialect(std::string_view sql);

}  // namespace palabre::store::postgres
