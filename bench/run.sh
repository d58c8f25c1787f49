#!/usr/bin/env bash
# Measures rewardgate side by side with nginx, a bare Quarkus app (bench/baseline), a direct call to a fake
# backend, and the Portkey AI gateway, all on 127.0.0.1 in one run, then writes bench/RESULTS.md and
# bench/results.png. Needs the packaged jar (./mvnw package -DskipTests), Node 20+ and python3; installs wrk,
# nginx and gnuplot from Debian's packages when absent (as root), and Portkey from npm (bench/package.json).
#
#   bench/run.sh            # about 11 minutes on 2 cores
#   bench/run.sh --smoke    # every scenario with tiny durations and counts, results under target/bench/
#
# Every process it starts is stopped by PID when it ends. The load generator shares the machine's cores with
# the servers, so figures are comparative, not absolute.
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=
[ "${1:-}" = --smoke ] && SMOKE=1
if [ -n "$SMOKE" ]; then
    DURATION=1 WARMUP=1 RATE_DURATION=1 IN_FLIGHT=200 IDENTICAL=100 RUNS=1 CONNECTIONS_LIST="1 64" STARTS=1
    HEADLINE_ROUNDS=1 WARM_BATCHES=1
    OUT=target/bench/smoke
else
    DURATION=${BENCH_DURATION:-10} WARMUP=${BENCH_WARMUP:-5} RATE_DURATION=${BENCH_RATE_DURATION:-20}
    IN_FLIGHT=10000 IDENTICAL=1000 RUNS=5 CONNECTIONS_LIST="1 4 16 64 256" STARTS=5 HEADLINE_ROUNDS=3
    WARM_BATCHES=3
    OUT=bench
