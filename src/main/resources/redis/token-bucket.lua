-- One token bucket shared by every replica: KEYS[1] holds tokens and the time they were counted, ARGV[1] the
-- tokens gained per millisecond, ARGV[2] the bucket's size. Takes a token and answers {0, generation, rate}, or
-- {the milliseconds until the next token, generation, rate}; rate is in tokens a minute, as text. The clock is the
-- server's, the same for every replica.
--
-- ARGV[3] is the caller's lane, 'interactive' or 'batch'; ARGV[4] the batch lane's share of the budget, and
-- ARGV[5] how long, in milliseconds, after an interactive call asked for a token the batch lane keeps to its share.
-- Batch lines always spend from a bucket of their own, of that share of the rate and size, besides the one
-- bucket, so that when an interactive caller comes, the batch lines of every replica together are at once
-- held to their share; with no interactive call within the window they may use the whole budget.
--
-- ARGV[1] 'auto' is an adaptive rate (AdaptiveRate in Java is the same arithmetic), kept in the hash: it starts
-- at ARGV[6] tokens per millisecond and, while a caller finds no token, doubles every ARGV[7] milliseconds until
-- rate-backoff.lua first drops it, then grows by its step per ARGV[8] milliseconds; the tokens taken are counted
-- per window of ARGV[8] milliseconds for rate-backoff.lua. The generation counts its drops.
local auto = ARGV[1] == 'auto'
local burst = tonumber(ARGV[2])
local lane = ARGV[3] or 'interactive'
local share = tonumber(ARGV[4] or '1')
local quiet = tonumber(ARGV[5] or '0')
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'batch', 'interactive', 'rate', 'slow', 'step', 'gen',
    'limited', 'win', 'cur', 'prev')
local rate = tonumber(ARGV[1])
if auto then
    rate = tonumber(state[5]) or tonumber(ARGV[6])
end
local elapsed = math.max(0, now - (tonumber(state[2]) or now))
local tokens = math.min(burst, (tonumber(state[1]) or burst) + elapsed * rate)
local batchBurst = math.max(1, burst * share)
local batchTokens = math.min(batchBurst, (tonumber(state[3]) or batchBurst) + elapsed * rate * share)
local interactive = tonumber(state[4]) or 0
if lane ~= 'batch' then
    -- An interactive caller counts from its first try: one that has to wait is the one to make room for.
    interactive = now
end
local slow = state[6] ~= '0'
local step = tonumber(state[7]) or 0
local gen = tonumber(state[8]) or 0
local limited = tonumber(state[9]) or now
local window = tonumber(ARGV[8] or '60000')
local win = tonumber(state[10]) or math.floor(now / window)
local cur = tonumber(state[11]) or 0
local prev = tonumber(state[12]) or 0
local wait = 0
if tokens < 1 then
    wait = math.ceil((1 - tokens) / rate)
    if auto then
        -- The rate is what holds this caller back: it grows by the time since the last such wait, a second at most.
        local stride = math.min(now - limited, 1000)
        if stride > 0 then
            if slow then
                rate = rate * 2 ^ (stride / tonumber(ARGV[7]))
            else
                rate = rate + step * stride / window
            end
        end
        limited = now
    end
end
if lane == 'batch' and now - interactive < quiet and batchTokens < 1 then
    wait = math.max(wait, math.ceil((1 - batchTokens) / (rate * share)))
end
if wait == 0 then
    tokens = tokens - 1
    if lane == 'batch' then
        batchTokens = math.max(0, batchTokens - 1)
    end
    local at = math.floor(now / window)
    if at ~= win then
        if at == win + 1 then
            prev = cur
        else
            prev = 0
        end
        cur = 0
        win = at
    end
    cur = cur + 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now), 'batch', tostring(batchTokens),
    'interactive', tostring(interactive))
if auto then
    redis.call('HSET', KEYS[1], 'rate', tostring(rate), 'limited', tostring(limited), 'win', tostring(win),
        'cur', tostring(cur), 'prev', tostring(prev))
    -- What was learnt outlives a quiet hour.
    redis.call('PEXPIRE', KEYS[1], 3600000)
else
    redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 60000)
end
return {wait, gen, tostring(rate * 60000)}
