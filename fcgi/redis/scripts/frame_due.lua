-- Takes a due count frame (a poll's results, a question's supports) if its
-- item has not had one in the last ARGV[2] ms: one frame per item and
-- second, whoever asks (a request after its vote, any worker's phase clock).
--
-- KEYS[1] the debate's set of due count frames, KEYS[2] the item's frame
-- lock (both in the debate's slot)
-- ARGV[1] the member ("<kind>\t<event id>\t<id>"), ARGV[2] the lock's ms
-- ARGV[#ARGV] (added by redis::Connection::script): the sender's deadline.
-- Returns 1 when the caller is to send the frame now, else 0.
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 0 end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('SREM', KEYS[1], ARGV[1])
return 1
