#!/usr/bin/env python3
"""Batched calls to self-hosted reward servers: 1,000 distinct conversations in one POST /v1/scores/batch through
a `tei` model and a `vllm` model with a chat template (so that it sends several texts per call), each beside the
same model with max-batch-size=1, against bench/fake-backend.mjs answering every call after 20 ms. Reports the
upstream calls and the wall time of each. The packaged jar runs with its defaults (max-concurrency 32).

  python3 bench/kinds.py           # about a minute on 2 cores; writes the "Batched calls to self-hosted
                                   # servers" section of bench/RESULTS.md
  python3 bench/kinds.py --smoke   # 50 conversations, one round; results under target/bench/smoke

Needs the packaged jar (./mvnw package -DskipTests) and Node.
"""
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

import jobs as bench
from jobs import Fake, get_json, http, log, write_section

SMOKE = "--smoke" in sys.argv[1:]
bench.WORK = Path("target/bench/kinds")
bench.LOG_NAME = "bench/kinds"
OUT = bench.OUT = Path("target/bench/smoke") if SMOKE else Path("bench")
CONVERSATIONS = 50 if SMOKE else 1000
ROUNDS = 1 if SMOKE else 3
DELAY_MS = 20
SECTION = "## Batched calls to self-hosted servers"
# Each model: its kind, and the settings beside it.
MODELS = {
    "tei": ("tei", {}),
    "tei-single": ("tei", {"MAX_BATCH_SIZE": "1"}),
    "vllm": ("vllm", {"CHAT_TEMPLATE": "chatml"}),
    "vllm-single": ("vllm", {"CHAT_TEMPLATE": "chatml", "MAX_BATCH_SIZE": "1"}),
}


def settings(fake):
    env = {"REWARDGATE_DEFAULT_MODEL": "tei"}
    for model, (kind, own) in MODELS.items():
        key = model.upper().replace("-", "")
        env[f"REWARDGATE_MODELS_{key}_KIND"] = kind
        env[f"REWARDGATE_MODELS_{key}_NAME"] = model
        env[f"REWARDGATE_MODELS_{key}_BASE_URL"] = fake.url
        env.update({f"REWARDGATE_MODELS_{key}_{name}": value for name, value in own.items()})
    return env


def score_all(app, fake, model):
    """One /v1/scores/batch of distinct conversations: its wall time and the upstream calls it made."""
    run = uuid.uuid4().hex
    body = json.dumps({"model": model, "items": [
        {"id": str(i), "prompt": f"{run} question {i}?", "response": f"Answer {i}."}
        for i in range(CONVERSATIONS)]}).encode()
    before = get_json(fake.url + "/calls")["received"]
    started = time.monotonic()
    status, answer = http("POST", app.url + "/v1/scores/batch", body)
    elapsed = time.monotonic() - started
    if status != 200:
        raise RuntimeError(f"{model}: /v1/scores/batch answered {status}: {answer[:300]!r}")
    results = json.loads(answer)["results"]
    failed = [result for result in results if "error" in result]
    if len(results) != CONVERSATIONS or failed:
        raise RuntimeError(f"{model}: {len(results)} results, {len(failed)} failed: {failed[:2]}")
    return elapsed, get_json(fake.url + "/calls")["received"] - before


def measure():
    fake = Fake(DELAY_MS)
    app = bench.App(fake, bench.WORK / "data", settings(fake), "kinds")
    try:
        figures = {}
        for model in MODELS:
            score_all(app, fake, model)
            rounds = [score_all(app, fake, model) for _ in range(ROUNDS)]
            figures[model] = {"seconds": statistics.median(r[0] for r in rounds),
                              "calls": statistics.median(r[1] for r in rounds)}
            log(f"{model}: {rounds}")
        return figures
    finally:
        app.stop()
        fake.stop()


def write(figures):
    rows = ["| Kind | max-batch-size | Upstream calls | Wall time | Conversations a second |",
            "| --- | --- | --- | --- | --- |"]
    for kind in ("tei", "vllm"):
        for model, size in ((kind, "32" if kind == "tei" else "16"), (kind + "-single", "1")):
            seconds, calls = figures[model]["seconds"], figures[model]["calls"]
            rows.append(f"| `{kind}` | {size} | {calls:,.0f} | {seconds:.2f} s | {CONVERSATIONS / seconds:,.0f} |")
    write_section([
        SECTION, "",
        f"{CONVERSATIONS:,} distinct conversations in one `POST /v1/scores/batch`, through a `tei` model and a `vllm`",
        "model with `chat-template=chatml`, each beside the same model with `max-batch-size=1`, against",
        f"`bench/fake-backend.mjs` answering each call after {DELAY_MS} ms; defaults otherwise (`max-concurrency` 32,",
        f"`max-batch-wait` 5 ms). Median of {ROUNDS} rounds after a warm-up; `python3 bench/kinds.py`.", "",
        *rows, ""], figures, bench.WORK)


def main():
    bench.WORK.mkdir(parents=True, exist_ok=True)
    figures = measure()
    write(figures)
    log(json.dumps(figures))


if __name__ == "__main__":
    try:
        main()
    finally:
        bench.stop_all()
