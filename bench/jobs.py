#!/usr/bin/env python3
"""The Files and Batch API's figures, against bench/fake-backend.mjs on loopback, with the JVM flags a 512 MiB
container gives the image:

  1. throughput: a 1,000-line batch next to the same lines sent to POST /v1/scores/batch (50 ms backend,
     max-concurrency 64), median of five rounds taking turns after one warm-up round;
  2. memory: a 50,000-line, 100 MB file uploaded and run (instant backend); peak RSS (VmHWM) and the most heap
     in use, sampled every 200 ms;
  3. resume: a 2,000-line batch (100 ms backend) killed with SIGKILL at the half-way point and started again;
     lines sent to the backend twice, next to the lines in flight at the kill;
  4. interactive p99: POST /v1/scores misses at 10/s for 30 s against a 200 ms backend with max-concurrency 16,
     with no batch and with a 10,000-line batch running.

  python3 bench/jobs.py           # about 5 minutes on 2 cores; writes the "Files and batches" section of
                                  # bench/RESULTS.md (bench/run.sh keeps it when it rewrites the rest)
  python3 bench/jobs.py --smoke   # tiny sizes; results under target/bench/smoke

Needs the packaged jar (./mvnw package -DskipTests), Node 20+ and curl. Every process it starts is stopped when
it ends.
"""
import glob
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)
SMOKE = "--smoke" in sys.argv[1:]
WORK = Path("target/bench/jobs")
OUT = Path("target/bench/smoke") if SMOKE else Path("bench")
JVM_FLAGS = ["-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=60", "-XX:InitialRAMPercentage=25",
             "-XX:+ExitOnOutOfMemoryError"]
SECTION = "## Files and batches"

THROUGHPUT_LINES = 50 if SMOKE else 1000
ROUNDS = 1 if SMOKE else 5
MEMORY_LINES = 500 if SMOKE else 50_000
LINE_BYTES = 2000
RESUME_LINES = 200 if SMOKE else 2000
INTERACTIVE_SECONDS = 3 if SMOKE else 30
INTERACTIVE_BATCH = 1000 if SMOKE else 10_000

processes = []


LOG_NAME = "bench/jobs"


