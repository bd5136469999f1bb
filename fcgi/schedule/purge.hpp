// The retention purge (docs/PRIVACY.md, "Retention"): what a debate
// collected and never published is deleted PALABRE_RETENTION_DAYS after it
// closed. Run by the phase clock's thread every PALABRE_PURGE_INTERVAL_S.
//
// For each debate whose purge is due (domain::purge_due):
//   - its pending and rejected questions: the hashes palabre:q:{<event id>}:<qid> and
//     their entries in the per-event sorted sets (all, pending, guest queue,
//     each visitor's own);
//   - its staff and guest streams (they carry every question's text);
//   - its bans (visitor ids and the moderators' reasons);
//   - the details of its audit entries for edit, reject and ban (original
//     texts, reasons): emptied to {}; actor, action, target and time stay.
// Published questions, answers, the public stream and the SQL archive are
// the public record and stay.
//
// Several workers: a run takes palabre:purge:lock (SET NX EX) so that one
// worker at a time purges; every delete is idempotent anyway, and the key
// palabre:ev:{id}:purged records the closing time a debate was purged for,
// so a debate is purged once per closing (again if it is reopened and
// closes later).
#pragma once

#include <cstdint>
#include <vector>

#include "core/config.hpp"
#include "redis/connection.hpp"
#include "store/store.hpp"

namespace palabre::schedule {

struct PurgeReport {
  int events = 0;
  int questions = 0;
  int streams = 0;
  int audit_entries = 0;
};

// Questions, streams and audit entries purged by this process since start
// (palabre_purged_total on /metrics).
uint64_t purged_total();

// One run over the debates. Throws Error(store_unavailable).
PurgeReport run_purge(redis::Connection& redis, store::Store& store, const Config& config, int64_t now_ms);

}  // namespace palabre::schedule