fi
RATE=${BENCH_RATE:-500}
WORK=target/bench
RAW=$WORK/raw
mkdir -p "$RAW" "$OUT"
rm -f "$RAW"/*
# What a 512 MiB container gives the JVM with the image's flags (src/main/docker/Dockerfile.jvm).
JVM_FLAGS=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError)

log() { echo "bench: $*" >&2; }

[ -f target/quarkus-app/quarkus-run.jar ] || { log "target/quarkus-app is missing: run ./mvnw package -DskipTests"; exit 2; }
command -v node >/dev/null || { log "Node 20+ is needed"; exit 2; }
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { log "install ${missing[*]} first"; exit 2; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
(cd bench && npm ci --no-audit --no-fund --loglevel=error)
# stale FILE SOURCES...: whether FILE is missing or older than any of SOURCES.
stale() {
    local file=$1
    shift
    [ ! -f "$file" ] || [ -n "$(find "$@" -newer "$file" -type f -print -quit)" ]
}
if stale bench/baseline/target/quarkus-app/quarkus-run.jar bench/baseline/pom.xml bench/baseline/src; then
    ./mvnw -q -B -ntp -f bench/baseline/pom.xml package -DskipTests
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

pids=()
stop_all() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
}
trap stop_all EXIT
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {
    for _ in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done
    log "no answer from $1"
    return 1
}
status_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# start_fake DELAY_MS: sets FAKE_PORT and FAKE_PID.
start_fake() {
    FAKE_PORT=$(free_port)
    node bench/fake-backend.mjs --port "$FAKE_PORT" --delay-ms "$1" > "$WORK/fake-$1.log" 2>&1 &
    FAKE_PID=$!
    pids+=("$FAKE_PID")
    wait_for "http://127.0.0.1:$FAKE_PORT/calls"
}
# backend_seconds: "count sum" of rewardgate's backend call timer, from its metrics.
backend_seconds() {
    curl -sf "http://127.0.0.1:$APP_MGMT/q/metrics" | awk '
        /^rewardgate_backend_calls_seconds_count\{/ { c += $2 } /^rewardgate_backend_calls_seconds_sum\{/ { s += $2 }
        END { print c, s }'
}
calls() { curl -sf "http://127.0.0.1:$1/calls" | python3 -c 'import json,sys; print(json.load(sys.stdin)["calls"])'; }
reset_calls() { curl -sf -X POST -o /dev/null "http://127.0.0.1:$1/calls/reset"; }

# start_app FAKE_PORT [-Dsetting=value...]: rewardgate on the nvidia backend pointed at a fake; sets APP_PORT,
# APP_MGMT and APP_PID.
start_app() {
    local fake=$1
    shift
    APP_PORT=$(free_port)
    APP_MGMT=$(free_port)
    NVIDIA_API_KEY=bench java "${JVM_FLAGS[@]}" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" \
        -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$APP_MGMT" \
        -Drewardgate.backend=nvidia -Drewardgate.nvidia.base-url="http://127.0.0.1:$fake/v1" \
        -Drewardgate.nvidia.retry.max-retries=0 "$@" \
        -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
    APP_PID=$!
    pids+=("$APP_PID")
    wait_for "http://127.0.0.1:$APP_MGMT/q/health/ready"
}

# wrk_run NAME URL BODY_FILE CONNECTIONS DURATION: writes $RAW/NAME.json with rps and latency percentiles (ms).
wrk_run() {
    local threads=$(( $4 < 2 ? 1 : 2 ))
    BODY_FILE=$3 wrk -t"$threads" -c"$4" -d"$5"s --latency -s bench/post.lua "$2" > "$RAW/$1.txt" 2>&1
    python3 - "$RAW/$1.txt" "$4" > "$RAW/$1.json" <<'PY'
import json, re, sys
text, connections = open(sys.argv[1]).read(), int(sys.argv[2])
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
pct = {p: ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M)}
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
print(json.dumps({"connections": connections, "rps": rps, "p50": pct.get("50"), "p99": pct.get("99"),
                  "non2xx": int(errors.group(1)) if errors else 0,
                  "socketErrors": sum(map(int, sock.groups())) if sock else 0}))
PY
    log "$1: $(cat "$RAW/$1.json")"
}

python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
def score(size):
    base = {"prompt": "What is the capital of France?", "response": "The capital of France is Paris."}
    pad = size - len(json.dumps(base))
    if pad > 0:
        base["response"] += " " + ("Paris has been the capital of France for centuries. " * (pad // 52 + 1))[:pad - 1]
    return base
for name, size in (("hit", 0), ("hit-1k", 1024), ("hit-16k", 16384), ("hit-64k", 65536)):
    json.dump(score(size), open(f"{work}/{name}.json", "w"))
PY

log "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(java -version 2>&1 | head -1)"
python3 - "$RAW/machine.json" <<PY
import json, platform, subprocess, sys
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
json.dump({"cpu": cpu, "cores": $(nproc), "memory": "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)",
           "kernel": platform.release(), "java": java, "node": "$(node --version)",
           "wrk": "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)", "nginx": "$($NGINX -v 2>&1 | cut -d/ -f2)",
           "jvmFlags": "${JVM_FLAGS[*]}", "smoke": bool("$SMOKE")}, open(sys.argv[1], "w"))
PY

# --- The cache-hit path beside nginx and the bare Quarkus app -------------------------------------------------
start_fake 0
FAST_FAKE=$FAKE_PORT
start_app "$FAST_FAKE" -Drewardgate.limits.max-chars=100000
# The second answer is the cache hit every later request gets.
for _ in 1 2; do
    curl -sf -o "$WORK/score-response.json" -H 'Content-Type: application/json' --data-binary @"$WORK/hit.json" \
        "http://127.0.0.1:$APP_PORT/v1/scores"
done
RESPONSE_BYTES=$(wc -c < "$WORK/score-response.json")

NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
python3 - "$WORK/score-response.json" "$NGINX_PORT" "$(pwd)/$WORK/nginx" > "$WORK/nginx/nginx.conf" <<'PY'
import sys
body = open(sys.argv[1]).read().replace("\\", "\\\\").replace("'", "\\'")
port, prefix = sys.argv[2], sys.argv[3]
print(f"""worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            default_type application/json;
            return 200 '{body}';
        }}
    }}
}}""")
PY
"$NGINX" -c "$(pwd)/$WORK/nginx/nginx.conf" -g 'daemon off;' > "$WORK/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
pids+=("$NGINX_PID")
wait_for "http://127.0.0.1:$NGINX_PORT/"

BASE_PORT=$(free_port)
java "${JVM_FLAGS[@]}" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$BASE_PORT" \
    -Dbaseline.body-file="$WORK/score-response.json" -jar bench/baseline/target/quarkus-app/quarkus-run.jar \
    > "$WORK/baseline.log" 2>&1 &
BASE_PID=$!
pids+=("$BASE_PID")
wait_for "http://127.0.0.1:$BASE_PORT/q/health/ready"
[ "$(curl -sf -H 'Content-Type: application/json' --data-binary @"$WORK/hit.json" "http://127.0.0.1:$BASE_PORT/v1/scores" | wc -c)" = "$RESPONSE_BYTES" ]
[ "$(curl -sf -X POST --data-binary @"$WORK/hit.json" "http://127.0.0.1:$NGINX_PORT/v1/scores" | wc -c)" = "$RESPONSE_BYTES" ]

declare -A TARGET=(
    [rewardgate]="http://127.0.0.1:$APP_PORT/v1/scores"
    [baseline]="http://127.0.0.1:$BASE_PORT/v1/scores"
    [baseline-json]="http://127.0.0.1:$BASE_PORT/v1/scores-json"
    [nginx]="http://127.0.0.1:$NGINX_PORT/v1/scores"
)
for name in rewardgate baseline baseline-json nginx; do
    log "warming up $name"
    BODY_FILE="$WORK/hit.json" wrk -t2 -c64 -d"$WARMUP"s -s bench/post.lua "${TARGET[$name]}" > /dev/null
done
for c in $CONNECTIONS_LIST; do
    for name in rewardgate baseline baseline-json nginx; do
        wrk_run "hit-$name-c$c" "${TARGET[$name]}" "$WORK/hit.json" "$c" "$DURATION"
    done
done
# The headline ratio at 64 connections: three more rounds, servers taking turns, so that a slow spell of the
# machine does not fall on one of them only.
for round in $(seq 1 "$HEADLINE_ROUNDS"); do
    for name in rewardgate baseline baseline-json nginx; do
        wrk_run "headline-$name-r$round" "${TARGET[$name]}" "$WORK/hit.json" 64 "$DURATION"
    done
done
backend_calls=$(calls "$FAST_FAKE")
echo "{\"backendCalls\": $backend_calls}" > "$RAW/hit-backend-calls.json"

# Cost growth: hits on bigger conversations (the key is a hash of the whole conversation).
for size in 1k 16k 64k; do
    curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @"$WORK/hit-$size.json" "${TARGET[rewardgate]}"
    BODY_FILE="$WORK/hit-$size.json" wrk -t2 -c64 -d"$WARMUP"s -s bench/post.lua "${TARGET[rewardgate]}" > /dev/null
    wrk_run "size-$size" "${TARGET[rewardgate]}" "$WORK/hit-$size.json" 64 "$DURATION"
done
stop "$NGINX_PID"
stop "$BASE_PID"

# --- Added latency over a direct call, at a fixed rate of distinct conversations, beside Portkey ----------------
PORTKEY_PORT=$(free_port)
node --import ./bench/bind-loopback.mjs bench/node_modules/@portkey-ai/gateway/build/start-server.js \
    --port="$PORTKEY_PORT" --headless > "$WORK/portkey.log" 2>&1 &
PORTKEY_PID=$!
pids+=("$PORTKEY_PID")
wait_for "http://127.0.0.1:$PORTKEY_PORT/"
PORTKEY_VERSION=$(node -p 'require("./bench/node_modules/@portkey-ai/gateway/package.json").version')
PORTKEY_HEADERS=(--header "x-portkey-provider: openai" --header "x-portkey-custom-host: http://127.0.0.1:$FAST_FAKE/v1"
                 --header "Authorization: Bearer bench")
rate_run() {
    local name=$1 url=$2
    shift 2
    node bench/load.mjs rate --url "$url" --rate "$RATE" --duration "$RATE_DURATION" --warmup "$WARMUP" \
        --body-kind chat --distinct --json-out "$RAW/$name.json" "$@" >&2
}
for round in 1 2; do
    rate_run "rate-direct-$round" "http://127.0.0.1:$FAST_FAKE/v1/chat/completions"
    rate_run "rate-rewardgate-$round" "http://127.0.0.1:$APP_PORT/v1/chat/completions"
    rate_run "rate-portkey-$round" "http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions" "${PORTKEY_HEADERS[@]}"
done

# --- A caching peer: the same request again and again through Portkey's simple cache and through rewardgate -----
reset_calls "$FAST_FAKE"
node bench/load.mjs rate --url "http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions" --rate 200 \
    --duration $(( IDENTICAL / 200 > 0 ? IDENTICAL / 200 : 1 )) --body-kind chat --identical --connections 1 \
    --header "x-portkey-config: {\"provider\":\"openai\",\"custom_host\":\"http://127.0.0.1:$FAST_FAKE/v1\",\"api_key\":\"bench\",\"cache\":{\"mode\":\"simple\"}}" \
    --json-out "$RAW/repeat-portkey.json" >&2
PORTKEY_CACHE_STATUS=$(curl -s -o /dev/null -D - -H 'Content-Type: application/json' \
    -H "x-portkey-config: {\"provider\":\"openai\",\"custom_host\":\"http://127.0.0.1:$FAST_FAKE/v1\",\"api_key\":\"bench\",\"cache\":{\"mode\":\"simple\"}}" \
    -d '{"model": "m", "messages": [{"role": "user", "content": "cache?"}, {"role": "assistant", "content": "probe"}]}' \
    "http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions" | awk -F': ' 'tolower($1) == "x-portkey-cache-status" { print $2 }' | tr -d '\r')
echo "{\"backendCalls\": $(( $(calls "$FAST_FAKE") - 1 )), \"cacheStatus\": \"$PORTKEY_CACHE_STATUS\", \"version\": \"$PORTKEY_VERSION\"}" \
    > "$RAW/repeat-portkey-calls.json"
reset_calls "$FAST_FAKE"
node bench/load.mjs rate --url "http://127.0.0.1:$APP_PORT/v1/chat/completions" --rate 200 \
    --duration $(( IDENTICAL / 200 > 0 ? IDENTICAL / 200 : 1 )) --body-kind chat --identical --connections 1 \
    --json-out "$RAW/repeat-rewardgate.json" >&2
echo "{\"backendCalls\": $(calls "$FAST_FAKE")}" > "$RAW/repeat-rewardgate-calls.json"
stop "$PORTKEY_PID"

# --- Batch cost growth against the zero-latency fake ------------------------------------------------------------
batch_body() {
    python3 - "$1" > "$WORK/batch-$1.json" <<'PY'
import json, sys, uuid
n, run = int(sys.argv[1]), uuid.uuid4().hex
print(json.dumps({"items": [{"id": str(i), "prompt": f"{run} question {i}?", "response": f"Answer {i}."} for i in range(n)]}))
PY
}
batch_time() {
    batch_body "$2"
    curl -s -o "$WORK/batch.out" -w '%{http_code} %{time_total}\n' -H 'Content-Type: application/json' \
        --data-binary @"$WORK/batch-$2.json" "http://127.0.0.1:$1/v1/scores/batch"
}
for items in 10 100 1000; do
    batch_time "$APP_PORT" "$items" > /dev/null
    for run in $(seq 1 "$RUNS"); do batch_time "$APP_PORT" "$items"; done > "$RAW/batch-fast-$items.txt"
done
stop "$APP_PID"

# --- A 1,000-item batch at max-concurrency 64 against a 50 ms backend -------------------------------------------
start_fake 50
start_app "$FAKE_PORT" -Drewardgate.nvidia.max-concurrency=64 -Drewardgate.limits.item-concurrency=64
# The backend client's path is compiled by the JIT over the first few thousand calls.
for _ in $(seq 1 "$WARM_BATCHES"); do batch_time "$APP_PORT" 1000 > /dev/null; done
calls_before=$(backend_seconds)
for run in $(seq 1 "$RUNS"); do batch_time "$APP_PORT" 1000; done > "$RAW/batch-50ms-1000.txt"
# What one call to the fake took as rewardgate saw it, for the bound with the backend's real latency.
python3 -c 'import sys; (c0, s0), (c1, s1) = (map(float, a.split()) for a in sys.argv[1:]); print("{\"meanCallSeconds\": %.6f}" % ((s1 - s0) / (c1 - c0)))' \
    "$calls_before" "$(backend_seconds)" > "$RAW/batch-50ms-calls.json"
stop "$APP_PID"
stop "$FAKE_PID"

# --- 1,000 identical concurrent requests: one backend call --------------------------------------------------------
start_fake 200
start_app "$FAKE_PORT" -Drewardgate.nvidia.max-concurrency=64
node bench/load.mjs burst --url "http://127.0.0.1:$APP_PORT/v1/scores" --count "$IDENTICAL" --body-kind score \
    --identical --json-out "$RAW/identical.json" >&2
echo "{\"backendCalls\": $(calls "$FAKE_PORT")}" > "$RAW/identical-calls.json"
stop "$APP_PID"
stop "$FAKE_PID"

# --- 10,000 requests in flight against a backend that answers after 1 s --------------------------------------------
start_fake 1000
start_app "$FAKE_PORT" -Drewardgate.nvidia.max-concurrency="$IN_FLIGHT" -Drewardgate.nvidia.max-queue="$IN_FLIGHT" \
    -Drewardgate.nvidia.timeout=30s
IDLE_THREADS=$(status_field "$APP_PID" Threads)
# Callers over HTTP/2, 100 requests to a connection: 10,000 HTTP/1.1 callers plus 10,000 backend connections
# would not fit the 20,000 open files a process may have on machines like this one.
node bench/load.mjs burst --url "http://127.0.0.1:$APP_PORT/v1/scores" --count "$IN_FLIGHT" --body-kind score \
    --distinct --http2 --json-out "$RAW/in-flight.json" >&2 &
LOAD_PID=$!
peak_threads=$IDLE_THREADS
while kill -0 "$LOAD_PID" 2>/dev/null; do
    t=$(status_field "$APP_PID" Threads)
    [ "$t" -gt "$peak_threads" ] && peak_threads=$t
    sleep 0.1
done
wait "$LOAD_PID"
echo "{\"backendCalls\": $(calls "$FAKE_PORT"), \"peakRssKiB\": $(status_field "$APP_PID" VmHWM | tr -dc 0-9), \"idleThreads\": $IDLE_THREADS, \"peakThreads\": $peak_threads}" \
    > "$RAW/in-flight-process.json"
stop "$APP_PID"
stop "$FAKE_PID"
stop "$FAST_FAKE"

# --- Start to ready and idle memory, beside the baseline, with and without AppCDS --------------------------------
# start_ready NAME READY_URL COMMAND...: launches, times the first 200 from READY_URL, lets it idle 2 s, reads RSS.
start_ready() {
    local name=$1 url=$2
    shift 2
    local started ready
    started=$(date +%s%N)
    "$@" > "$WORK/$name-start.log" 2>&1 &
    local pid=$!
    until curl -sf -o /dev/null "$url"; do
        kill -0 "$pid" 2>/dev/null || { log "$name exited"; return 1; }
        sleep 0.01
    done
    ready=$(date +%s%N)
    sleep 2
    echo "$(( (ready - started) / 1000000 )) $(status_field "$pid" VmRSS | tr -dc 0-9)" >> "$RAW/start-$name.txt"
    stop "$pid"
}
APPCDS_DIR=$WORK/appcds
if stale "$APPCDS_DIR/app-cds.jsa" target/quarkus-app; then
    log "building an AppCDS archive"
    ./mvnw -q -B -ntp package -DskipTests -Dquarkus.package.jar.appcds.enabled=true \
        -Dquarkus.package.jar.appcds.use-container=false \
        -Dquarkus.package.output-directory="$(pwd)/$APPCDS_DIR" -Dquarkus.package.output-name=appcds \
        > "$WORK/appcds-build.log" 2>&1 || log "the AppCDS build failed (see $WORK/appcds-build.log)"
fi
for run in $(seq 1 "$STARTS"); do
    port=$(free_port) mgmt=$(free_port)
    start_ready rewardgate "http://127.0.0.1:$mgmt/q/health/ready" java "${JVM_FLAGS[@]}" \
        -Dquarkus.http.port="$port" -Dquarkus.management.port="$mgmt" -jar target/quarkus-app/quarkus-run.jar
    port=$(free_port)
    start_ready baseline "http://127.0.0.1:$port/q/health/ready" java "${JVM_FLAGS[@]}" \
        -Dquarkus.http.port="$port" -Dbaseline.body-file="$WORK/score-response.json" \
        -jar bench/baseline/target/quarkus-app/quarkus-run.jar
    if [ -f "$APPCDS_DIR/app-cds.jsa" ]; then
        # The archive records the class path as it was built, relative to the application's directory.
        port=$(free_port) mgmt=$(free_port)
        start_ready rewardgate-appcds "http://127.0.0.1:$mgmt/q/health/ready" env -C "$APPCDS_DIR" java "${JVM_FLAGS[@]}" \
            -XX:SharedArchiveFile=app-cds.jsa -Dquarkus.http.port="$port" -Dquarkus.management.port="$mgmt" \
            -jar quarkus-run.jar
    fi
done

python3 bench/report.py "$RAW" "$OUT" "$RESPONSE_BYTES" "$RATE"
log "wrote $OUT/RESULTS.md and $OUT/results.png"
