#!/usr/bin/env python3
"""Batches in Redis under several tenants (rewardgate.jobs.store=redis), against bench/fake-backend.mjs on
loopback and a redis-server of its own, with the packaged jar as replicas:

  1. Redis memory of a queued 50,000-line batch: MEMORY USAGE of its keys and of the task stream once its lines
     are queued (a backend that never answers in time, so that none is answered meanwhile);
  2. one key's one-line batch beside another key's 2,000-line batch at a quota of 60 requests a minute, on two
     replicas: the small batch's time from creation to completed, and how long the big batch's owner waits for
     its status and its cancel (and what they answer);
  3. backend calls after a cancel: two replicas, max-concurrency 4 each, the default line-concurrency, a 200 ms
     backend, a 400-line batch cancelled once 20 lines are answered; the calls the backend received after the
     cancel's answer.

  python3 bench/tenants.py                      # about 3 minutes on 2 cores; writes the "Batches under several
                                                # tenants" section of bench/RESULTS.md
  python3 bench/tenants.py --jar OTHER.jar --label before
                                                # the same figures of another build, kept beside this one's
  python3 bench/tenants.py --smoke              # tiny sizes; results under target/bench/smoke

Needs the packaged jar (./mvnw package -DskipTests), Node 20+, curl and redis-server. Every process it starts is
stopped when it ends.
"""
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import jobs  # noqa: E402  (the Fake and helpers of bench/jobs.py; it moves to the project's root)
from jobs import Fake, free_port, log, processes, request_file, stop_all, wait_for, write_section  # noqa: E402
from replicas import Redis  # noqa: E402

SMOKE = jobs.SMOKE
ARGS = sys.argv[1:]
JAR = ARGS[ARGS.index("--jar") + 1] if "--jar" in ARGS else "target/quarkus-app/quarkus-run.jar"
LABEL = ARGS[ARGS.index("--label") + 1] if "--label" in ARGS else "after"
WORK = Path("target/bench/tenants")
SECTION = "## Batches under several tenants"
QUEUED_LINES = 500 if SMOKE else 50_000
BIG_LINES = 200 if SMOKE else 2000
CANCEL_LINES = 100 if SMOKE else 400
KEY_A = "bench-team-a-0123456789"
KEY_B = "bench-team-b-0123456789"
WAIT_S = 20 if SMOKE else 120


class Replica:
    """A jar as one replica: its nvidia backend pointed at a fake, batches in Redis, jobs in a shared directory."""

    def __init__(self, fake, redis, directory, settings, name):
        self.port, self.management = free_port(), free_port()
        env = dict(os.environ, REWARDGATE_BACKEND="nvidia", REWARDGATE_NVIDIA_BASE_URL=fake.url + "/v1",
                   NVIDIA_API_KEY="bench", QUARKUS_HTTP_PORT=str(self.port),
                   QUARKUS_MANAGEMENT_PORT=str(self.management), REWARDGATE_JOBS_DIRECTORY=str(directory),
                   REWARDGATE_JOBS_STORE="redis", QUARKUS_REDIS_HOSTS=redis.url,
                   REWARDGATE_AUTH_API_KEYS=f"team-a={KEY_A},team-b={KEY_B}")
        env.update(settings)
        with open(WORK / f"{LABEL}-{name}.log", "ab") as out:
            self.process = subprocess.Popen(["java", *jobs.JVM_FLAGS, "-jar", JAR], env=env, stdout=out,
                                            stderr=subprocess.STDOUT)
        processes.append(self.process)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(f"http://127.0.0.1:{self.management}/q/health/ready")

    def call(self, key, method, path, body=None):
        request = urllib.request.Request(self.url + path, data=body, method=method)
        request.add_header("Authorization", f"Bearer {key}")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def upload(self, key, path):
        result = subprocess.run(["curl", "-sS", "-H", f"Authorization: Bearer {key}", "-F", "purpose=batch",
                                 "-F", f"file=@{path}", self.url + "/v1/files"], check=True, capture_output=True)
        return json.loads(result.stdout)["id"]

    def create(self, key, file_id):
        status, batch = self.call(key, "POST", "/v1/batches", json.dumps(
            {"input_file_id": file_id, "endpoint": "/v1/scores", "completion_window": "24h"}).encode())
        if status != 200:
            raise RuntimeError(f"batch refused: {status} {batch}")
        return batch["id"]

    def batch(self, key, batch_id):
        """The batch, or {} when the answer is not one (a build whose quota covered these calls may say 429)."""
        status, batch = self.call(key, "GET", f"/v1/batches/{batch_id}")
        return batch if status == 200 else {}

    def stop(self):
        self.process.terminate()
        self.process.wait()


