-- Drops the audit entries up to and including one that is now in SQL
-- (audit/drain.hpp), and takes the debate off the list of those with
-- entries to drain once its stream is empty: in one step, so that an entry
-- a mutation adds meanwhile (scripts/apply.lua: XADD and SADD together) is
-- never left behind unlisted.
--
-- KEYS[1]  the debate's audit stream, KEYS[2] the set of debates to drain
-- ARGV[1]  the first id to keep (the drained one's successor), ARGV[2] the
--          debate's id
-- ARGV[#ARGV] (added by redis::Connection::script): the sender's deadline
-- (ignored: trimming late is harmless).
redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
if redis.call('XLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return 1
