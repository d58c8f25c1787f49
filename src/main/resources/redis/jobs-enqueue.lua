-- Queues the next run of a batch's lines on its own stream (made with its consumer group the first time) and
-- notes how far the input file is queued, in one step, so that the next refill goes on after the last line
-- queued. KEYS[1] the batch's line queue, KEYS[2] the batch's hash; ARGV: the requests queued as the caller read
-- them (nothing is queued if another replica queued lines since), the requests queued after this run, the byte
-- offset and the line number after its last line, then each line's number and byte offset. Queues nothing once
-- the batch is no longer in progress; answers 1 when queued, 0 when not.
if redis.call('HGET', KEYS[2], 'status') ~= 'in_progress' then
    return 0
end
if (redis.call('HGET', KEYS[2], 'queued') or '0') ~= ARGV[1] then
    return 0
end
if redis.call('EXISTS', KEYS[1]) == 0 then
    redis.call('XGROUP', 'CREATE', KEYS[1], 'workers', '0', 'MKSTREAM')
end
for i = 5, #ARGV, 2 do
    redis.call('XADD', KEYS[1], '*', 'line', ARGV[i], 'offset', ARGV[i + 1])
end
redis.call('HSET', KEYS[2], 'queued', ARGV[2], 'offset', ARGV[3], 'number', ARGV[4])
redis.call('HDEL', KEYS[2], 'refill')
return 1
