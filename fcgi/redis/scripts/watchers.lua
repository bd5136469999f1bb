-- One worker's count of a debate's public watchers (its open public
-- streams and parked long-polls), sent every 2 s by its hub
-- (fcgi/hub/watchers.cpp) on the hub's own connection. Keeps this worker's
-- share with an end (Redis time), drops the shares of workers that stopped
-- renewing theirs (killed, or no longer following the debate), and raises
-- the peak to the sum of the shares still valid. domain/stats.hpp reads
-- the same shares.
--
-- KEYS[1] the debate's watchers (hash: worker token → "<count> <until_ms>"),
-- KEYS[2] its peak (string)
-- ARGV[1] this worker's token, ARGV[2] its count, ARGV[3] how long the
-- share holds (ms)
-- Returns the sum.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. (now + tonumber(ARGV[3])))
local sum = 0
local shares = redis.call('HGETALL', KEYS[1])
for i = 1, #shares, 2 do
  local count, untilms = string.match(shares[i + 1], '^(%d+) (%d+)$')
  if count and tonumber(untilms) > now then
    sum = sum + tonumber(count)
  else
    redis.call('HDEL', KEYS[1], shares[i])
  end
end
-- The whole hash goes once no worker renews anything in it.
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if sum > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], sum) end
return sum
