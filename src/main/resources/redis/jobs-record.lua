-- Records a line's answer once, and takes the line off its queue: a second answer to the same line
-- (at-least-once delivery) changes nothing. KEYS: 1 the batch's hash, 2 its answers not yet moved to the
-- volume, 3 its lines in flight, 4 the task stream, 5 its answered lines (a bit each), 6 its line queue.
-- ARGV: 1 the line's number, 2 'o' (scored) or 'e' (an error), 3 the output line, 4 the batch's id, 5 the
-- line's queue entry, 6 the answers that make a chunk to move to the volume, 7 the batch's queue window.
-- The answer that makes the last one queues the batch's finalization in the same step, so that exactly one
-- does and a replica killed right after cannot leave the batch unfinished; a chunk's worth of answers queues
-- their move to the volume, and a queue half empty queues the next lines. A batch sealed for its output to be
-- written takes no answer. Answers 1 when recorded, 0 when not.
--
-- The line leaves the queue and the lines in flight first: those writes free memory, and let the answer be
-- kept past maxmemory (a line scored is not scored again for want of room).
redis.call('HDEL', KEYS[3], ARGV[1])
if ARGV[5] ~= '' then
    redis.call('XACK', KEYS[6], 'workers', ARGV[5])
    redis.call('XDEL', KEYS[6], ARGV[5])
end
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'in_progress' and status ~= 'cancelling' and status ~= 'finalizing' then
    return 0
end
-- Its output is being written from what was recorded: an answer now would count without being in it.
if redis.call('HEXISTS', KEYS[1], 'sealed') == 1 then
    return 0
end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 or redis.call('SETBIT', KEYS[5], ARGV[1], 1) == 1 then
    return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. ARGV[3])
redis.call('HINCRBY', KEYS[1], ARGV[2] == 'o' and 'completed' or 'failed', 1)
local counts = redis.call('HMGET', KEYS[1], 'total', 'completed', 'failed', 'queued', 'flush', 'refill')
local answered = tonumber(counts[2]) + tonumber(counts[3])
if status == 'in_progress' and answered == tonumber(counts[1]) then
    redis.call('XADD', KEYS[4], '*', 'task', 'finalize', 'batch', ARGV[4])
end
if not counts[5] and redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[6]) then
    redis.call('HSET', KEYS[1], 'flush', 1)
    redis.call('XADD', KEYS[4], '*', 'task', 'flush', 'batch', ARGV[4])
end
local queued = tonumber(counts[4] or 0)
if status == 'in_progress' and not counts[6] and queued < tonumber(counts[1])
        and queued - answered <= tonumber(ARGV[7]) / 2 then
    redis.call('HSET', KEYS[1], 'refill', 1)
    redis.call('XADD', KEYS[4], '*', 'task', 'refill', 'batch', ARGV[4])
end
return 1