def answered(batch):
    counts = batch.get("request_counts") or {}
    return counts.get("completed", 0) + counts.get("failed", 0)


def wait_until(condition, seconds, poll=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll)
    return False


def queued_memory():
    """Redis bytes that a queued QUEUED_LINES-line batch takes while none of its lines is answered."""
    redis, fake = Redis(), Fake(600_000)
    # Its lines at the backend never answer: at the end it stops without waiting for them.
    replica = Replica(fake, redis, WORK / f"{LABEL}-memory", {"REWARDGATE_JOBS_DRAIN_TIMEOUT": "1s"}, "memory")
    try:
        path = WORK / "queued.jsonl"
        request_file(path, QUEUED_LINES)
        file_id = replica.upload(KEY_A, path)
        batch = replica.create(KEY_A, file_id)
        wait_until(lambda: replica.batch(KEY_A, batch).get("status") == "in_progress", WAIT_S)
        # Queued once what it holds stops growing.
        last, steady = -1, 0
        while steady < 10:
            time.sleep(0.2)
            now = batch_bytes(redis, batch)
            steady, last = (steady + 1, now) if now == last else (0, now)
        log(f"{LABEL}: a queued {QUEUED_LINES}-line batch takes {last} bytes of Redis")
        return last
    finally:
        replica.stop()
        fake.stop()
        redis.stop()


def batch_bytes(redis, batch):
    """MEMORY USAGE, every element counted, of the batch's own keys and of the task stream it queues work on."""
    keys, cursor = ["rewardgate:v1:jobs:tasks"], "0"
    while True:
        cursor, found = redis.call("SCAN", cursor, "MATCH", f"rewardgate:v1:jobs:*{batch}*", "COUNT", 1000)
        keys += found
        if cursor == "0":
            break
    total = 0
    for key in keys:
        usage = redis.call("MEMORY", "USAGE", key, "SAMPLES", 0)
        total += int(usage or 0)
    return total



@contextlib.contextmanager
def two_replicas(name, settings):
    """Two replicas sharing a redis-server, a jobs directory and a fake backend at 200 ms; the fake, the two."""
    redis, fake = Redis(), Fake(200)
    replicas = []
    try:
        replicas = [Replica(fake, redis, WORK / f"{LABEL}-{name}", settings, f"{name}-{i}") for i in (1, 2)]
        yield fake, replicas
    finally:
        for replica in replicas:
            replica.stop()
        fake.stop()
        redis.stop()


def fair_share():
    """Key B's one-line batch beside key A's BIG_LINES at 60 a minute; A's status and cancel."""
    with two_replicas("fair", {"REWARDGATE_AUTH_REQUESTS_PER_MINUTE": "60"}) as (fake, (a, b)):
        path = WORK / "big.jsonl"
        request_file(path, BIG_LINES)
        big = a.create(KEY_A, a.upload(KEY_A, path))
        # Polled once a second: what a quota of 60 a minute sustains, where a build counts polls against it.
        wait_until(lambda: answered(a.batch(KEY_A, big)) >= 60, WAIT_S, poll=1)
        small_file = WORK / "small.jsonl"
        request_file(small_file, 1)
        start = time.monotonic()
        small = b.create(KEY_B, b.upload(KEY_B, small_file))
        done = wait_until(lambda: b.batch(KEY_B, small).get("status") == "completed", WAIT_S, poll=1)
        small_s = time.monotonic() - start if done else None
        asked = time.monotonic()
        status = a.call(KEY_A, "GET", f"/v1/batches/{big}")[0]
        cancel = a.call(KEY_A, "POST", f"/v1/batches/{big}/cancel")[0]
        answered_ms = (time.monotonic() - asked) * 1000
        log(f"{LABEL}: B's batch {'completed in %.2f s' % small_s if done else 'not completed in %d s' % WAIT_S};"
            f" A's status {status}, cancel {cancel}, in {answered_ms:.0f} ms")
        return {"small_s": small_s, "status": status, "cancel": cancel, "answered_ms": answered_ms}


