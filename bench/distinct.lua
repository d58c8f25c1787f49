-- POSTs a distinct conversation each time and counts the answers by status (a global, for thread:get).
local counter = 0
statuses = {}
local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    statuses = {}
end

function request()
    counter = counter + 1
    local body = string.format('{"prompt": "Overload %d-%d %d", "response": "An answer."}', id, counter, os.time())
    return wrk.format("POST", "/v1/scores", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
    if (status == 429 or status == 503) and headers["Retry-After"] == nil then
        statuses["without Retry-After"] = (statuses["without Retry-After"] or 0) + 1
    end
end

function done(summary, latency, requests)
    local total = {}
    for _, thread in ipairs(threads) do
        local counts = thread:get("statuses")
        for status, n in pairs(counts) do
            total[status] = (total[status] or 0) + n
        end
    end
    for status, n in pairs(total) do
        io.write(string.format("status %s: %d\n", tostring(status), n))
    end
end
