-- Appends one entry to a stream and returns its id with the id of the entry
-- before it, read in the same atomic step. The caller announces both to
-- every worker (redis/wakeups.hpp) once its response is out: a worker whose
-- copy does not end at that previous id knows it missed something and
-- reloads from the stream.
--
-- KEYS[1]  the stream (keys::public_stream / staff_stream / guest_stream)
-- ARGV[1]  entry type (SSE event name), ARGV[2] data (one-line JSON)
-- ARGV[3]  approximate MAXLEN of the stream
-- Returns {new entry id, previous entry id or "0-0"}.
-- ARGV[#ARGV] (added by redis::Connection::script): the wall-clock time in
-- ms after which the sender has given up and answered 503. A command that
-- waited in a frozen Redis's socket buffer must not take effect after that.
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local prev = '0-0'
if #last > 0 then prev = last[1][1] end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 't', ARGV[1], 'd', ARGV[2])
return {id, prev}
