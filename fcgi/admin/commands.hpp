// The commands of palabre-admin, run on an open and migrated Store.
//
// Each writes its result to `out` (only the result: scripts capture it) and
// notes for the operator to `err`. Threads: the calling thread, which owns the
// Store. Errors: throws palabre::Error (exit status 1); secrets (passwords,
// tokens) are written to `out` once and never to `err` or the log.
#pragma once

#include <cstdint>
#include <istream>
#include <ostream>

#include "admin/args.hpp"
#include "store/store.hpp"

namespace palabre::admin {

struct Streams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// Runs args.command (parsed by parse_args). Returns the exit status.
int run_command(const Args& args, store::Store& store, int64_t now_ms, Streams streams);

}  // namespace palabre::admin
