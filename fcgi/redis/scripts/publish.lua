-- Appends one entry to a stream and returns its id with the id of the entry
-- before it, read in the same atomic step. The caller announces both to
-- every worker (redis/wakeups.hpp) once its response is out: a worker whose
-- copy does not end at that previous id knows it missed something and
-- reloads from the stream.
--
-- KEYS[1]  the stream (keys::public_stream / staff_stream / guest_stream)
-- KEYS[2]  optional: the debate's epoch key, read for the cursor the caller
--          hands out (saves it a round trip)
-- KEYS[3]  optional: the entry's Idempotency-Key record (keys::published_once).
--          When it holds an id, that entry was already appended by an
--          earlier attempt of the same request: nothing is appended again.
-- ARGV[1]  entry type (SSE event name), ARGV[2] data (one-line JSON)
-- ARGV[3]  MAXLEN of the stream, ARGV[4] seconds KEYS[3] is kept
--
-- MAXLEN is exact, not `~`: a worker's copy of the stream keeps exactly that
-- many entries (hub/mirror.hpp). With `~` Redis kept up to a node more, so
-- a stream it had not trimmed yet could hold entries the copy had dropped,
-- and a newcomer, told by XINFO that nothing was trimmed, got the history
-- from the copy without its start.
-- Returns {new entry id, previous entry id or "0-0", epoch or ""}, or
-- {earlier id, "", epoch or ""}.
-- ARGV[#ARGV] (added by redis::Connection::script): the wall-clock time in
-- ms after which the sender has given up and answered 503. A command that
-- waited in a frozen Redis's socket buffer must not take effect after that.
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
local epoch = ''
if KEYS[2] then epoch = redis.call('GET', KEYS[2]) or '' end
if KEYS[3] then
  local earlier = redis.call('GET', KEYS[3])
  if earlier then return {earlier, '', epoch} end
end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local prev = '0-0'
if #last > 0 then prev = last[1][1] end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[3], '*', 't', ARGV[1], 'd', ARGV[2])
if KEYS[3] then redis.call('SET', KEYS[3], id, 'EX', ARGV[4]) end
return {id, prev, epoch}
