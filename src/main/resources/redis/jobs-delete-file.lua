-- Marks a file deleted unless a batch that has not ended reads it, in one step with a batch's creation over it
-- (which looks for the mark): a delete and a creation cannot both succeed. KEYS[1] the batches reading the
-- file, KEYS[2] its deletion mark; ARGV[1] how long the mark is kept, in milliseconds. Answers 'ok', or the id
-- of a batch that reads it.
local reader = redis.call('SRANDMEMBER', KEYS[1])
if reader then
    return reader
end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return 'ok'
