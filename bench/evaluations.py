#!/usr/bin/env python3
"""An evaluation of two models over 10,000 labelled pairs (POST /v1/evaluations), against bench/fake-backend.mjs
answering each call after 50 ms, with the packaged jar's defaults (max-concurrency 32 per model,
rewardgate.jobs.line-concurrency 64). Reports the time from create to completed against the batch lane's
Little's-law bound: each model's 20,000 calls (chosen and rejected of each pair) at 32 in flight and 50 ms
each take at least 20,000 x 0.05 / 32 = 31.25 s, the two models side by side.

  python3 bench/evaluations.py           # about a minute and a half on 2 cores; writes the "Evaluations"
                                         # section of bench/RESULTS.md
  python3 bench/evaluations.py --smoke   # 200 pairs; results under target/bench/smoke

Needs the packaged jar (./mvnw package -DskipTests) and Node 20+. The fake gives every response the same
scores, so every line is a tie: the figure is the time, not the accuracy.
"""
import json
import sys
import time
import uuid
from pathlib import Path

import jobs as bench
from jobs import Fake, http, log, write_section

SMOKE = "--smoke" in sys.argv[1:]
bench.WORK = Path("target/bench/evaluations")
bench.LOG_NAME = "bench/evaluations"
OUT = bench.OUT = Path("target/bench/smoke") if SMOKE else Path("bench")
PAIRS = 200 if SMOKE else 10_000
DELAY_MS = 50
CONCURRENCY = 32
MODELS = ["model-a", "model-b"]
SECTION = "## Evaluations"


def settings(fake):
    env = {"REWARDGATE_DEFAULT_MODEL": MODELS[0]}
    for model in MODELS:
        key = model.upper().replace("-", "")
        env[f"REWARDGATE_MODELS_{key}_KIND"] = "nvidia"
        env[f"REWARDGATE_MODELS_{key}_NAME"] = model
        env[f"REWARDGATE_MODELS_{key}_BASE_URL"] = fake.url + "/v1"
    return env


def labelled_file(run):
    path = bench.WORK / "labelled.jsonl"
    with open(path, "w") as out:
        for i in range(PAIRS):
            out.write(json.dumps({"prompt": f"{run} question {i}?", "chosen": f"A careful answer {i}.",
                                  "rejected": f"A careless answer {i}.", "category": f"c{i % 4}"}) + "\n")
    return path


def measure():
    fake = Fake(DELAY_MS)
    app = bench.App(fake, bench.WORK / "data", settings(fake), "evaluations")
    try:
        file_id = app.upload(labelled_file(uuid.uuid4().hex))
        before = fake.received()
        started = time.monotonic()
        status, body = http("POST", app.url + "/v1/evaluations",
                            json.dumps({"input_file_id": file_id, "models": MODELS}).encode())
        if status != 200:
            raise RuntimeError(f"evaluation refused: {status} {body!r}")
        evaluation_id = json.loads(body)["id"]
        while True:
            status, body = http("GET", f"{app.url}/v1/evaluations/{evaluation_id}")
            evaluation = json.loads(body)
            if evaluation["status"] in ("completed", "failed", "expired", "cancelled"):
                break
            time.sleep(0.2)
        seconds = time.monotonic() - started
        if evaluation["status"] != "completed":
            raise RuntimeError(f"evaluation ended {evaluation['status']}")
        calls = fake.received() - before
        bound = PAIRS * 2 * DELAY_MS / 1000 / CONCURRENCY
        figures = {"pairs": PAIRS, "seconds": seconds, "calls": calls, "bound": bound,
                   "n": {m: evaluation["results"][m]["n"] for m in MODELS}}
        log(json.dumps(figures))
        return figures
    finally:
        app.stop()
        fake.stop()


def write(figures):
    write_section([
        SECTION, "",
        f"One `POST /v1/evaluations` of two `nvidia` models over {figures['pairs']:,} labelled pairs (one chosen and",
        f"one rejected response each), against `bench/fake-backend.mjs` answering each call after {DELAY_MS} ms;",
        f"defaults otherwise (`max-concurrency` {CONCURRENCY} a model, `rewardgate.jobs.line-concurrency` 64). The",
        "bound is Little's law on the batch lane: each model's calls at 32 in flight, 50 ms each, the two models",
        "side by side. `python3 bench/evaluations.py`.", "",
        "| Pairs | Upstream calls | Create to completed | Bound | Lines evaluated per model |",
        "| --- | --- | --- | --- | --- |",
        f"| {figures['pairs']:,} | {figures['calls']:,} | {figures['seconds']:.1f} s | {figures['bound']:.2f} s "
        f"| {', '.join(f'{n:,}' for n in figures['n'].values())} |", ""], figures, bench.WORK)


def main():
    bench.WORK.mkdir(parents=True, exist_ok=True)
    figures = measure()
    write(figures)


if __name__ == "__main__":
    try:
        main()
    finally:
        bench.stop_all()
