-- Looks up a conversation's scores and, when there are none, claims the right to score it. KEYS[1] holds the
-- scores, KEYS[2] the lease of the replica scoring them (a hash: its owner's token, and whether anyone waits).
-- ARGV[1] is the caller's token, ARGV[2] the lease in milliseconds. Answers {1, scores}, {2, ''} when the
-- caller now holds the lease, or {3, milliseconds the current lease has left} (marking that someone waits).
local scores = redis.call('GET', KEYS[1])
if scores then
    return {1, scores}
end
if not redis.call('HGET', KEYS[2], 'owner') then
    redis.call('HSET', KEYS[2], 'owner', ARGV[1])
    redis.call('PEXPIRE', KEYS[2], ARGV[2])
    return {2, ''}
end
redis.call('HSET', KEYS[2], 'waited', '1')
return {3, redis.call('PTTL', KEYS[2])}
