-- A page of a key's batches, newest first, in one step: up to ARGV[2] after the batch ARGV[1] ('' for the first
-- page). KEYS[1] the key's batches by creation; ARGV[3] the prefix of batch hashes. A batch whose hash expired
-- (ended longer ago than the file retention) leaves the list here. Answers 'after' when ARGV[1] is not in the
-- list, else a flat list: 1 or 0 for whether more follow, then per batch its id, state, total, completed,
-- failed and validation errors (false when none).
local start = 0
if ARGV[1] ~= '' then
    local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
    if not rank then
        return 'after'
    end
    start = rank + 1
end
local limit = tonumber(ARGV[2])
local page = {0}
while #page < 1 + 6 * limit do
    local ids = redis.call('ZREVRANGE', KEYS[1], start, start + limit)
    if #ids == 0 then
        return page
    end
    for _, id in ipairs(ids) do
        local fields = redis.call('HMGET', ARGV[3] .. id, 'state', 'total', 'completed', 'failed', 'errors')
        if not fields[1] then
            redis.call('ZREM', KEYS[1], id)
        elseif #page >= 1 + 6 * limit then
            page[1] = 1
            return page
        else
            page[#page + 1] = id
            for i = 1, 5 do
                page[#page + 1] = fields[i]
            end
            start = start + 1
        end
    end
end
if redis.call('ZREVRANGE', KEYS[1], start, start)[1] then
    page[1] = 1
end
return page
