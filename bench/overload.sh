#!/usr/bin/env bash
# A tenfold overload of distinct requests against a fixed-delay fake backend: counts answers by status and
# reads the service's largest heap after GC. Needs a built jar (./mvnw package -DskipTests) and wrk.
#   bench/overload.sh [seconds=15] [delay-ms=100] [max-concurrency=4] [connections=400] [max-queue=40]
# The defaults make a backend of 40 scores/s face 400 clients that ask again as soon as they are answered.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN=${1:-15}
DELAY=${2:-100}
CONCURRENCY=${3:-4}
CONNECTIONS=${4:-400}
MAX_QUEUE=${5:-40}
APP_PORT=${APP_PORT:-18080}
FAKE_PORT=${FAKE_PORT:-18089}
WORK=target/bench
mkdir -p "$WORK"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

WIREMOCK="$WORK/wiremock-standalone.jar"
if [ ! -f "$WIREMOCK" ]; then
    ./mvnw -q -B dependency:copy -Dartifact=org.wiremock:wiremock-standalone:3.13.2 \
        -DoutputDirectory="$WORK" -Dmdep.stripVersion=true
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_for() {
    for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
    echo "no answer from $1" >&2
    return 1
}

java -jar "$WIREMOCK" --port "$FAKE_PORT" --no-request-journal --container-threads 400 \
    --async-response-enabled true --disable-banner > "$WORK/fake.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$FAKE_PORT/__admin/mappings"
body=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' src/test/resources/nvidia/paris-scores.json)
curl -sf -o /dev/null -X POST "http://127.0.0.1:$FAKE_PORT/__admin/mappings" \
    -d "{\"request\": {\"method\": \"POST\", \"url\": \"/v1/chat/completions\"},
         \"response\": {\"status\": 200, \"fixedDelayMilliseconds\": $DELAY, \"body\": $body}}"

REWARDGATE_BACKEND=nvidia REWARDGATE_NVIDIA_BASE_URL="http://127.0.0.1:$FAKE_PORT/v1" NVIDIA_API_KEY=bench \
    REWARDGATE_NVIDIA_MAX_CONCURRENCY="$CONCURRENCY" REWARDGATE_NVIDIA_MAX_QUEUE="$MAX_QUEUE" \
    QUARKUS_HTTP_PORT="$APP_PORT" java -Xlog:gc:file="$WORK/overload-gc.log" -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
app=$!
pids+=($app)
wait_for "http://127.0.0.1:$APP_PORT/q/health/ready"

capacity=$((CONCURRENCY * 1000 / DELAY))
echo "backend capacity: $CONCURRENCY calls x 1000/$DELAY ms = $capacity scores/s; queue: $MAX_QUEUE;" \
    "load: $CONNECTIONS connections"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" --latency -s bench/distinct.lua "http://127.0.0.1:$APP_PORT" \
    | grep -E "Requests/sec|status|Latency|50%|99%"
echo "largest heap after GC: $(grep -oE '\->[0-9]+M' "$WORK/overload-gc.log" | tr -d '>M-' | sort -n | tail -1) MiB;" \
    "RSS: $(( $(ps -o rss= -p "$app") / 1024 )) MiB"
curl -s "http://127.0.0.1:$APP_PORT/q/metrics" | grep -E '^rewardgate_(backend_refused_total|backend_failures_total)' || true
