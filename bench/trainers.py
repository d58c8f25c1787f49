#!/usr/bin/env python3
"""Trainer load: 1,024 concurrent single-sample requests, as OpenRLHF's remote reward client sends them to
POST /v1/rewards (one sample a request, 180 s timeout, five tries) and verl's reward loop to POST /classify,
against bench/fake-backend.mjs answering each call after 250 ms: once through the nvidia kind (one call per
conversation) and once through the openrlhf kind (up to 16 conversations a call). The packaged jar runs with its
defaults (max-concurrency 32). Reports the statuses, the upstream calls, the wall time against its bound (the
rounds of max-concurrency calls the burst needs, times 250 ms) and p50/p99 latency from the burst's start.

  python3 bench/trainers.py           # about a minute on 2 cores; writes the "Trainer load" section of
                                      # bench/RESULTS.md
  python3 bench/trainers.py --smoke   # 128 requests a burst; results under target/bench/smoke

Needs the packaged jar (./mvnw package -DskipTests) and Node 20+.
"""
import json
import math
import resource
import subprocess
import sys

import jobs as bench
from jobs import Fake, log, write_section
from pathlib import Path

SMOKE = "--smoke" in sys.argv[1:]
bench.WORK = Path("target/bench/trainers")
bench.LOG_NAME = "bench/trainers"
OUT = bench.OUT = Path("target/bench/smoke") if SMOKE else Path("bench")
REQUESTS = 128 if SMOKE else 1024
WARM_UP = 32 if SMOKE else 256
DELAY_MS = 250
CONCURRENCY = 32
SECTION = "## Trainer load"
# Each kind: its settings beside the defaults, and the conversations one upstream call carries.
KINDS = {
    "nvidia": (lambda fake: {}, 1),
    "openrlhf": (lambda fake: {"REWARDGATE_DEFAULT_MODEL": "rm", "REWARDGATE_MODELS_RM_KIND": "openrlhf",
                               "REWARDGATE_MODELS_RM_BASE_URL": fake.url + "/get_reward"}, 16),
}
ENDPOINTS = {"/v1/rewards": "rewards", "/classify": "classify"}


def burst(app, path, kind, count=None):
    out = bench.WORK / f"burst-{kind}-{path.strip('/').replace('/', '-')}.json"
    subprocess.run(["node", "bench/load.mjs", "burst", "--url", app.url + path, "--count", str(count or REQUESTS),
                    "--body-kind", ENDPOINTS[path], "--json-out", str(out)], check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text())


def measure():
    figures = {}
    fake = Fake(DELAY_MS)
    try:
        for kind, (settings, per_call) in KINDS.items():
            app = bench.App(fake, bench.WORK / f"data-{kind}", settings(fake), kind)
            try:
                for path in ENDPOINTS:
                    # A first, smaller burst warms the path (JIT, connection pools) so that the order does not count.
                    burst(app, path, kind, WARM_UP)
                    before = fake.received()
                    result = burst(app, path, kind)
                    calls = fake.received() - before
                    bound = math.ceil(math.ceil(REQUESTS / per_call) / CONCURRENCY) * DELAY_MS / 1000
                    figures[f"{kind} {path}"] = {"statuses": result["statuses"], "errors": result["errors"],
                                                 "unanswered": result["unanswered"], "calls": calls,
                                                 "seconds": result["elapsedMs"] / 1000, "bound": bound,
                                                 "p50": result["latencyMs"]["p50"], "p99": result["latencyMs"]["p99"]}
                    log(f"{kind} {path}: {figures[f'{kind} {path}']}")
            finally:
                app.stop()
    finally:
        fake.stop()
    return figures


def write(figures):
    rows = ["| Kind | Endpoint | Answers | Upstream calls | Wall time | Bound | p50 | p99 |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, f in figures.items():
        kind, path = name.split(" ")
        answers = ", ".join(f"{n:,} x {status}" for status, n in sorted(f["statuses"].items()))
        if f["errors"] or f["unanswered"]:
            answers += f", {f['errors']} errors, {f['unanswered']} unanswered"
        rows.append(f"| `{kind}` | `{path}` | {answers} | {f['calls']:,} | {f['seconds']:.2f} s | {f['bound']:.2f} s "
                    f"| {f['p50'] / 1000:.2f} s | {f['p99'] / 1000:.2f} s |")
    write_section([
        SECTION, "",
        f"{REQUESTS:,} concurrent single-sample requests, as OpenRLHF sends `POST /v1/rewards` and verl `POST /classify`,",
        f"all sent at once against `bench/fake-backend.mjs` answering each call after {DELAY_MS} ms; defaults otherwise",
        f"(`max-concurrency` {CONCURRENCY}; the `openrlhf` kind sends up to 16 conversations a call). The bound is the",
        f"rounds of {CONCURRENCY} calls the burst needs times {DELAY_MS} ms; latency counts from the burst's start,",
        f"after a warm-up burst of {WARM_UP}. `python3 bench/trainers.py`.", "",
        *rows, "",
        "Before trainers' calls had a lane of their own (this script against the jar of commit 0034577), a trainer's",
        "call waited the interactive 5 s, and the `nvidia` bursts got 384 and 383 answers of 429 of 1,024; the",
        "`openrlhf` ones, 64 calls of 16, were all answered then too. Those take longer than their bound: opening",
        "1,024 connections at once, with the load generator on the same 2 cores, takes about a second, and the",
        "backend's 64 calls the bound's 0.5 s.", ""], figures, bench.WORK)


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # A socket per request on either side, and a few hundred besides.
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * REQUESTS + 1024)), hard))
    bench.WORK.mkdir(parents=True, exist_ok=True)
    figures = measure()
    write(figures)
    log(json.dumps(figures))


if __name__ == "__main__":
    try:
        main()
    finally:
        bench.stop_all()
