#!/bin/sh
# Builds the JVM's start-up cache for /deployments/quarkus-run.jar from a training run, at image build time:
# the application starts as it will in production (stub backend, the image's JAVA_OPTS), and once it logs that it
# has started it is stopped with SIGTERM; the JVM writes the cache as it exits. Java 24+ writes an AOT cache
# (JEP 483: classes loaded and linked, with JEP 515's method profiles on 25); Java 17 to 23 an AppCDS archive.
# The flag that uses it goes to /deployments/jvm-cache.opts, which the entrypoint reads.
set -eu
cd /deployments
if java -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
    record="-XX:AOTCacheOutput=/deployments/app.aot"
    use="-XX:AOTCache=/deployments/app.aot"
else
    record="-XX:ArchiveClassesAtExit=/deployments/app-cds.jsa"
    use="-XX:SharedArchiveFile=/deployments/app-cds.jsa"
fi
log=/tmp/aot-train.log
: > "$log"
# What the run leaves in /tmp goes: an engine copies the image's /tmp into a container's tmpfs, and a directory
# left by root there (Vert.x's file cache) would refuse the application's user.
marker=$(mktemp /tmp/aot-train.XXXXXX)
# Ports 0: free ones; the jobs directory in /tmp, so that the image keeps no state from the run.
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
java $JAVA_OPTS $record -Dquarkus.http.port=0 -Dquarkus.management.port=0 \
    -Drewardgate.jobs.directory=/tmp/aot-train-data -jar quarkus-run.jar > "$log" 2>&1 &
pid=$!
tries=0
until grep -q 'started in' "$log"; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$tries" -ge 600 ]; then
        kill -9 "$pid" 2>/dev/null || true
        echo "aot-train: the application did not start:" >&2
        cat "$log" >&2
        exit 1
    fi
    tries=$((tries + 1))
    sleep 0.2
done
kill -TERM "$pid"
wait "$pid" || true
[ -s "${record#*=}" ] || { echo "aot-train: no cache written:" >&2; cat "$log" >&2; exit 1; }
echo "$use" > /deployments/jvm-cache.opts
echo "aot-train: $(ls -l "${record#*=}" | awk '{ print $5 }') bytes, used with $use"
find /tmp -mindepth 1 -maxdepth 1 -newer "$marker" -exec rm -rf {} +
rm -f "$marker"
