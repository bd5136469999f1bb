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
--   sadd     k member
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

-- Every check before any write.
local once_key, once_ttl
local i = 1
while i <= last do
  local op = ARGV[i]
  if op == 'once' then
    once_key, once_ttl = KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2]
    local earlier = redis.call('GET', once_key)
    if earlier then
      local kept = cjson.decode(earlier)
      return {'replayed', kept[1], kept[2]}
    end
    i = i + 3
  elseif op == 'version' then
    local actual = redis.call('HGET', KEYS[tonumber(ARGV[i + 1])], 'version') or '0'
    if actual ~= ARGV[i + 2] then return redis.error_reply('STALE ' .. actual) end
    i = i + 3
  elseif op == 'exists' then
    if redis.call('EXISTS', KEYS[tonumber(ARGV[i + 1])]) == 0 then
      return redis.error_reply('NOTFOUND ' .. ARGV[i + 1])
    end
    i = i + 2
  elseif op == 'hexists' then
    if redis.call('HEXISTS', KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2]) == 0 then
      return redis.error_reply('NOTFOUND ' .. ARGV[i + 1])
    end
    i = i + 3
  elseif op == 'claim' then
    local claim = redis.call('GET', KEYS[tonumber(ARGV[i + 1])])
    if claim then
      local holder, label = string.match(claim, '^([^\t]*)\t([^\t]*)')
      if holder ~= ARGV[i + 2] then return redis.error_reply('CLAIMED ' .. (label or '')) end
    end
    i = i + 3
  elseif op == 'hset' or op == 'xadd' then
    local n = tonumber(ARGV[i + (op == 'xadd' and 3 or 2)])
    i = i + (op == 'xadd' and 4 or 3) + 2 * n
  elseif op == 'zadd' or op == 'setpx' or op == 'zaddxx' then
    i = i + 4
  elseif op == 'del' then
    i = i + 2
  elseif op == 'zrem' or op == 'sadd' or op == 'hsetid' or op == 'hdel' or op == 'delif' then
    i = i + 3
  elseif op == 'get' then
    i = i + 2
  else
    return redis.error_reply('BADOP ' .. tostring(op))
  end
end

-- The writes, in the order the caller gave them.
local values, entries = {}, {}
i = 1
while i <= last do
  local op = ARGV[i]
  if op == 'once' or op == 'version' or op == 'claim' or op == 'hexists' then
    i = i + 3
  elseif op == 'exists' then
    i = i + 2
  elseif op == 'hset' then
    local key, n = KEYS[tonumber(ARGV[i + 1])], tonumber(ARGV[i + 2])
    local args = {}
    for j = 1, 2 * n do args[j] = ARGV[i + 2 + j] end
    redis.call('HSET', key, unpack(args))
    i = i + 3 + 2 * n
  elseif op == 'hsetid' then
    redis.call('HSET', KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], entries[#entries][1])
    i = i + 3
  elseif op == 'zadd' then
    redis.call('ZADD', KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], ARGV[i + 3])
    i = i + 4
  elseif op == 'zaddxx' then
    redis.call('ZADD', KEYS[tonumber(ARGV[i + 1])], 'XX', ARGV[i + 2], ARGV[i + 3])
    i = i + 4
  elseif op == 'zrem' then
    redis.call('ZREM', KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2])
    i = i + 3
  elseif op == 'hdel' then
    redis.call('HDEL', KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2])
    i = i + 3
  elseif op == 'sadd' then
    redis.call('SADD', KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2])
    i = i + 3
  elseif op == 'setpx' then
    redis.call('SET', KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], 'PX', ARGV[i + 3])
    i = i + 4
  elseif op == 'del' then
    redis.call('DEL', KEYS[tonumber(ARGV[i + 1])])
    i = i + 2
  elseif op == 'delif' then
    local key = KEYS[tonumber(ARGV[i + 1])]
    if redis.call('GET', key) == ARGV[i + 2] then redis.call('DEL', key) end
    i = i + 3
  elseif op == 'get' then
    values[#values + 1] = redis.call('GET', KEYS[tonumber(ARGV[i + 1])]) or ''
    i = i + 2
  elseif op == 'xadd' then
    local key, maxlen, n = KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], tonumber(ARGV[i + 3])
    local newest = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)
    local prev = '0-0'
    if #newest > 0 then prev = newest[1][1] end
    local args = {key}
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
    for j = 1, 2 * n do args[#args + 1] = ARGV[i + 3 + j] end
    local id = redis.call('XADD', unpack(args))
    entries[#entries + 1] = {id, prev, key}
    i = i + 4 + 2 * n
  end
end

if once_key then
  -- What a retry gets back instead of applying the mutation again.
  redis.call('SET', once_key, cjson.encode({values, entries}), 'EX', once_ttl)
end
return {'done', values, entries}
