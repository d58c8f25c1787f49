-- The backend refused a call as one too many: drops the adaptive rate of the bucket of token-bucket.lua in KEYS[1]
-- (AdaptiveRate.rejected in Java is the same arithmetic) and holds its next token back for the Retry-After.
-- ARGV[1] is the generation the call went under (a refusal of a call let through before the last drop changes
-- nothing), ARGV[2] the Retry-After in milliseconds (0 without one), ARGV[3] the bucket's size, ARGV[4] the
-- starting rate per millisecond, ARGV[5] the share of the last window's calls the rate drops to, ARGV[6] the
-- lowest rate per millisecond, ARGV[7] the step after a drop as a share of the rate, ARGV[8] the smallest step per
-- millisecond, ARGV[9] the window in milliseconds. Answers the rate in tokens a minute, as text.
local burst = tonumber(ARGV[3])
local window = tonumber(ARGV[9])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'rate', 'gen', 'win', 'cur', 'prev')
local rate = tonumber(state[3]) or tonumber(ARGV[4])
local gen = tonumber(state[4]) or 0
local elapsed = math.max(0, now - (tonumber(state[2]) or now))
local tokens = math.min(burst, (tonumber(state[1]) or burst) + elapsed * rate)
if tonumber(ARGV[1]) == gen then
    local at = math.floor(now / window)
    local win = tonumber(state[5]) or at
    local cur = tonumber(state[6]) or 0
    local prev = tonumber(state[7]) or 0
    if at ~= win then
        if at == win + 1 then
            prev = cur
        else
            prev = 0
        end
        cur = 0
    end
    local lastWindow = prev * (1 - (now % window) / window) + cur
    rate = math.max(tonumber(ARGV[6]), tonumber(ARGV[5]) * math.min(rate, math.max(lastWindow / window, rate / 4)))
    local step = math.max(tonumber(ARGV[8]), tonumber(ARGV[7]) * rate)
    gen = gen + 1
    redis.call('HSET', KEYS[1], 'rate', tostring(rate), 'slow', '0', 'step', tostring(step), 'gen', tostring(gen),
        'win', tostring(at), 'cur', tostring(cur), 'prev', tostring(prev))
end
tokens = math.min(tokens, 1 - tonumber(ARGV[2]) * rate)
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 3600000)
return tostring(rate * 60000)
