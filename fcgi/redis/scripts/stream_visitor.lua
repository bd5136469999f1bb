-- Who opens a public stream, for the hub's door (fcgi/hub/door.cpp): the
-- visitor of a session, if the session belongs to this debate, and whether
-- they are banned from it. The same as api/identity.cpp's visitor_of and
-- redis::is_banned, in one round trip on the hub's own connection.
-- KEYS[1] the session (keys::visitor_session); KEYS[2] the debate's bans:
-- both in the debate's slot.
-- ARGV[1] the debate's id.
-- Returns {} (no such session here) or {visitor_id, 0|1}. A silent ban
-- (its record says "silent":true, redis::ban_record) is not a ban here:
-- the visitor is not to notice it.
local v = redis.call('HMGET', KEYS[1], 'visitor_id', 'event_id')
if not v[1] or v[2] ~= ARGV[1] then return {} end
local ban = redis.call('HGET', KEYS[2], v[1])
if not ban or string.find(ban, '"silent":true', 1, true) then return {v[1], 0} end
return {v[1], 1}
