-- Stores a new question: its hash and its place in the event's list, the
-- moderation queue and the visitor's own list, in one atomic step that
-- refuses to run after the sender's deadline (a write answered 503 while
-- Redis was frozen must not appear when it wakes up).
--
-- KEYS[1]  the question hash, KEYS[2] the event's questions,
-- KEYS[3]  the pending queue, KEYS[4] the visitor's questions
-- ARGV[1]  score (created_ms), ARGV[2] question id
-- ARGV[3..#ARGV-1] field, value pairs of the hash
-- ARGV[#ARGV] (added by redis::Connection::script): the sender's deadline.
-- Returns 1 when stored, 0 when a question with this id already exists
-- (a retry with the same Idempotency-Key: nothing is changed).
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for i = 3, #ARGV - 1, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[1], ARGV[2])
return 1
