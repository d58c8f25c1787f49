#!/usr/bin/env bash
# Times a batch of distinct conversations against a fake backend with a fixed delay, next to the
# Little's-law bound items / max-concurrency x delay. Needs a built jar (./mvnw package -DskipTests).
#   bench/batch.sh [items=1000] [delay-ms=50] [max-concurrency=64] [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."

ITEMS=${1:-1000}
DELAY=${2:-50}
CONCURRENCY=${3:-64}
RUNS=${4:-5}
APP_PORT=${APP_PORT:-18080}
FAKE_PORT=${FAKE_PORT:-18089}
WORK=target/bench
mkdir -p "$WORK"

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

java -jar "$WIREMOCK" --port "$FAKE_PORT" --no-request-journal --container-threads 200 \
    --async-response-enabled true --disable-banner > "$WORK/fake.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$FAKE_PORT/__admin/mappings"
body=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' src/test/resources/nvidia/paris-scores.json)
curl -sf -o /dev/null -X POST "http://127.0.0.1:$FAKE_PORT/__admin/mappings" \
    -d "{\"request\": {\"method\": \"POST\", \"url\": \"/v1/chat/completions\"},
         \"response\": {\"status\": 200, \"fixedDelayMilliseconds\": $DELAY, \"body\": $body}}"

REWARDGATE_BACKEND=nvidia REWARDGATE_NVIDIA_BASE_URL="http://127.0.0.1:$FAKE_PORT/v1" NVIDIA_API_KEY=bench \
    REWARDGATE_NVIDIA_MAX_CONCURRENCY="$CONCURRENCY" QUARKUS_HTTP_PORT="$APP_PORT" \
    java -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$APP_PORT/q/health/ready"

one_call=$(curl -s -o /dev/null -w '%{time_total}' -X POST "http://127.0.0.1:$FAKE_PORT/v1/chat/completions" -d '{}')
echo "fake backend, one call: ${one_call} s"
python3 -c "print('Little\'s-law bound: %d / %d x %d ms = %.3f s' % ($ITEMS, $CONCURRENCY, $DELAY, $ITEMS / $CONCURRENCY * $DELAY / 1000))"
for run in $(seq 1 "$RUNS"); do
    python3 - "$ITEMS" "$run" > "$WORK/batch.json" <<'PY'
import json, sys, uuid
items, run = int(sys.argv[1]), uuid.uuid4().hex
print(json.dumps({"items": [{"id": str(i), "prompt": f"{run} question {i}?", "response": f"Answer {i}."}
                            for i in range(items)]}))
PY
    curl -s -o "$WORK/batch.out" -w "run $run: HTTP %{http_code}, %{time_total} s\n" \
        -H 'Content-Type: application/json' --data-binary @"$WORK/batch.json" \
        "http://127.0.0.1:$APP_PORT/v1/scores/batch"
done
python3 -c "import json; print('last run summary:', json.load(open('$WORK/batch.out'))['summary'])"
