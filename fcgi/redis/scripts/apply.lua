-- Applies one mutation as a whole, or nothing of it: the checks first, then
-- every write (state change, queue moves, stream entries, the audit entry).
-- Built by redis::Batch (redis/batch.hpp), which explains each operation;
-- the caller announces the new entries to every worker once its response is
-- out (redis/streams.hpp, announce_entry).
--
-- ARGV holds operations, each an opcode followed by its arguments; a key
-- argument is an index into KEYS:
--   once     k ttl              a retry of a request already applied here:
--                               return what it returned (its record, KEYS[k])
--   version  k expected         HGET k version (0 when unset) must equal it,
--                               else error "STALE <actual>"
--   exists   k                  error "NOTFOUND <k>" unless key k exists
--   hexists  k field            error "NOTFOUND <k>" unless hash k has the field
--   claim    k holder           error "CLAIMED <label>" if key k (a claim:
--                               "<holder>\t<label>\t<until>") names another
--   hset     k n f1 v1 … fn vn
--   hsetid   k field            HSET k field <the id of the last xadd before it>
--   hdel     k field
--   zadd     k score member
--   zaddxx   k score member     ZADD XX: moves a member, never adds one
--   zrem     k member
--   setpx    k value ms          SET k value PX ms
--   del      k
--   delif    k value           DEL k if it holds value
--   get      k                  its value (or "") goes into the result
--   xadd     k maxlen n f1 v1 … fn vn   (maxlen 0: no trimming)
-- Returns {"done", {values of get…}, {{id, previous id or "0-0", key} of
-- xadd…}}, or {"replayed", values, entries} as the first application
-- returned them (a retry's own operations may differ: it was computed from
-- the state the first one left).
-- ARGV[#ARGV] (added by redis::Connection::script): the wall-clock time in
-- ms after which the sender has given up and answered 503. A command that
-- waited in a frozen Redis's socket buffer must not take effect after that.
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[#ARGV]) then
  return redis.error_reply('LATE the sender gave up on this request')
end
local last = #ARGV - 1

-- How many ARGV slots the operation at i takes, its opcode included: one
-- table for both passes below.
local fixed = {once = 3, version = 3, exists = 2, hexists = 3, claim = 3, zadd = 4, zaddxx = 4, setpx = 4,
               zrem = 3, hsetid = 3, hdel = 3, delif = 3, del = 2, get = 2}
local function width(i)
  local op = ARGV[i]
  if op == 'hset' then return 3 + 2 * tonumber(ARGV[i + 2]) end
  if op == 'xadd' then return 4 + 2 * tonumber(ARGV[i + 3]) end
  return fixed[op]
end
local key = function(i) return KEYS[tonumber(ARGV[i])] end

-- Every check before any write.
local once_key, once_ttl
local i = 1
while i <= last do
  local op, w = ARGV[i], width(i)
  if not w then return redis.error_reply('BADOP ' .. tostring(op)) end
  if op == 'once' then
    once_key, once_ttl = key(i + 1), ARGV[i + 2]
    local earlier = redis.call('GET', once_key)
    if earlier then
      local kept = cjson.decode(earlier)
      return {'replayed', kept[1], kept[2]}
    end
  elseif op == 'version' then
    local actual = redis.call('HGET', key(i + 1), 'version') or '0'
    if actual ~= ARGV[i + 2] then return redis.error_reply('STALE ' .. actual) end
  elseif op == 'exists' then
    if redis.call('EXISTS', key(i + 1)) == 0 then return redis.error_reply('NOTFOUND ' .. ARGV[i + 1]) end
  elseif op == 'hexists' then
    if redis.call('HEXISTS', key(i + 1), ARGV[i + 2]) == 0 then
      return redis.error_reply('NOTFOUND ' .. ARGV[i + 1])
    end
  elseif op == 'claim' then
    local claim = redis.call('GET', key(i + 1))
    if claim then
      local holder, label = string.match(claim, '^([^\t]*)\t([^\t]*)')
      if holder ~= ARGV[i + 2] then return redis.error_reply('CLAIMED ' .. (label or '')) end
    end
  end
  i = i + w
end

-- The writes, in the order the caller gave them.
local values, entries = {}, {}
i = 1
while i <= last do
  local op, w = ARGV[i], width(i)
  if op == 'hset' then
    local args = {}
    for j = 1, w - 3 do args[j] = ARGV[i + 2 + j] end
    redis.call('HSET', key(i + 1), unpack(args))
  elseif op == 'hsetid' then
    redis.call('HSET', key(i + 1), ARGV[i + 2], entries[#entries][1])
  elseif op == 'zadd' then
    redis.call('ZADD', key(i + 1), ARGV[i + 2], ARGV[i + 3])
  elseif op == 'zaddxx' then
    redis.call('ZADD', key(i + 1), 'XX', ARGV[i + 2], ARGV[i + 3])
  elseif op == 'zrem' then
    redis.call('ZREM', key(i + 1), ARGV[i + 2])
  elseif op == 'hdel' then
    redis.call('HDEL', key(i + 1), ARGV[i + 2])
  elseif op == 'setpx' then
    redis.call('SET', key(i + 1), ARGV[i + 2], 'PX', ARGV[i + 3])
  elseif op == 'del' then
    redis.call('DEL', key(i + 1))
  elseif op == 'delif' then
    if redis.call('GET', key(i + 1)) == ARGV[i + 2] then redis.call('DEL', key(i + 1)) end
  elseif op == 'get' then
    values[#values + 1] = redis.call('GET', key(i + 1)) or ''
  elseif op == 'xadd' then
    local stream, maxlen = key(i + 1), ARGV[i + 2]
    local newest = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
    local prev = '0-0'
    if #newest > 0 then prev = newest[1][1] end
    local args = {stream}
    -- MAXLEN is exact, not '~': a worker's copy of the stream keeps exactly
    -- that many entries (hub/mirror.hpp). With '~' Redis kept up to a node
    -- more, so a stream it had not trimmed yet could hold entries the copy
    -- had dropped, and a newcomer, told by XINFO that nothing was trimmed,
    -- got the history from the copy without its start.
    if maxlen ~= '0' then
      args[#args + 1] = 'MAXLEN'
      args[#args + 1] = maxlen
    end
    args[#args + 1] = '*'
    for j = 1, w - 4 do args[#args + 1] = ARGV[i + 3 + j] end
    local id = redis.call('XADD', unpack(args))
    entries[#entries + 1] = {id, prev, stream}
  end
  i = i + w
end

if once_key then
  -- What a retry gets back instead of applying the mutation again.
  redis.call('SET', once_key, cjson.encode({values, entries}), 'EX', once_ttl)
end
return {'done', values, entries}
