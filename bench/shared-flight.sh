#!/usr/bin/env bash
# What the shared Redis tier adds to a cache miss when nothing is shared: distinct conversations at a fixed
# rate against a fake backend that answers at once, with the tier off, on without cross-replica single-flight
# (one lookup, one write awaited), and on with it (the default: a claim, then the write, lease end and notice
# in one script). Needs a built jar (./mvnw package -DskipTests) and redis-server on the PATH.
#   bench/shared-flight.sh [rate=200] [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${1:-200}
DURATION=${2:-20}
REDIS_PORT=${REDIS_PORT:-16379}
source bench/common.sh

start_fake 0 50
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no > "$WORK/redis.log" 2>&1 &
pids+=($!)

run() {
    local label=$1
    start_app
    printf '%-36s ' "$label:"
    node bench/load.mjs rate --url "http://127.0.0.1:$APP_PORT/v1/scores" --rate "$RATE" --duration "$DURATION" \
        --warmup 10 --distinct --body-kind score
    kill "$APP_PID"
    wait "$APP_PID" 2>/dev/null || true
}

export QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT"
# The fake's own code warms up first: its cold answers would weigh on whichever run came first.
REWARDGATE_CACHE_REDIS_ENABLED=false run "(warm-up, not a result)" > /dev/null
REWARDGATE_CACHE_REDIS_ENABLED=false run "Redis tier off"
REWARDGATE_CACHE_REDIS_ENABLED=true REWARDGATE_CACHE_REDIS_SINGLE_FLIGHT=false run "Redis tier, single-flight off"
REWARDGATE_CACHE_REDIS_ENABLED=true run "Redis tier, single-flight on"
