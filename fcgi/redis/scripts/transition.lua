-- Moves a question from one status to another if, and only if, its current
-- status is one of the allowed ones, and sets fields; optionally publishes a
-- frame on the public stream in the same step. Two moderators clicking
-- "publish" at once therefore publish once: the second gets a conflict.
--
-- KEYS[1]  question hash, KEYS[2] the event's pending set, KEYS[3] public stream
-- ARGV[1]  allowed current statuses, comma-separated ("*" = any)
-- ARGV[2]  new status ("" = keep)
-- ARGV[3]  public frame type ("" = publish nothing), ARGV[4] its data
-- ARGV[5]  MAXLEN
-- ARGV[6..#ARGV-1] field, value pairs to set
-- Returns {previous status, public entry id or "", the entry before it or ""};
-- errors "NOTFOUND" / "CONFLICT <status>". The caller announces a new entry
-- to every worker (redis/wakeups.hpp).
-- ARGV[#ARGV] (added by redis::Connection::script): the wall-clock time in
-- ms after which the sender has given up and answered 503. A command that
-- waited in a frozen Redis's socket buffer must not take effect after that.
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return redis.error_reply('NOTFOUND') end
if ARGV[1] ~= '*' then
  local ok = false
  for allowed in string.gmatch(ARGV[1], '[^,]+') do
    if allowed == status then ok = true end
  end
  if not ok then return redis.error_reply('CONFLICT ' .. status) end
end
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 'status', ARGV[2])
  if ARGV[2] ~= 'pending' then
    redis.call('ZREM', KEYS[2], redis.call('HGET', KEYS[1], 'id'))
  end
end
for i = 6, #ARGV - 1, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
local id, prev = '', ''
if ARGV[3] ~= '' then
  local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
  prev = '0-0'
  if #last > 0 then prev = last[1][1] end
  id = redis.call('XADD', KEYS[3], 'MAXLEN', ARGV[5], '*', 't', ARGV[3], 'd', ARGV[4])
  redis.call('HSET', KEYS[1], 'public_cursor', id)
end
return {status, id, prev}
