-- Records a line's answer once: a second answer to the same line (at-least-once delivery) changes nothing.
-- KEYS[1] the batch's hash, KEYS[2] its results, KEYS[3] its lines in flight, KEYS[4] the task stream; ARGV
-- the line's number, 'o' (scored) or 'e' (an error), the output line, the batch's id. The answer that makes
-- the last one queues the batch's finalization in the same step, so that exactly one does, and a replica
-- killed right after cannot leave the batch unfinished. Answers 1 when recorded, 0 when not.
redis.call('HDEL', KEYS[3], ARGV[1])
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'in_progress' and status ~= 'cancelling' and status ~= 'finalizing' then
    return 0
end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2] .. ARGV[3]) == 0 then
    return 0
end
redis.call('HINCRBY', KEYS[1], ARGV[2] == 'o' and 'completed' or 'failed', 1)
local counts = redis.call('HMGET', KEYS[1], 'total', 'completed', 'failed')
if status == 'in_progress' and tonumber(counts[2]) + tonumber(counts[3]) == tonumber(counts[1]) then
    redis.call('XADD', KEYS[4], '*', 'task', 'finalize', 'batch', ARGV[4])
end
return 1