def log(message):
    print(f"{LOG_NAME}: {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, content_type="application/json"):
    request = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get_json(url):
    status, body = http("GET", url)
    if status != 200:
        raise RuntimeError(f"GET {url}: {status} {body[:200]!r}")
    return json.loads(body)


def wait_for(url, seconds=60, process=None):
    """Waits for a 200 of url; fails at once when process, the server that should answer, has ended."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process that should answer {url} ended with {process.returncode}")
        try:
            if http("GET", url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} within {seconds} s")


class Fake:
    """bench/fake-backend.mjs: answers after a fixed delay and counts the calls it received; options are more of
    its flags (--capacity N, --rate-limit N)."""

    def __init__(self, delay_ms, *options):
        self.port = free_port()
        self.process = subprocess.Popen(["node", "bench/fake-backend.mjs", "--port", str(self.port),
                                         "--delay-ms", str(delay_ms), *options], stdout=subprocess.DEVNULL)
        processes.append(self.process)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(self.url + "/calls")

    def received(self):
        return get_json(self.url + "/calls")["received"]

    def stop(self):
        self.process.terminate()
        self.process.wait()


class App:
    """The packaged jar, its nvidia backend pointed at a fake, its jobs under a directory of its own."""

    def __init__(self, fake, jobs, settings, name):
        self.port, self.management = free_port(), free_port()
        env = dict(os.environ, REWARDGATE_BACKEND="nvidia", REWARDGATE_NVIDIA_BASE_URL=fake.url + "/v1",
                   NVIDIA_API_KEY="bench", QUARKUS_HTTP_PORT=str(self.port),
                   QUARKUS_MANAGEMENT_PORT=str(self.management), REWARDGATE_JOBS_DIRECTORY=str(jobs))
        env.update(settings)
        with open(WORK / f"app-{name}.log", "ab") as out:
            self.process = subprocess.Popen(["java", *JVM_FLAGS, "-jar", "target/quarkus-app/quarkus-run.jar"],
                                            env=env, stdout=out, stderr=subprocess.STDOUT)
        processes.append(self.process)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(f"http://127.0.0.1:{self.management}/q/health/ready", process=self.process)

    def peak_rss_mib(self):
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024

    def heap_used_mib(self):
        status, body = http("GET", f"http://127.0.0.1:{self.management}/q/metrics")
        used = 0.0
        for line in body.decode().splitlines():
            if line.startswith('jvm_memory_used_bytes{area="heap"'):
                used += float(line.rsplit(" ", 1)[1])
        return used / 2**20

    def upload(self, path):
        result = subprocess.run(["curl", "-sS", "-F", "purpose=batch", "-F", f"file=@{path}",
                                 self.url + "/v1/files"], check=True, capture_output=True)
        file = json.loads(result.stdout)
        if "id" not in file:
            raise RuntimeError(f"upload refused: {file}")
        return file["id"]

    def create(self, file_id):
        status, body = http("POST", self.url + "/v1/batches", json.dumps(
            {"input_file_id": file_id, "endpoint": "/v1/scores", "completion_window": "24h"}).encode())
        if status != 200:
            raise RuntimeError(f"batch refused: {status} {body!r}")
        return json.loads(body)["id"]

    def batch(self, batch_id):
        return get_json(f"{self.url}/v1/batches/{batch_id}")

    def ended(self, batch_id, poll=0.02, during=None):
        while True:
            batch = self.batch(batch_id)
            if batch["status"] in ("completed", "failed", "expired", "cancelled"):
                return batch
            if during:
                during()
            time.sleep(poll)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.terminate()
        self.process.wait()


def request_file(path, lines, line_bytes=None):
    """A JSONL file of distinct /v1/scores requests, each line about line_bytes long when given."""
    run = uuid.uuid4().hex
    with open(path, "w") as f:
        for i in range(lines):
            body = {"prompt": f"{run} question {i}?", "response": f"Answer {i}."}
            line = {"custom_id": f"r{i}", "method": "POST", "url": "/v1/scores", "body": body}
            if line_bytes:
                missing = line_bytes - len(json.dumps(line)) - 1
                body["response"] += " " + "x" * max(0, missing - 1)
            f.write(json.dumps(line) + "\n")


def sync_batch_body(lines):
    run = uuid.uuid4().hex
    return json.dumps({"items": [{"id": str(i), "prompt": f"{run} question {i}?", "response": f"Answer {i}."}
                                 for i in range(lines)]}).encode()


def timed_sync(app, lines):
    body = sync_batch_body(lines)
    started = time.monotonic()
    status, _ = http("POST", app.url + "/v1/scores/batch", body)
    elapsed = time.monotonic() - started
    if status != 200:
        raise RuntimeError(f"/v1/scores/batch answered {status}")
    return elapsed


def timed_job(app, lines):
    path = WORK / "throughput.jsonl"
    request_file(path, lines)
    file_id = app.upload(path)
    started = time.monotonic()
    batch = app.ended(app.create(file_id))
    elapsed = time.monotonic() - started
    if batch["status"] != "completed" or batch["request_counts"]["completed"] != lines:
        raise RuntimeError(f"throughput batch ended {batch['status']}: {batch['request_counts']}")
    return elapsed


def throughput():
    fake = Fake(50)
    app = App(fake, WORK / "data-throughput", {"REWARDGATE_NVIDIA_MAX_CONCURRENCY": "64"}, "throughput")
    try:
        timed_sync(app, THROUGHPUT_LINES)
        timed_job(app, THROUGHPUT_LINES)
        sync, job = [], []
        for _ in range(ROUNDS):
            sync.append(timed_sync(app, THROUGHPUT_LINES))
            job.append(timed_job(app, THROUGHPUT_LINES))
        log(f"throughput: /v1/scores/batch {sync}, batch {job}")
        return statistics.median(sync), statistics.median(job)
    finally:
        app.stop()
        fake.stop()


def memory():
    path = WORK / "memory.jsonl"
    request_file(path, MEMORY_LINES, LINE_BYTES)
    size = path.stat().st_size
    fake = Fake(0)
    app = App(fake, WORK / "data-memory", {"REWARDGATE_NVIDIA_MAX_CONCURRENCY": "64"}, "memory")
    try:
        heap = [0.0]

        def sample():
            heap[0] = max(heap[0], app.heap_used_mib())

        started = time.monotonic()
        file_id = app.upload(path)
        uploaded = time.monotonic() - started
        started = time.monotonic()
        batch = app.ended(app.create(file_id), poll=0.2, during=sample)
        ran = time.monotonic() - started
        sample()
        output = WORK / "memory-output.jsonl"
        subprocess.run(["curl", "-sS", "-o", str(output), f"{app.url}/v1/files/{batch['output_file_id']}/content"],
                       check=True)
        with open(output) as f:
            answered = sum(1 for _ in f)
        if batch["status"] != "completed" or answered != MEMORY_LINES:
            raise RuntimeError(f"memory batch ended {batch['status']} with {answered} lines of output")
        result = {"bytes": size, "lines": MEMORY_LINES, "upload_s": uploaded, "run_s": ran,
                  "rss_mib": app.peak_rss_mib(), "heap_mib": heap[0]}
        log(f"memory: {result}")
        return result
    finally:
        app.stop()
        fake.stop()
        path.unlink(missing_ok=True)
        (WORK / "memory-output.jsonl").unlink(missing_ok=True)


def resume():
    path = WORK / "resume.jsonl"
    request_file(path, RESUME_LINES)
    jobs = WORK / "data-resume"
    fake = Fake(100)
    settings = {"REWARDGATE_NVIDIA_MAX_CONCURRENCY": "64"}
    app = App(fake, jobs, settings, "resume")
    try:
        batch_id = app.create(app.upload(path))
        while app.batch(batch_id)["request_counts"]["completed"] < RESUME_LINES // 2:
            time.sleep(0.01)
        app.kill()
        received_at_kill = fake.received()
        journal = glob.glob(str(jobs / "**" / batch_id / "journal"), recursive=True)
        recorded = Path(journal[0]).read_bytes().count(b"\n") if journal else 0
        app = App(fake, jobs, settings, "resume")
        batch = app.ended(batch_id)
        status, body = http("GET", f"{app.url}/v1/files/{batch['output_file_id']}/content")
        ids = [json.loads(line)["custom_id"] for line in body.decode().splitlines() if line.strip()]
        received = fake.received()
        result = {"lines": RESUME_LINES, "recorded_at_kill": recorded, "in_flight_at_kill": received_at_kill - recorded,
                  "sent_twice": received - RESUME_LINES, "output_lines": len(ids), "distinct": len(set(ids)),
                  "status": batch["status"]}
        log(f"resume: {result}")
        return result
    finally:
        app.stop()
        fake.stop()


def load(app, name):
    out = WORK / f"interactive-{name}.json"
    subprocess.run(["node", "bench/load.mjs", "rate", "--url", app.url + "/v1/scores", "--rate", "10",
                    "--duration", str(INTERACTIVE_SECONDS), "--warmup", "2", "--connections", "16",
                    "--body-kind", "score", "--distinct", "--json-out", str(out)], check=True, stdout=sys.stderr)
    return json.loads(out.read_text())


def interactive():
    fake = Fake(200)
    settings = {"REWARDGATE_NVIDIA_MAX_CONCURRENCY": "16", "REWARDGATE_NVIDIA_BATCH_SHARE": "0.5"}
    app = App(fake, WORK / "data-interactive", settings, "interactive")
    try:
        load(app, "warmup")
        alone = load(app, "alone")
        path = WORK / "interactive.jsonl"
        request_file(path, INTERACTIVE_BATCH)
        batch_id = app.create(app.upload(path))
        while app.batch(batch_id)["request_counts"]["completed"] < 100:
            time.sleep(0.1)
        before = app.batch(batch_id)["request_counts"]["completed"]
        started = time.monotonic()
        beside = load(app, "beside")
        lines_per_s = (app.batch(batch_id)["request_counts"]["completed"] - before) / (time.monotonic() - started)
        status = app.batch(batch_id)["status"]
        http("POST", f"{app.url}/v1/batches/{batch_id}/cancel", b"")
        app.ended(batch_id, poll=0.2)
        if status != "in_progress":
            raise RuntimeError(f"the batch was {status} before the interactive run ended: make it longer")
        result = {"alone": alone, "beside": beside, "batch_lines_per_s": lines_per_s}
        log("interactive: alone p99 %.1f ms, beside a batch p99 %.1f ms, batch %.1f lines/s"
            % (alone["latencyMs"]["p99"], beside["latencyMs"]["p99"], lines_per_s))
        return result
    finally:
        app.stop()
        fake.stop()


def write(figures):
    t, m, r, i = figures["throughput"], figures["memory"], figures["resume"], figures["interactive"]
    ratio = t["job_s"] / t["sync_s"]
    alone, beside = i["alone"]["latencyMs"], i["beside"]["latencyMs"]
    bound = alone["p99"] + 200
    ok = lambda met: "yes" if met else "**no**"
    section = [
        SECTION, "",
        "Written by `bench/jobs.py`, on the machine and JVM flags above; the fake backend is `bench/fake-backend.mjs`.",
        "",
        "| Scenario | Figure | Reference | Ratio | Target | Met |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| {THROUGHPUT_LINES:,}-line batch, 50 ms backend, max-concurrency 64 (create to `completed`, median of "
        f"{ROUNDS}) | {t['job_s']:.3f} s | the same lines through `POST /v1/scores/batch` {t['sync_s']:.3f} s "
        f"| {ratio:.2f} | <= 1.15 | {ok(ratio <= 1.15)} |",
        f"| {m['lines']:,}-line, {m['bytes'] / 1e6:.0f} MB file, uploaded and run, instant backend | peak RSS "
        f"{m['rss_mib']:.0f} MiB, most heap in use {m['heap_mib']:.0f} MiB; upload {m['upload_s']:.1f} s, run "
        f"{m['run_s']:.1f} s | container limit 512 MiB |  | RSS < 512 MiB | {ok(m['rss_mib'] < 512)} |",
        f"| SIGKILL half-way through a {r['lines']:,}-line batch, 100 ms backend, then a start | {r['sent_twice']} "
        f"lines sent to the backend twice; output {r['output_lines']:,} lines, {r['distinct']:,} distinct | "
        f"{r['in_flight_at_kill']} lines in flight at the kill ({r['recorded_at_kill']:,} recorded) |  | "
        f"<= in flight | {ok(r['sent_twice'] <= r['in_flight_at_kill'] and r['distinct'] == r['lines'])} |",
        f"| Interactive `POST /v1/scores` misses at 10/s beside a {INTERACTIVE_BATCH:,}-line batch, 200 ms backend, "
        f"max-concurrency 16, batch-share 0.5 | p50 {beside['p50']:.0f} ms, p99 {beside['p99']:.0f} ms "
        f"(batch {i['batch_lines_per_s']:.0f} lines/s meanwhile) | no batch: p50 {alone['p50']:.0f} ms, p99 "
        f"{alone['p99']:.0f} ms | {beside['p99'] / alone['p99']:.2f} | p99 <= no batch + one backend call "
        f"({bound:.0f} ms) | {ok(beside['p99'] <= bound)} |",
        "",
    ]
    write_section(section, figures, WORK)


def stop_all():
    """Kills every process this run started that is still running."""
    for process in processes:
        if process.poll() is None:
            process.kill()


def write_section(section, figures, work):
    """Puts section (its lines, the first its heading) into RESULTS.md in place of its last run, before "How each
    figure is measured"; the figures go to work/figures.json."""
    OUT.mkdir(parents=True, exist_ok=True)
    results = OUT / "RESULTS.md"
    text = results.read_text() if results.exists() else "# Benchmark results\n"
    start = text.find(section[0])
    if start >= 0:
        after = text.find("\n## ", start + len(section[0]))
        text = text[:start] + text[after + 1:] if after >= 0 else text[:start]
    marker = text.find("\n## How each figure is measured")
    block = "\n".join(section)
    text = text[:marker + 1] + block + "\n" + text[marker + 1:] if marker >= 0 else text.rstrip("\n") + "\n\n" + block
    results.write_text(text)
    (work / "figures.json").write_text(json.dumps(figures, indent=2))
    log(f"wrote {results}")


def main():
    if not Path("target/quarkus-app/quarkus-run.jar").exists():
        log("target/quarkus-app is missing: run ./mvnw package -DskipTests")
        sys.exit(2)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    try:
        sync_s, job_s = throughput()
        figures = {"throughput": {"sync_s": sync_s, "job_s": job_s}, "memory": memory(), "resume": resume(),
                   "interactive": interactive()}
    finally:
        stop_all()
    write(figures)


if __name__ == "__main__":
    main()
