# Shared by the bench scripts (sourced, not run): a fixed-delay fake of the hosted API and the service in
# front of it, on loopback, both stopped when the script exits.
WORK=target/bench
APP_PORT=${APP_PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19000}
FAKE_PORT=${FAKE_PORT:-18089}
mkdir -p "$WORK"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_for() {
    for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
    echo "no answer from $1" >&2
    return 1
}

# start_fake DELAY_MS CONTAINER_THREADS: WireMock answering every call with real-format scores after a delay.
start_fake() {
    local wiremock="$WORK/wiremock-standalone.jar"
    if [ ! -f "$wiremock" ]; then
        ./mvnw -q -B dependency:copy -Dartifact=org.wiremock:wiremock-standalone:3.13.2 \
            -DoutputDirectory="$WORK" -Dmdep.stripVersion=true
    fi
    java -jar "$wiremock" --port "$FAKE_PORT" --no-request-journal --container-threads "$2" \
        --async-response-enabled true --disable-banner > "$WORK/fake.log" 2>&1 &
    pids+=($!)
    wait_for "http://127.0.0.1:$FAKE_PORT/__admin/mappings"
    local body
    body=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' src/test/resources/nvidia/paris-scores.json)
    curl -sf -o /dev/null -X POST "http://127.0.0.1:$FAKE_PORT/__admin/mappings" \
        -d "{\"request\": {\"method\": \"POST\", \"url\": \"/v1/chat/completions\"},
             \"response\": {\"status\": 200, \"fixedDelayMilliseconds\": $1, \"body\": $body}}"
}

# start_app [JAVA_OPTIONS...]: the built jar with the nvidia backend pointed at the fake; settings come from
# REWARDGATE_* variables the caller exports. Sets APP_PID.
start_app() {
    REWARDGATE_BACKEND=nvidia REWARDGATE_NVIDIA_BASE_URL="http://127.0.0.1:$FAKE_PORT/v1" NVIDIA_API_KEY=bench \
        QUARKUS_HTTP_PORT="$APP_PORT" QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" java "$@" -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
    APP_PID=$!
    pids+=($APP_PID)
    wait_for "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready"
}
