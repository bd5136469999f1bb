// The one-time renaming of a Redis written by Palabre before debates had a
// hash tag (redis/keys.hpp): "palabre:ev:<id>:…" becomes
// "palabre:ev:{<id>}:…", a question's "palabre:q:<qid>…" and a visitor's
// "palabre:vs:<hash>" take their debate's tag (read from their record), an
// applied idempotent mutation's record takes the tag of the stream it wrote,
// and the old global set of due count frames is split per debate. Frame
// locks (one second long) are dropped.
//
// Run by each worker at start, before it serves anything. "palabre:schema"
// says the names are current (then nothing is scanned); a lock (SET NX EX)
// lets one process rename while the others wait for the version, so that
// workers and hosts starting together do not race. RENAME works on one
// Redis (not across slots of a Redis Cluster): upgrade first, shard after
// (docs/OPERATIONS.md, "Upgrading to hash-tagged keys").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "redis/connection.hpp"

namespace palabre::redis {

// The version "palabre:schema" holds once names carry hash tags.
inline constexpr int kKeySchema = 2;

// The new name of an old key of a debate ("palabre:ev:<id>:…"), or nullopt
// for any other key (a new name included).
std::optional<std::string> tagged_debate_key(std::string_view key);
// The debate named by an old stream key in a text ("palabre:ev:<id>:pub"),
// or "".
std::string debate_in_text(std::string_view text);

// Renames what needs it. Returns how many keys it renamed or dropped; throws
// Error(store_unavailable) when Redis fails, or when another process held
// the lock longer than it should have.
size_t upgrade_key_names(Connection& redis);

}  // namespace palabre::redis
