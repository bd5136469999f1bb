-- One point of a debate's timeline (domain/stats.hpp), taken once per slot
-- across all workers: every worker's phase clock asks at the start of each
-- slot, the first one adds the point, the others find it there.
--
-- KEYS[1] the timeline (list of "<t_ms> <watchers> <questions>", oldest
-- first), KEYS[2] the debate's watchers (hash, see watchers.lua), KEYS[3]
-- all its questions (sorted set)
-- ARGV[1] the slot's start (ms), ARGV[2] the most points kept
-- ARGV[#ARGV] (added by redis::Connection::script): the sender's deadline.
-- Returns 1 if the point was added, 0 if the slot had one already.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
local last = redis.call('LINDEX', KEYS[1], -1)
if last and tonumber(string.match(last, '^(%d+)')) >= tonumber(ARGV[1]) then return 0 end
local sum = 0
local shares = redis.call('HGETALL', KEYS[2])
for i = 1, #shares, 2 do
  local count, untilms = string.match(shares[i + 1], '^(%d+) (%d+)$')
  if count and tonumber(untilms) > now then sum = sum + tonumber(count) end
end
local questions = redis.call('ZCARD', KEYS[3])
redis.call('RPUSH', KEYS[1], ARGV[1] .. ' ' .. sum .. ' ' .. questions)
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
return 1
