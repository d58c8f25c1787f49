-- Stores a conversation's scores and ends the lease on scoring them. KEYS[1] holds the scores, KEYS[2] the
-- lease; ARGV[1] is the scores, ARGV[2] their TTL in milliseconds, ARGV[3] the owner's token, ARGV[4] the
-- channel and ARGV[5] the notice published to it when another replica waits for them.
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local lease = redis.call('HMGET', KEYS[2], 'owner', 'waited')
if lease[1] == ARGV[3] then
    redis.call('DEL', KEYS[2])
end
if lease[2] then
    redis.call('PUBLISH', ARGV[4], ARGV[5])
end
return 1
