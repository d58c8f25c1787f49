-- Takes a batch's answers that wait in Redis as one chunk, to be written to the volume: renamed, in one step,
-- to the chunk's own key, numbered in order. KEYS[1] the batch's hash, KEYS[2] its answers; ARGV[1] the prefix
-- of its chunk keys. Answers the chunk's number, or 0 when there was no answer to take.
redis.call('HDEL', KEYS[1], 'flush')
if redis.call('EXISTS', KEYS[2]) == 0 then
    return 0
end
local number = redis.call('HINCRBY', KEYS[1], 'chunks', 1)
redis.call('RENAME', KEYS[2], ARGV[1] .. number)
return number
