-- Lifts one visitor's ban of an address, and only theirs: another banned
-- visitor seen from the same address keeps it banned.
-- KEYS[1] the banned-address key; ARGV[1] the visitor id it must name.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
