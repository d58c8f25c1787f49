-- wrk script: POSTs the file named by BODY_FILE as JSON, the same body every time (a cache hit after the first).
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
