-- Moves a batch to a new state if its status is still one of those expected, so that two replicas never both
-- make a change that only one may (two finalizing one batch, a cancel racing its end). KEYS[1] the batch's
-- hash, KEYS[2] the batches not ended, KEYS[3] the task stream. ARGV: the expected statuses (comma separated),
-- the new status, the new state (JSON), the request total to set or '', a task to queue for the batch or '',
-- the batch's id, '1' when the new status is an end, and how long in milliseconds an ended batch is kept (as
-- long as its files). Answers 1 when moved, 0 when not.
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
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'status', ARGV[2])
if ARGV[4] ~= '' then
    redis.call('HSET', KEYS[1], 'total', ARGV[4])
end
if ARGV[5] ~= '' then
    redis.call('XADD', KEYS[3], '*', 'task', ARGV[5], 'batch', ARGV[6])
end
if ARGV[7] == '1' then
    redis.call('SREM', KEYS[2], ARGV[6])
    redis.call('PEXPIRE', KEYS[1], ARGV[8])
end
return 1
