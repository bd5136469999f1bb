-- Counts one visitor's support (+1) of a published question that waits for
-- an answer, once: supporting again changes nothing. Marks the question's
-- count frame as due (actions/audience.hpp sends at most one a second).
--
-- KEYS[1] the question (hash), KEYS[2] its supporters (set), KEYS[3] the
-- debate's set of due count frames (all three in the debate's slot; the
-- caller lists the debate in keys::frames_due_debates itself)
-- ARGV[1] the visitor id, ARGV[2] the due-frame member, ARGV[3] the debate
-- the question must belong to
-- ARGV[#ARGV] (added by redis::Connection::script): the sender's deadline.
-- Returns {1 if counted now else 0, supporters}; errors "NOTFOUND",
-- "CONFLICT <status>".
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
local q = redis.call('HMGET', KEYS[1], 'status', 'event_id', 'answered')
local status = q[1]
if not status or q[2] ~= ARGV[3] then return redis.error_reply('NOTFOUND') end
if status ~= 'published' or q[3] == '1' then
  return redis.error_reply('CONFLICT ' .. status)
end
local added = redis.call('SADD', KEYS[2], ARGV[1])
if added == 1 then redis.call('SADD', KEYS[3], ARGV[2]) end
return {added, redis.call('SCARD', KEYS[2])}
