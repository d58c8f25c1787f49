#!/usr/bin/env python3
"""The figures behind the KEDA trigger of k8s/components/keda: one replica (the image's 512 MiB JVM flags,
max-concurrency 32, the default) against bench/fake-backend.mjs answering in 200 ms, sent distinct
conversations at fixed rates (open loop, bench/load.mjs) while rewardgate_backend_inflight and
rewardgate_backend_queued are sampled every 250 ms. By Little's law a replica holds rate x 0.2 s calls, so
32 permits serve 160 requests a second; past that, calls queue and latency grows by the queue's wait.

  python3 bench/autoscale.py           # about 2 minutes on 2 cores; writes the "Autoscaling on work" section
                                       # of bench/RESULTS.md
  python3 bench/autoscale.py --smoke   # two short rates; results under target/bench/smoke

Needs the packaged jar (./mvnw package -DskipTests) and Node 20+.
"""
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import jobs as bench

SMOKE = "--smoke" in sys.argv[1:]
bench.WORK = Path("target/bench/autoscale")
bench.LOG_NAME = "bench/autoscale"
OUT = Path("target/bench/smoke") if SMOKE else Path("bench")
RATES = [40, 160] if SMOKE else [40, 80, 120, 140, 160, 180, 200]
SECONDS = 3 if SMOKE else 15
DELAY_MS = 200
MAX_CONCURRENCY = 32
SECTION = "## Autoscaling on work"


def work(app):
    """rewardgate_backend_inflight + rewardgate_backend_queued, summed over their series."""
    status, body = bench.http("GET", f"http://127.0.0.1:{app.management}/q/metrics")
    total = 0.0
    for line in body.decode().splitlines():
        if line.startswith(("rewardgate_backend_inflight", "rewardgate_backend_queued")):
            total += float(line.rsplit(" ", 1)[1])
    return total


def run(app, rate):
    samples = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append(work(app))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    out = bench.WORK / f"rate-{rate}.json"
    sampler.start()
    try:
        subprocess.run(["node", "bench/load.mjs", "rate", "--url", app.url + "/v1/scores", "--rate", str(rate),
                        "--duration", str(SECONDS), "--warmup", "2", "--connections", "512", "--body-kind", "score",
                        "--distinct", "--json-out", str(out)], check=True, stdout=sys.stderr)
    finally:
        done.set()
        sampler.join()
    result = json.loads(out.read_text())
    # The first 2 s are the warm-up and the last ones the drain: the middle half is the steady state.
    steady = samples[len(samples) // 4: max(len(samples) // 4 + 1, 3 * len(samples) // 4)]
    figure = {"rate": rate, "work_mean": sum(steady) / len(steady), "work_max": max(samples),
              "p50_ms": result["latencyMs"]["p50"], "p99_ms": result["latencyMs"]["p99"],
              "statuses": result["statuses"], "errors": result["errors"]}
    bench.log("rate %d/s: work %.1f (max %.0f), p50 %.0f ms, p99 %.0f ms, %s"
              % (rate, figure["work_mean"], figure["work_max"], figure["p50_ms"], figure["p99_ms"],
                 result["statuses"]))
    return figure


def main():
    if not Path("target/quarkus-app/quarkus-run.jar").exists():
        bench.log("target/quarkus-app is missing: run ./mvnw package -DskipTests")
        sys.exit(2)
    bench.WORK.mkdir(parents=True, exist_ok=True)
    fake = bench.Fake(DELAY_MS)
    app = bench.App(fake, bench.WORK / "data", {"REWARDGATE_NVIDIA_MAX_CONCURRENCY": str(MAX_CONCURRENCY)}, "app")
    try:
        run(app, 40)
        figures = [run(app, rate) for rate in RATES]
    finally:
        bench.stop_all()
    section = [SECTION, "",
               f"One replica, max-concurrency {MAX_CONCURRENCY}, a {DELAY_MS} ms backend, distinct conversations at a "
               f"fixed rate for {SECONDS} s each (`python3 bench/autoscale.py`). Work = `rewardgate_backend_inflight` "
               "+ `rewardgate_backend_queued`, sampled every 250 ms, mean of the steady middle half.", "",
               "| Rate | Work, mean | Work, max | p50 | p99 | Answers |", "| --- | --- | --- | --- | --- | --- |"]
    for f in figures:
        answers = ", ".join(f"{n} of {s}" for s, n in sorted(f["statuses"].items()))
        section.append(f"| {f['rate']}/s | {f['work_mean']:.1f} | {f['work_max']:.0f} | {f['p50_ms']:.0f} ms "
                       f"| {f['p99_ms']:.0f} ms | {answers} |")
    section.append("")
    saved, bench.OUT = bench.OUT, OUT
    try:
        bench.write_section(section, figures, bench.WORK)
    finally:
        bench.OUT = saved


if __name__ == "__main__":
    main()
