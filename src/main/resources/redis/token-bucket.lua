-- One token bucket shared by every replica: KEYS[1] holds tokens and the time they were counted, ARGV[1] the
-- tokens gained per millisecond, ARGV[2] the bucket's size. Takes a token and answers 0, or answers the
-- milliseconds until the next one. The clock is the server's, the same for every replica.
--
-- ARGV[3] is the caller's lane, 'interactive' or 'batch'; ARGV[4] the batch lane's share of the budget, and
-- ARGV[5] how long, in milliseconds, after an interactive call asked for a token the batch lane keeps to its share.
-- Batch lines always spend from a bucket of their own, of that share of the rate and size, besides the one
-- bucket, so that when an interactive caller comes, the batch lines of every replica together are at once
-- held to their share; with no interactive call within the window they may use the whole budget.
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local lane = ARGV[3] or 'interactive'
local share = tonumber(ARGV[4] or '1')
local quiet = tonumber(ARGV[5] or '0')
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'batch', 'interactive')
local elapsed = math.max(0, now - (tonumber(state[2]) or now))
local tokens = math.min(burst, (tonumber(state[1]) or burst) + elapsed * rate)
local batchBurst = math.max(1, burst * share)
local batchTokens = math.min(batchBurst, (tonumber(state[3]) or batchBurst) + elapsed * rate * share)
local interactive = tonumber(state[4]) or 0
if lane ~= 'batch' then
    -- An interactive caller counts from its first try: one that has to wait is the one to make room for.
    interactive = now
end
local wait = 0
if tokens < 1 then
    wait = math.ceil((1 - tokens) / rate)
end
if lane == 'batch' and now - interactive < quiet and batchTokens < 1 then
    wait = math.max(wait, math.ceil((1 - batchTokens) / (rate * share)))
end
if wait == 0 then
    tokens = tokens - 1
    if lane == 'batch' then
        batchTokens = math.max(0, batchTokens - 1)
    end
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now), 'batch', tostring(batchTokens),
    'interactive', tostring(interactive))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 60000)
return wait
