-- Counts one visitor's vote on an open poll, once: a second vote from the
-- same visitor (a double submit included) counts nothing. Marks the poll's
-- count frame as due (actions/audience.hpp sends at most one a second).
--
-- KEYS[1] the poll (hash), KEYS[2] its voters (set), KEYS[3] its results
-- (hash), KEYS[4] the debate's set of due count frames (all in the
-- debate's slot; the caller lists the debate in keys::frames_due_debates)
-- ARGV[1] the visitor id, ARGV[2] the due-frame member, ARGV[3..#ARGV-1]
-- the chosen option indexes (checked by the caller)
-- ARGV[#ARGV] (added by redis::Connection::script): the sender's deadline.
-- Returns "counted" or "already"; errors "NOTFOUND", "CLOSED".
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return redis.error_reply('NOTFOUND') end
if state ~= 'open' then return redis.error_reply('CLOSED') end
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 'already' end
for i = 3, #ARGV - 1 do redis.call('HINCRBY', KEYS[3], ARGV[i], 1) end
redis.call('SADD', KEYS[4], ARGV[2])
return 'counted'
