-- Extends a lease that its owner still holds. KEYS[1] is the lease; ARGV[1] the owner's token, ARGV[2] the
-- lease in milliseconds. Answers 1 when extended, 0 when the lease is gone or another's.
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
    return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
