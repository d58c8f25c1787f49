#!/usr/bin/env python3
"""Batches kept in Redis and worked on by several replicas (rewardgate.jobs.store=redis), against
bench/fake-backend.mjs on loopback and a redis-server of its own:

  1. time: a 2,000-line batch on one replica and on two, sharing a Redis and a jobs directory; 200 ms backend,
     16 lines at once per replica, so that the backend's latency, not the CPU, is the bound;
  2. Redis memory per line of a batch: what a queued line task and a recorded output line take (used_memory
     before and after 50,000 of each, written as rewardgate writes them), and what a 50,000-line, 100 MB input
     file would take if it were kept in Redis instead of on the shared volume.

  python3 bench/replicas.py           # about 2 minutes on 2 cores; writes the "Jobs across replicas" section
                                      # of bench/RESULTS.md (bench/run.sh keeps it when it rewrites the rest)
  python3 bench/replicas.py --smoke   # tiny sizes; results under target/bench/smoke

Needs the packaged jar (./mvnw package -DskipTests), Node 20+, curl and redis-server. Every process it starts
is stopped when it ends.
"""
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import jobs  # noqa: E402  (the Fake, App and helpers of bench/jobs.py; it moves to the project's root)
from jobs import (App, Fake, free_port, log, processes, request_file, stop_all,  # noqa: E402
                  write_section)

SMOKE = jobs.SMOKE
WORK = Path("target/bench/replicas")
SECTION = "## Jobs across replicas"
LINES = 200 if SMOKE else 2000
MEMORY_LINES = 500 if SMOKE else 50_000
LINE_BYTES = 2000
DELAY_MS = 200
LINE_CONCURRENCY = 16