def calls_after_cancel():
    """Backend calls received after a cancel's answer, two replicas at max-concurrency 4."""
    with two_replicas("cancel", {"REWARDGATE_NVIDIA_MAX_CONCURRENCY": "4"}) as (fake, (a, b)):
        path = WORK / "cancel.jsonl"
        request_file(path, CANCEL_LINES)
        batch = a.create(KEY_A, a.upload(KEY_A, path))
        wait_until(lambda: answered(a.batch(KEY_A, batch)) >= 20, WAIT_S)
        b.call(KEY_A, "POST", f"/v1/batches/{batch}/cancel")
        at_cancel, cancelled = fake.received(), time.monotonic()
        wait_until(lambda: a.batch(KEY_A, batch).get("status") == "cancelled", WAIT_S)
        time.sleep(1)
        after = fake.received() - at_cancel
        seconds = time.monotonic() - cancelled
        log(f"{LABEL}: {after} backend calls after the cancel, over {seconds:.1f} s")
        return {"calls": after, "seconds": seconds}


def write(all_figures):
    def cell(label, text):
        return text(all_figures[label]) if label in all_figures else "not measured"

    labels = [label for label in ("before", "after") if label in all_figures]
    rows = [
        (f"Redis bytes of a queued {QUEUED_LINES:,}-line batch",
         lambda f: f"{f['queued_bytes']:,} ({f['queued_bytes'] / QUEUED_LINES:.0f} a line)"),
        (f"A one-line batch of key B beside key A's {BIG_LINES:,} lines at 60 a minute, create to completed",
         lambda f: f"{f['fair']['small_s']:.2f} s" if f["fair"]["small_s"] is not None
         else f"not completed in {WAIT_S} s"),
        ("Key A's status and cancel of its batch meanwhile",
         lambda f: f"{f['fair']['status']} and {f['fair']['cancel']} in {f['fair']['answered_ms']:.0f} ms"),
        ("Backend calls after a cancel (2 replicas, 4 calls at once each, 64 lines, 200 ms backend)",
         lambda f: f"{f['cancel']['calls']} over {f['cancel']['seconds']:.1f} s"),
    ]
    section = [
        SECTION, "",
        "Written by `bench/tenants.py`: replicas of the packaged jar with `rewardgate.jobs.store=redis`, one "
        "redis-server, two client keys, the fake backend `bench/fake-backend.mjs`. The `before` column is the "
        "build before bounded queues, fair shares and dropped lines (`--jar ... --label before`).", "",
        "| Scenario | " + " | ".join(labels) + " |",
        "| --- |" + " --- |" * len(labels),
    ]
    for name, text in rows:
        section.append(f"| {name} | " + " | ".join(cell(label, text) for label in labels) + " |")
    section.append("")
    write_section(section, all_figures, WORK)


def main():
    if not Path(JAR).exists():
        log(f"{JAR} is missing: run ./mvnw package -DskipTests")
        sys.exit(2)
    WORK.mkdir(parents=True, exist_ok=True)
    for stale in WORK.glob(f"{LABEL}-*"):
        shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink()
    jobs.WORK = WORK
    jobs.LOG_NAME = "bench/tenants"
    try:
        figures = {"queued_bytes": queued_memory(), "fair": fair_share(), "cancel": calls_after_cancel()}
    finally:
        stop_all()
    (WORK / f"{LABEL}.json").write_text(json.dumps(figures, indent=2))
    all_figures = {}
    for label in ("before", "after"):
        kept = WORK / f"{label}.json"
        if kept.exists():
            all_figures[label] = json.loads(kept.read_text())
    write(all_figures)


if __name__ == "__main__":
    main()
