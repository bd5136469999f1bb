-- Publishes a `phase` frame when, and only when, an event's phase or end
-- time differs from the last one published. Every worker's phase clock and
-- every PATCH may call this at the same moment: the check and the publish
-- are one atomic step, so each change is announced exactly once.
--
-- KEYS[1]  the event's last published phase (keys::event_phase)
-- KEYS[2]  the public stream
-- ARGV[1]  the frame's data {"phase","ends_at"}: also what is compared
-- ARGV[2]  MAXLEN (exact: see apply.lua)
-- Returns {new entry id, previous entry id or "0-0"}, or false when nothing
-- changed. The caller announces the entry to every worker (redis/streams.hpp, announce_entry).
-- ARGV[#ARGV] (added by redis::Connection::script): the wall-clock time in
-- ms after which the sender has given up and answered 503. A command that
-- waited in a frozen Redis's socket buffer must not take effect after that.
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
if redis.call('GET', KEYS[1]) == ARGV[1] then return false end
redis.call('SET', KEYS[1], ARGV[1])
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
local prev = '0-0'
if #last > 0 then prev = last[1][1] end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], '*', 't', 'phase', 'd', ARGV[1])
return {id, prev}
