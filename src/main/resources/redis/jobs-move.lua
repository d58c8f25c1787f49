-- Moves a batch to a new state if its status is still one of those expected, so that two replicas never both
-- make a change that only one may (two finalizing one batch, a cancel racing its end).
-- KEYS: 1 the batch's hash, 2 the batches not ended, 3 the task stream, 4 its line queue, 5 its owner's active
-- batches, 6 the batches with lines to hand out, 7 the batches reading its input file, 8 its answers, 9 its
-- answered lines, 10 its lines in flight.
-- ARGV: 1 the expected statuses (comma separated), 2 the new status, 3 the new state (JSON), 4 the request
-- total to set or '', 5 a task to queue for the batch or '', 6 the batch's id, 7 how long in milliseconds an
-- ended batch is kept (as long as its files), 8 its validation errors (JSON) or '', 9 the events channel.
-- Answers 1 when moved, 0 when not.
--
-- What the batch no longer needs is deleted before anything is written: Redis lets a script that has already
-- written go on past maxmemory, so that a cancel or an end, which free memory, are never refused by a full
-- Redis. A move to in_progress is new work and is refused then, as it should be.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
    return 0
end
local expected = false
for candidate in string.gmatch(ARGV[1], '[^,]+') do
    if candidate == status then
        expected = true
    end
end
if not expected then
    return 0
end
local ended = ARGV[2] == 'completed' or ARGV[2] == 'failed' or ARGV[2] == 'expired' or ARGV[2] == 'cancelled'
if ARGV[2] ~= 'in_progress' then
    redis.call('DEL', KEYS[4])
    redis.call('SREM', KEYS[5], ARGV[6])
    redis.call('SREM', KEYS[6], ARGV[6])
end
if ended then
    redis.call('DEL', KEYS[8], KEYS[9], KEYS[10])
    redis.call('SREM', KEYS[2], ARGV[6])
    redis.call('SREM', KEYS[7], ARGV[6])
end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'status', ARGV[2])
if ARGV[4] ~= '' then
    redis.call('HSET', KEYS[1], 'total', ARGV[4])
end
if ARGV[8] ~= '' then
    redis.call('HSET', KEYS[1], 'errors', ARGV[8])
end
if ARGV[5] ~= '' then
    redis.call('XADD', KEYS[3], '*', 'task', ARGV[5], 'batch', ARGV[6])
end
if ARGV[2] == 'in_progress' then
    redis.call('SADD', KEYS[6], ARGV[6])
    redis.call('PUBLISH', ARGV[9], 'run ' .. ARGV[6])
elseif status == 'in_progress' or status == 'validating' then
    redis.call('PUBLISH', ARGV[9], 'stop ' .. ARGV[6])
end
if ended then
    redis.call('PEXPIRE', KEYS[1], ARGV[7])
end
return 1
