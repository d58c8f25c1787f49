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
source bench/common.sh

start_fake "$DELAY" 200
REWARDGATE_NVIDIA_MAX_CONCURRENCY="$CONCURRENCY" start_app

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
