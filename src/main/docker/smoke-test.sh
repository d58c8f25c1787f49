#!/usr/bin/env bash
# Builds the image from Dockerfile.jvm and runs it as Kubernetes would (numeric non-root user, read-only
# root filesystem, /tmp on tmpfs): readiness on the management port, one score through the stub backend,
# one upload to the jobs volume, a clean stop on SIGTERM within the grace period, JSON log lines. Removes what
# it made.
#
# No registry is needed: unless BASE_IMAGE names an image podman already has, a base image with a Java 25
# runtime is made from Debian packages with debootstrap (about a minute). Needs root, podman, runc,
# debootstrap and a packaged application (./mvnw package).
set -euo pipefail
cd "$(dirname "$0")/../../.."

grace=${SMOKE_GRACE_SECONDS:-20}
base=${BASE_IMAGE:-localhost/rewardgate-base:trixie}
tag=$$
image=localhost/rewardgate-smoke:$tag
name=rewardgate-smoke-$tag
podman=(podman --runtime runc)
made_base=
rootfs=

[ -f target/quarkus-app/quarkus-run.jar ] || { echo "smoke-test: target/quarkus-app is missing; run ./mvnw package first" >&2; exit 2; }

cleanup() {
    "${podman[@]}" rm -f -v -t 0 "$name" >/dev/null 2>&1 || true
    "${podman[@]}" rmi -f "$image" >/dev/null 2>&1 || true
    if [ -n "$made_base" ] && [ -z "${SMOKE_KEEP_BASE:-}" ]; then "${podman[@]}" rmi -f "$base" >/dev/null 2>&1 || true; fi
    if [ -n "$rootfs" ]; then rm -rf "$rootfs"; fi
}
trap cleanup EXIT

fail() {
    echo "smoke-test: FAILED: $*" >&2
    "${podman[@]}" logs "$name" 2>&1 | tail -40 >&2 || true
    exit 1
}

if ! "${podman[@]}" image exists "$base"; then
    # The mirror apt already uses, so this works wherever the machine installs Debian packages.
    mirror=$( (grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ \
        2>/dev/null || true) | awk '{ print $2; exit }')
    mirror=${mirror:-http://deb.debian.org/debian}
    echo "smoke-test: making $base from $mirror"
    rootfs=$(mktemp -d)
    debootstrap --variant=minbase --include=openjdk-25-jre-headless,ca-certificates trixie "$rootfs" "$mirror" \
        > "$rootfs.log" 2>&1 || { tail -20 "$rootfs.log" >&2; rm -f "$rootfs.log"; fail "debootstrap failed"; }
    rm -f "$rootfs.log"
    tar -C "$rootfs" -c . | "${podman[@]}" import -q - "$base" >/dev/null
    rm -rf "$rootfs"
    rootfs=
    made_base=1
fi

echo "smoke-test: building $image on $base"
"${podman[@]}" build -q --pull=never --build-arg BASE_IMAGE="$base" -f src/main/docker/Dockerfile.jvm -t "$image" . >/dev/null

# The build's training run left the JVM's start-up cache and the flag that uses it.
cache=$("${podman[@]}" run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --entrypoint cat "$image" \
    /deployments/jvm-cache.opts) || fail "no start-up cache in the image"
echo "smoke-test: start-up cache: $cache"

user=$("${podman[@]}" image inspect --format '{{.Config.User}}' "$image")
[ "$user" = 185 ] || fail "image user is '$user', expected 185"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
api=$(free_port)
mgmt=$(free_port)
"${podman[@]}" run -d --name "$name" --read-only --tmpfs /tmp \
    --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
    -p "127.0.0.1:$api:8080" -p "127.0.0.1:$mgmt:9000" "$image" >/dev/null

started=$(date +%s%N)
for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$mgmt/q/health/ready" 2>/dev/null; then break; fi
    [ "$("${podman[@]}" inspect --format '{{.State.Running}}' "$name")" = true ] || fail "the container exited"
    sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$mgmt/q/health/ready" || fail "not ready on the management port after 60 s"
echo "smoke-test: ready on :9000 after $(( ($(date +%s%N) - started) / 1000000 )) ms"

[ "$("${podman[@]}" exec "$name" id -u)" = 185 ] || fail "the process does not run as 185"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api/q/health/ready")
[ "$code" = 404 ] || fail "health answered $code on the API port, expected 404"

body=$(curl -fsS "http://127.0.0.1:$api/v1/scores" -H 'Content-Type: application/json' \
    -d '{"prompt": "What is 2+2?", "response": "4."}') || fail "scoring failed"
case "$body" in
    *'"backend":"stub"'*'"reward":'*) echo "smoke-test: scored: ${body:0:120}...";;
    *) fail "unexpected score response: $body";;
esac
# Uploads land on the /deployments/data volume: the one writable path besides /tmp.
file=$(printf '%s\n' '{"custom_id": "a", "method": "POST", "url": "/v1/scores", "body": {"prompt": "Hi?", "response": "Hello."}}' \
    | curl -fsS "http://127.0.0.1:$api/v1/files" -F purpose=batch -F "file=@-;filename=requests.jsonl") \
    || fail "uploading a batch file failed"
case "$file" in
    *'"object":"file"'*) echo "smoke-test: stored a batch file on the data volume";;
    *) fail "unexpected file object: $file";;
esac
metrics=$(curl -fsS "http://127.0.0.1:$mgmt/q/metrics") || fail "no metrics on the management port"
grep -q '^rewardgate_requests_seconds_count' <<< "$metrics" || fail "no request metrics"

stop_started=$(date +%s%N)
"${podman[@]}" stop -t "$grace" "$name" >/dev/null
stop_ms=$(( ($(date +%s%N) - stop_started) / 1000000 ))
exit_code=$("${podman[@]}" inspect --format '{{.State.ExitCode}}' "$name")
# 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited; 137 would mean the grace period ran out.
case "$exit_code" in 0|143) ;; *) fail "exit code $exit_code after SIGTERM";; esac
[ "$stop_ms" -lt $(( grace * 1000 )) ] || fail "stopping took $stop_ms ms, the grace period is $grace s"
logs=$("${podman[@]}" logs "$name" 2>&1)
grep -q 'stopped in' <<< "$logs" || fail "no shutdown message in the log"
# The image logs JSON lines: every line one object with a level and a message (what `kubectl logs | jq` reads).
python3 -c '
import json, sys
lines = [line for line in sys.stdin.read().splitlines() if line.strip()]
for line in lines:
    record = json.loads(line)
    assert isinstance(record, dict) and "level" in record and "message" in record, line
print("smoke-test: %d log lines, each a JSON object" % len(lines))
' <<< "$logs" || fail "a log line is not a JSON object with level and message"
echo "smoke-test: stopped cleanly on SIGTERM in $stop_ms ms (exit $exit_code)"
echo "smoke-test: OK"
