#!/usr/bin/env bash
# The README's test command where only a JDK is installed: a fresh clone of this repository, built, packaged
# and tested with ./mvnw verify in a container whose image is Debian with openjdk-17-jdk-headless and nothing
# else (no redis-server, node, npm or chromium; not even curl or unzip: the wrapper fetches Maven with Java).
# The run is narrowed to the tests whose path depends on the machine (-Dgroups=redis,clients): those of a real
# Redis, which comes from a test dependency here, and the client layer, which says it is skipped; the others
# are the JVM code the host has just run with the same command. The host's Maven repository is mounted
# copy-on-write so that dependencies are not downloaded again.
#
# Needs root, podman, runc and debootstrap. The image is made from the Debian mirror apt uses (about a
# minute) and removed afterwards unless JDK_ONLY_KEEP_BASE is set.
set -euo pipefail
cd "$(dirname "$0")/.."

base=${JDK_BASE_IMAGE:-localhost/rewardgate-jdk-only:bookworm}
podman=(podman --runtime runc)
made_base=
work=$(mktemp -d)

cleanup() {
    if [ -n "$made_base" ] && [ -z "${JDK_ONLY_KEEP_BASE:-}" ]; then "${podman[@]}" rmi -f "$base" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if ! "${podman[@]}" image exists "$base"; then
    mirror=$( (grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ \
        2>/dev/null || true) | awk '{ print $2; exit }')
    mirror=${mirror:-http://deb.debian.org/debian}
    echo "jdk-only: making $base from $mirror"
    debootstrap --variant=minbase --include=openjdk-17-jdk-headless,ca-certificates bookworm "$work/rootfs" "$mirror" \
        > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    tar -C "$work/rootfs" -c . | "${podman[@]}" import -q - "$base" >/dev/null
    rm -rf "$work/rootfs"
    made_base=1
fi
for tool in redis-server node npm chromium curl wget unzip; do
    if "${podman[@]}" run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$base" sh -c "command -v $tool" \
        >/dev/null 2>&1; then
        echo "jdk-only: the image has $tool; it must hold a JDK only" >&2
        exit 1
    fi
done

git clone -q . "$work/clone"
repository=${MAVEN_REPOSITORY:-$HOME/.m2/repository}
mkdir -p "$repository"
echo "jdk-only: ./mvnw -B -ntp verify -Dgroups=redis,clients in a fresh clone ($(git rev-parse --short HEAD)), image $base"
started=$(date +%s)
status=0
# Limits a sandbox lets a container set (podman's defaults ask for more): the open files this shell may have,
# and processes far above the few hundred threads the test JVMs start.
nofile=$(ulimit -Hn)
nproc=8192
# The host's Java trust store, so that the container trusts what this machine trusts (a proxy's CA, say).
trust=()
if [ -f /etc/ssl/certs/java/cacerts ]; then trust=(-v /etc/ssl/certs/java/cacerts:/etc/ssl/certs/java/cacerts:ro); fi
"${podman[@]}" run --rm --network host --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc" "${trust[@]}" \
    -v "$work/clone:/src" -v "$repository:/root/.m2/repository:O" -w /src \
    "$base" ./mvnw -B -ntp verify -Dgroups=redis,clients > "$work/verify.log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - started ))
mkdir -p target
cp "$work/verify.log" target/jdk-only-verify.log
grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$|client tests skipped|Swagger UI test skipped|BUILD (SUCCESS|FAILURE)' \
    "$work/verify.log" || true
if [ "$status" -ne 0 ]; then
    { grep -E '<<< (FAILURE|ERROR)!|\[ERROR\]|^Error' "$work/verify.log" || tail -20 "$work/verify.log"; } | head -40 >&2
    echo "jdk-only: FAILED after ${elapsed} s (exit $status); the whole log is in target/jdk-only-verify.log" >&2
    exit 1
fi
echo "jdk-only: OK in ${elapsed} s"
