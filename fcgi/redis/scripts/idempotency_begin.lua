-- Claims an Idempotency-Key, or tells what became of the request that
-- claimed it first (api/idempotency.cpp).
--
-- KEYS[1]  keys::idempotency(digest)
-- ARGV[1]  fingerprint of the request (method, path, body)
-- ARGV[2]  how long a claim lasts without a result (ms): the first request
--          may have died with its worker
-- Returns {'new'} | {'mismatch'} | {'pending', pttl} |
--         {'done', status, content type, body}
-- ARGV[#ARGV] (added by redis::Connection::script): the wall-clock time in
-- ms after which the sender has given up and answered 503. A command that
-- waited in a frozen Redis's socket buffer must not take effect after that.
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
local r = redis.call('HMGET', KEYS[1], 's', 'f', 'c', 'h', 'b')
if not r[1] then
  redis.call('HSET', KEYS[1], 's', 'p', 'f', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {'new'}
end
if r[2] ~= ARGV[1] then return {'mismatch'} end
if r[1] == 'p' then return {'pending', redis.call('PTTL', KEYS[1])} end
return {'done', r[3], r[4], r[5]}
