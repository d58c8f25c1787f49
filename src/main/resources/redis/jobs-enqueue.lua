-- Queues a run of a batch's lines and notes how many of its requests are queued, in one step, so that an
-- interrupted validation goes on after the last run queued. KEYS[1] the task stream, KEYS[2] the batch's hash;
-- ARGV: the batch's id, the requests queued after this run, then each line's number and byte offset. Queues
-- nothing once the batch is no longer in progress; answers 1 when queued, 0 when not.
if redis.call('HGET', KEYS[2], 'status') ~= 'in_progress' then
    return 0
end
for i = 3, #ARGV, 2 do
    redis.call('XADD', KEYS[1], '*', 'task', 'line', 'batch', ARGV[1], 'line', ARGV[i], 'offset', ARGV[i + 1])
end
redis.call('HSET', KEYS[2], 'enqueued', ARGV[2])
return 1