class Redis:
    """A redis-server on a free port, no persistence, and a pipelining client for it."""

    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--save", "", "--appendonly",
                                         "no", "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL)
        processes.append(self.process)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.socket = socket.create_connection(("127.0.0.1", self.port))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.reader = self.socket.makefile("rb")
        self.url = f"redis://127.0.0.1:{self.port}"

    def pipeline(self, commands):
        """Sends every command, then reads every reply; the replies, decoded."""
        out = bytearray()
        for command in commands:
            out += b"*%d\r\n" % len(command)
            for arg in command:
                data = arg if isinstance(arg, bytes) else str(arg).encode()
                out += b"$%d\r\n%s\r\n" % (len(data), data)
        self.socket.sendall(out)
        return [self.reply() for _ in commands]

    def call(self, *command):
        return self.pipeline([command])[0]

    def reply(self):
        line = self.reader.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b":"):
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            data = self.reader.read(size + 2)[:-2]
            return data.decode()
        if kind == b"*":
            return [self.reply() for _ in range(int(rest))]
        raise RuntimeError(f"unexpected reply {line!r}")

    def used_memory(self):
        info = self.call("INFO", "memory")
        return int(next(line.split(":")[1] for line in info.splitlines() if line.startswith("used_memory:")))

    def stop(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait()


def timed_batch(redis, fake, count):
    """The seconds from creating a LINES-line batch to its end, with count replicas working on it."""
    directory = WORK / f"data-{count}"
    settings = {"REWARDGATE_JOBS_STORE": "redis", "QUARKUS_REDIS_HOSTS": redis.url,
                "REWARDGATE_JOBS_LINE_CONCURRENCY": str(LINE_CONCURRENCY),
                "REWARDGATE_NVIDIA_MAX_CONCURRENCY": str(LINE_CONCURRENCY)}
    apps = [App(fake, directory, settings, f"replica-{count}-{i}") for i in range(count)]
    try:
        path = WORK / f"batch-{count}.jsonl"
        request_file(path, LINES)
        file_id = apps[0].upload(path)
        started = time.monotonic()
        batch = apps[-1].ended(apps[0].create(file_id), poll=0.05)
        elapsed = time.monotonic() - started
        if batch["status"] != "completed" or batch["request_counts"]["completed"] != LINES:
            raise RuntimeError(f"the batch ended {batch['status']}: {batch['request_counts']}")
        output = subprocess.run(["curl", "-sS", f"{apps[0].url}/v1/files/{batch['output_file_id']}/content"],
                                check=True, capture_output=True, text=True).stdout.splitlines()
        sample = output[0]
        if len({json.loads(line)["custom_id"] for line in output}) != LINES:
            raise RuntimeError("the output does not hold every line once")
        log(f"{LINES} lines on {count} replica(s): {elapsed:.1f} s")
        return elapsed, sample
    finally:
        for app in apps:
            app.stop()


def memory(redis, output_line):
    """Bytes per line in Redis: a queued line task, a recorded answer, and an input line kept there."""
    figures = {}
    batch = "batch_" + "x" * 24
    for name, command in [
            ("task", lambda i: ["XADD", "bench:tasks", "*", "task", "line", "batch", batch, "line", i,
                                "offset", i * LINE_BYTES]),
            ("result", lambda i: ["HSET", "bench:results", i, "o" + output_line]),
            ("input", lambda i: ["RPUSH", "bench:input", line_of(i)])]:
        before = redis.used_memory()
        for start in range(0, MEMORY_LINES, 1000):
            redis.pipeline([command(i) for i in range(start, min(MEMORY_LINES, start + 1000))])
        figures[name] = (redis.used_memory() - before) / MEMORY_LINES
        redis.call("FLUSHALL")
    figures["output_line_bytes"] = len(output_line.encode())
    log(f"Redis bytes per line: {figures}")
    return figures


def line_of(i):
    """A /v1/scores request line of about LINE_BYTES bytes, as bench/jobs.py writes them."""
    head = '{"custom_id": "line-%d", "method": "POST", "url": "/v1/scores", "body": {"prompt": "Question %d?", ' \
           '"response": "' % (i, i)
    return head + "a" * (LINE_BYTES - len(head) - 4) + '"}}'


def write(figures):
    one, two, m = figures["one_s"], figures["two_s"], figures["memory"]
    file_mb = m["input"] * MEMORY_LINES / 1e6
    section = [
        SECTION, "",
        "Written by `bench/replicas.py`: replicas of the packaged jar with `rewardgate.jobs.store=redis`, one "
        "redis-server, one jobs directory, the fake backend `bench/fake-backend.mjs` at 200 ms a call.", "",
        "| Scenario | Figure |",
        "| --- | --- |",
        f"| {LINES:,}-line batch, {LINE_CONCURRENCY} lines at once per replica, one replica | {one:.1f} s "
        f"({LINES / one:.0f} lines/s) |",
        f"| The same on two replicas | {two:.1f} s ({LINES / two:.0f} lines/s, {one / two:.2f}x one replica) |",
        f"| Redis memory per queued line (a stream entry: batch, line number, byte offset) | {m['task']:.0f} bytes |",
        f"| Redis memory per answered line until the output is written (a {m['output_line_bytes']:,}-byte "
        f"output line) | {m['result']:.0f} bytes |",
        f"| A {MEMORY_LINES:,}-line input file of {LINE_BYTES:,}-byte lines if kept in Redis (a list) | "
        f"{m['input']:.0f} bytes a line, {file_mb:.0f} MB |",
        "",
    ]
    write_section(section, figures, WORK)


def main():
    if not Path("target/quarkus-app/quarkus-run.jar").exists():
        log("target/quarkus-app is missing: run ./mvnw package -DskipTests")
        sys.exit(2)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    jobs.WORK = WORK
    jobs.LOG_NAME = "bench/replicas"
    redis = Redis()
    fake = Fake(DELAY_MS)
    try:
        one, sample = timed_batch(redis, fake, 1)
        redis.call("FLUSHALL")
        two, _ = timed_batch(redis, fake, 2)
        redis.call("FLUSHALL")
        figures = {"lines": LINES, "one_s": one, "two_s": two, "memory": memory(redis, sample)}
    finally:
        stop_all()
    write(figures)


if __name__ == "__main__":
    main()
