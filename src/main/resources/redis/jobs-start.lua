-- Whether a line may be scored now: 'go' (and it is marked in flight for the consumer), 'done' when it has its
-- answer already (a second delivery: its entry is taken off the queue, and, as an answer would, it queues the
-- batch's next lines when the queue is half empty), or the batch's status when that is not in_progress
-- (cancelled, expired, gone: nothing new starts). KEYS: 1 the batch's hash, 2 its answers not yet moved to the
-- volume, 3 its lines in flight, 4 its answered lines (a bit each), 5 the task stream, 6 its line queue. ARGV:
-- 1 the line's number, 2 the consumer, 3 the batch's queue window, 4 the batch's id, 5 the line's queue entry.
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'in_progress' then
    return status or 'gone'
end
if redis.call('GETBIT', KEYS[4], ARGV[1]) == 1 or redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
    if ARGV[5] ~= '' then
        redis.call('XACK', KEYS[6], 'workers', ARGV[5])
        redis.call('XDEL', KEYS[6], ARGV[5])
    end
    local counts = redis.call('HMGET', KEYS[1], 'total', 'completed', 'failed', 'queued', 'refill')
    local queued = tonumber(counts[4] or 0)
    if not counts[5] and queued < tonumber(counts[1])
            and queued - tonumber(counts[2]) - tonumber(counts[3]) <= tonumber(ARGV[3]) / 2 then
        redis.call('HSET', KEYS[1], 'refill', 1)
        redis.call('XADD', KEYS[5], '*', 'task', 'refill', 'batch', ARGV[4])
    end
    return 'done'
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
return 'go'
