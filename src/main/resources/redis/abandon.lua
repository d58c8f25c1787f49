-- Ends a lease whose scoring failed. KEYS[1] is the lease; ARGV[1] the owner's token, ARGV[2] the channel and
-- ARGV[3] the notice of the failure, published when another replica waits.
local lease = redis.call('HMGET', KEYS[1], 'owner', 'waited')
if lease[1] == ARGV[1] then
    redis.call('DEL', KEYS[1])
end
if lease[2] then
    redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return 1
