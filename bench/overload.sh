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
source bench/common.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

start_fake "$DELAY" 400
REWARDGATE_NVIDIA_MAX_CONCURRENCY="$CONCURRENCY" REWARDGATE_NVIDIA_MAX_QUEUE="$MAX_QUEUE" \
    start_app -Xlog:gc:file="$WORK/overload-gc.log"
app=$APP_PID

capacity=$((CONCURRENCY * 1000 / DELAY))
echo "backend capacity: $CONCURRENCY calls x 1000/$DELAY ms = $capacity scores/s; queue: $MAX_QUEUE;" \
    "load: $CONNECTIONS connections"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" --latency -s bench/distinct.lua "http://127.0.0.1:$APP_PORT" \
    | grep -E "Requests/sec|status|Latency|50%|99%"
echo "largest heap after GC: $(grep -oE '\->[0-9]+M' "$WORK/overload-gc.log" | tr -d '>M-' | sort -n | tail -1) MiB;" \
    "RSS: $(( $(ps -o rss= -p "$app") / 1024 )) MiB"
curl -s "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" | grep -E '^rewardgate_(backend_refused_total|backend_failures_total)' || true
