-- A new batch, unless its key has as many batches validating or in progress as it may, or its input file was
-- deleted meanwhile. KEYS[1] its hash, KEYS[2] its owner's batches by creation, KEYS[3] the batches not ended,
-- KEYS[4] the task stream, KEYS[5] its owner's active batches, KEYS[6] the batches reading its input file,
-- KEYS[7] the input file's deletion mark. ARGV: the state (JSON), its status, its creation in milliseconds, its
-- id, the most active batches a key may have, its owner's name. The first task, validating its file, is queued
-- with it, so that a batch is never stored without someone to run it. Answers 'ok', 'gone' (the file was
-- deleted) or 'limited' (the key's limit).
if redis.call('EXISTS', KEYS[7]) == 1 then
    return 'gone'
end
if redis.call('SCARD', KEYS[5]) >= tonumber(ARGV[5]) then
    return 'limited'
end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'status', ARGV[2], 'total', 0, 'completed', 0, 'failed', 0,
    'queued', 0, 'offset', 0, 'number', 0, 'owner', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('SADD', KEYS[3], ARGV[4])
redis.call('SADD', KEYS[5], ARGV[4])
redis.call('SADD', KEYS[6], ARGV[4])
redis.call('XADD', KEYS[4], '*', 'task', 'validate', 'batch', ARGV[4])
return 'ok'
