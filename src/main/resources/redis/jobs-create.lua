-- A new batch: KEYS[1] its hash, KEYS[2] its owner's batches by creation, KEYS[3] the batches not ended,
-- KEYS[4] the task stream. ARGV: the state (JSON), its status, its creation in milliseconds, its id. The first
-- task, validating its file, is queued with it, so that a batch is never stored without someone to run it.
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'status', ARGV[2], 'total', 0, 'completed', 0, 'failed', 0,
    'enqueued', 0)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('SADD', KEYS[3], ARGV[4])
redis.call('XADD', KEYS[4], '*', 'task', 'validate', 'batch', ARGV[4])
return 1
