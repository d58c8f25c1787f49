-- A task done: acknowledged and deleted from the stream in one step, so that the stream holds only work to do.
-- KEYS[1] the stream; ARGV[1] the group, ARGV[2] the entry.
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])
