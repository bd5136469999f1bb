-- Replaces the data of some entries of a stream and keeps every id, so that
-- cursors stay valid (a visitor's erasure signs their published questions
-- "anonyme", api/privacy.cpp). Redis cannot edit a stream entry: the stream
-- is rebuilt, in this one atomic step, with the same ids in the same order.
--
-- KEYS[1]  the stream
-- ARGV     pairs: entry id, its new data (field d)
-- ARGV[#ARGV] (added by redis::Connection::script): the sender's deadline (ms).
-- Returns the number of entries rewritten.
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
local want = {}
for i = 1, #ARGV - 1, 2 do want[ARGV[i]] = ARGV[i + 1] end
local entries = redis.call('XRANGE', KEYS[1], '-', '+')
local hit = false
for _, e in ipairs(entries) do
  if want[e[1]] then hit = true end
end
if not hit then return 0 end
redis.call('DEL', KEYS[1])
local n = 0
for _, e in ipairs(entries) do
  local f = e[2]
  local args = {}
  for j = 1, #f, 2 do
    local v = f[j + 1]
    if f[j] == 'd' and want[e[1]] then
      v = want[e[1]]
      n = n + 1
    end
    args[#args + 1] = f[j]
    args[#args + 1] = v
  end
  redis.call('XADD', KEYS[1], e[1], unpack(args))
end
return n
