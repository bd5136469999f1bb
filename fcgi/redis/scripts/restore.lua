-- Gives a debate whose Redis data was lost (no epoch) its new epoch, and
-- puts the published history back into its public stream from the durable
-- archive, atomically, so that a newcomer reads the whole debate from Redis
-- again and no worker sees the epoch before the history is back.
--
-- Entries published since the loss (by XADD in apply.lua and phase.lua,
-- which do not need the epoch) are kept: the stream is rebuilt as the union
-- of both, in id order, each id once. Archived ids are older than anything
-- published after the loss, but the merge does not rely on it.
--
-- KEYS[1]  the epoch key (keys::epoch), KEYS[2] the public stream
-- ARGV[1]  the proposed epoch, ARGV[2] MAXLEN of the stream (exact: see apply.lua)
-- ARGV[3]  how many older archived entries were left out (beyond MAXLEN):
--          counted in the stream's entries-added, so that readers see it
--          was trimmed (redis/epoch.cpp) and take the start from the archive
-- ARGV[4 .. #ARGV-1]  archived entries as id, type, data triples, id order
-- ARGV[#ARGV] (added by redis::Connection::script): the sender's deadline.
-- Returns the epoch: ours, or the one another worker set first.
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
local current = redis.call('GET', KEYS[1])
if current then return current end

local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function older(a, b)
  local ams, aseq = parse(a.id)
  local bms, bseq = parse(b.id)
  if ams ~= bms then return ams < bms end
  return aseq < bseq
end

local merged, seen = {}, {}
for _, e in ipairs(redis.call('XRANGE', KEYS[2], '-', '+')) do
  seen[e[1]] = true
  merged[#merged + 1] = {id = e[1], fields = e[2]}
end
local archived = 0
for i = 4, #ARGV - 1, 3 do
  local id = ARGV[i]
  if not seen[id] and parse(id) then
    seen[id] = true
    archived = archived + 1
    merged[#merged + 1] = {id = id, fields = {'t', ARGV[i + 1], 'd', ARGV[i + 2]}}
  end
end
if archived > 0 then
  table.sort(merged, older)
  redis.call('DEL', KEYS[2])
  for _, e in ipairs(merged) do
    redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], e.id, unpack(e.fields))
  end
  redis.call('XSETID', KEYS[2], merged[#merged].id, 'ENTRIESADDED', #merged + tonumber(ARGV[3]))
end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
