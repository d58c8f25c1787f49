-- Whether a line may be scored now: 'go' (and it is marked in flight for ARGV[2], the consumer), 'done' when it
-- has its answer already (a second delivery), or the batch's status when that is not in_progress (cancelled,
-- expired, gone: nothing new starts). KEYS[1] the batch's hash, KEYS[2] its results, KEYS[3] its lines in
-- flight; ARGV[1] the line's number.
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'in_progress' then
    redis.call('HDEL', KEYS[3], ARGV[1])
    return status or 'gone'
end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
    redis.call('HDEL', KEYS[3], ARGV[1])
    return 'done'
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
return 'go'
