#!/usr/bin/env python3
"""Adaptive backend limits against bench/fake-backend.mjs on loopback, clients in a closed loop (bench/load.mjs
closed, a distinct conversation every request, so that no cache answers):

  1. hidden capacity: a backend answering in 100 ms up to 16 calls in flight, slower in proportion past it and
     429 past 32, whose capacity drops to 8 half-way through the measured window; 64 clients on POST /v1/scores
     against a fresh jar for each static max-concurrency of 8, 12, 16, 24 and 32 and for `auto`. Throughput,
     p50/p99 of the 200s, the callers' other answers, upstream calls and 429s; for `auto` also
     rewardgate_backend_limit every 0.5 s and how long after the drop it settled. `auto` is held to the best
     static setting: throughput >= 0.95 x, p99 <= 1.5 x, settled within 10 s, no 429 to a caller;
  2. hosted-like limit: a backend accepting 40 calls in any 60 s (429 with Retry-After past it) and answering
     in 200 ms, requests-per-minute `auto`; 8 clients on POST /v1/rewards (a trainer's call waits for a token
     rather than being refused) for 5 minutes. Accepted upstream calls a minute (>= 38 after the first minute)
     and the share of upstream calls answered 429 (< 2%), with rewardgate_backend_rate_limit every 2 s.

  python3 bench/adaptive.py           # about 14 minutes on 2 cores; writes the "Adaptive concurrency and rate"
                                      # section of bench/RESULTS.md
  python3 bench/adaptive.py --smoke   # a 16 s window and a 70 s run; results under target/bench/smoke

A setting the jar refuses (a jar without `auto`) is recorded as failed with the reason from its log, and the
rest still runs. The raw results stay under target/bench/adaptive. Needs the packaged jar
(./mvnw package -DskipTests) and Node 20+. Every process it starts is stopped when it ends.
"""
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import jobs as bench  # noqa: E402  (the Fake, App and helpers of bench/jobs.py; it moves to the project's root)
from jobs import Fake, get_json, http, log, write_section  # noqa: E402

SMOKE = "--smoke" in sys.argv[1:]
bench.WORK = Path("target/bench/adaptive")
bench.LOG_NAME = "bench/adaptive"
OUT = bench.OUT = Path("target/bench/smoke") if SMOKE else Path("bench")
SECTION = "## Adaptive concurrency and rate"

SWEEP = ["8", "12", "16", "24", "32"]
CAPACITY, CAPACITY_AFTER, CAPACITY_DELAY_MS = 16, 8, 100
CLIENTS = 64
WINDOW_S = 16 if SMOKE else 60
WARMUP_S = 2 if SMOKE else 5
LIMIT_POLL_S = 0.5
# Settled: the limit stays within this share of its median over the window's last SETTLE_TAIL_S.
SETTLE_BAND, SETTLE_TAIL_S = 0.25, 10
TARGET_THROUGHPUT, TARGET_P99, TARGET_SETTLE_S = 0.95, 1.5, 10

RATE_LIMIT, RATE_DELAY_MS = 40, 200
TRAINERS = 8
HOSTED_S = 70 if SMOKE else 300
RATE_POLL_S = 2
TARGET_ACCEPTED, TARGET_REJECTED = 0.95 * RATE_LIMIT, 0.02


def metric(app, name):
    """The value of name's first series in /q/metrics, or None when the jar has no such metric."""
    try:
        status, body = http("GET", f"http://127.0.0.1:{app.management}/q/metrics")
    except OSError:
        return None
    match = re.search(rf"^{name}(?:{{[^}}]*}})? (\S+)$", body.decode(), re.MULTILINE) if status == 200 else None
    return float(match.group(1)) if match else None


def refusal(name, error):
    """Why a jar did not start: the first error its log gives, else the exception."""
    path = bench.WORK / f"app-{name}.log"
    lines = path.read_text(errors="replace").splitlines() if path.exists() else []
    found = next((line.strip() for line in lines if re.search(r"SRCFG\d+|ERROR|Exception", line)), None)
    return (found or str(error))[:300]


def start(fake, settings, name):
    try:
        return bench.App(fake, bench.WORK / f"data-{name}", settings, name), None
    except RuntimeError as error:
        reason = refusal(name, error)
        log(f"{name}: the jar did not start: {reason}")
        return None, reason


def closed(app, path, kind, clients, seconds, warmup, name, at=(), poll=None):
    """bench/load.mjs closed against app's path. Timed from the start of the measured window (load.mjs says when):
    at is (second, action) pairs to run then, poll (interval, sample) samples from 0 to the end. Returns the
    load's result, the samples as (second, value) and the times the actions ran."""
    out = bench.WORK / f"load-{name}.json"
    load = subprocess.Popen(["node", "bench/load.mjs", "closed", "--url", app.url + path, "--clients", str(clients),
                             "--duration", str(seconds), "--warmup", str(warmup), "--body-kind", kind, "--distinct",
                             "--json-out", str(out)], stdout=sys.stderr, stderr=subprocess.PIPE, text=True)
    bench.processes.append(load)
    measuring = threading.Event()
    started = [0.0]

    def read():
        for line in load.stderr:
            if line.startswith("closed: measuring"):
                started[0] = time.monotonic()
                measuring.set()
            else:
                sys.stderr.write(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    while not measuring.wait(0.1):
        if load.poll() is not None:
            raise RuntimeError(f"bench/load.mjs ended with {load.returncode} before its window")
    pending, samples, ran = sorted(at, key=lambda pair: pair[0]), [], []
    next_poll = 0.0
    while True:
        now = time.monotonic() - started[0]
        while pending and pending[0][0] <= now:
            pending.pop(0)[1]()
            ran.append(round(time.monotonic() - started[0], 3))
        if poll and now >= next_poll:
            samples.append((round(now, 3), poll[1]()))
            next_poll += poll[0]
        if now >= seconds:
            break
        upcoming = [seconds] + ([pending[0][0]] if pending else []) + ([next_poll] if poll else [])
        time.sleep(max(0.0, min(upcoming) - (time.monotonic() - started[0])))
    if load.wait() != 0:
        raise RuntimeError(f"bench/load.mjs ended with {load.returncode}")
    reader.join()
    return json.loads(out.read_text()), samples, ran


def settled_after(samples, change_at, end):
    """Seconds from change_at until the limit stays within SETTLE_BAND of its median over the last SETTLE_TAIL_S,
    and why there is no such figure when there is none."""
    values = [(t, v) for t, v in samples if v is not None]
    tail = [v for t, v in values if t >= end - SETTLE_TAIL_S]
    if not tail:
        return None, "no rewardgate_backend_limit"
    median = statistics.median(tail)
    inside = lambda v: abs(v - median) <= SETTLE_BAND * median
    after = [(t, v) for t, v in values if t >= change_at]
    if not after or not inside(after[-1][1]):
        return None, "not settled"
    # The first sample after the last one outside the band, or the change itself when none was outside.
    outside = [i for i, (_, v) in enumerate(after) if not inside(v)]
    return (after[outside[-1] + 1][0] - change_at if outside else 0.0), None


def upstream(fake):
    return get_json(fake.url + "/calls")


def reset(fake):
    http("POST", fake.url + "/calls/reset", b"")


def control(fake, capacity):
    status, _ = http("POST", fake.url + "/control", json.dumps({"capacity": capacity}).encode())
    if status != 204:
        raise RuntimeError(f"POST /control answered {status}")


def ms(value):
    return "none" if value is None else f"{value:.0f} ms"


def capacity_run(fake, setting):
    name = f"concurrency-{setting}"
    control(fake, CAPACITY)
    app, reason = start(fake, {"REWARDGATE_NVIDIA_MAX_CONCURRENCY": setting}, name)
    if app is None:
        return {"setting": setting, "failed": reason}
    try:
        reset(fake)
        before = {}
        result, samples, ran = closed(
            app, "/v1/scores", "score", CLIENTS, WINDOW_S, WARMUP_S, name,
            at=[(0, lambda: before.update(upstream(fake))),
                (WINDOW_S / 2, lambda: control(fake, CAPACITY_AFTER))],
            poll=(LIMIT_POLL_S, lambda: metric(app, "rewardgate_backend_limit")))
        after = upstream(fake)
    finally:
        app.stop()
    change_at = ran[1]
    half = len(result["timeline"]) // 2
    ok = [second["statuses"].get("200", 0) for second in result["timeline"]]
    others = {s: n for s, n in result["statuses"].items() if s != "200"}
    if result["errors"]:
        others["errors"] = result["errors"]
    settled, why = settled_after(samples, change_at, WINDOW_S)
    figure = {"setting": setting, "throughput": result["okPerSecond"],
              "throughput_before": sum(ok[:half]) / max(1, half),
              "throughput_after": sum(ok[half:]) / max(1, len(ok) - half),
              "p50_ms": result["latencyMs"]["p50"], "p99_ms": result["latencyMs"]["p99"], "caller_other": others,
              "upstream_calls": after["received"] - before["received"],
              "upstream_429": after["rejected"] - before["rejected"], "change_at_s": change_at,
              "limit": samples, "settled_s": settled, "settled_note": why}
    log(f"max-concurrency {setting}: {figure['throughput']:.1f}/s ({figure['throughput_before']:.1f} before, "
        f"{figure['throughput_after']:.1f} after), p50 {figure['p50_ms']} ms, p99 {figure['p99_ms']} ms, "
        f"callers' others {others}, upstream {figure['upstream_calls']} calls, {figure['upstream_429']} x 429, "
        f"settled {settled if settled is not None else why}")
    return figure


def best_static(runs):
    """Of the static settings that answered every caller 200 (one that passes errors on is no setting to keep),
    the highest throughput; within 1% of it, the lower p99."""
    static = [r for r in runs if r["setting"] != "auto" and "failed" not in r]
    static = [r for r in static if not r.get("caller_other")] or static
    if not static:
        return None
    top = max(r["throughput"] for r in static)
    return min((r for r in static if r["throughput"] >= 0.99 * top), key=lambda r: r["p99_ms"])


def criteria_capacity(runs):
    """Each criterion of auto against the best static setting: (name, figure, target, met)."""
    best = best_static(runs)
    auto = next((r for r in runs if r["setting"] == "auto"), None)
    if auto is None or "failed" in auto or best is None:
        missing = "auto failed" if best else "no static run"
        return best, [(name, missing, target, False) for name, target in (
            ("throughput, auto / best", f">= {TARGET_THROUGHPUT}"), ("p99, auto / best", f"<= {TARGET_P99}"),
            ("limit settled after the drop", f"<= {TARGET_SETTLE_S} s"), ("429s to callers, auto", "0"))]
    throughput = auto["throughput"] / best["throughput"] if best["throughput"] else None
    p99 = auto["p99_ms"] / best["p99_ms"] if auto["p99_ms"] and best["p99_ms"] else None
    settled = auto["settled_s"]
    refused = auto["caller_other"].get("429", 0)
    return best, [
        ("throughput, auto / best", f"{throughput:.2f}" if throughput is not None else "none",
         f">= {TARGET_THROUGHPUT}", throughput is not None and throughput >= TARGET_THROUGHPUT),
        ("p99, auto / best", f"{p99:.2f}" if p99 is not None else "none", f"<= {TARGET_P99}",
         p99 is not None and p99 <= TARGET_P99),
        ("limit settled after the drop", f"{settled:.1f} s" if settled is not None else auto["settled_note"],
         f"<= {TARGET_SETTLE_S} s", settled is not None and settled <= TARGET_SETTLE_S),
        ("429s to callers, auto", str(refused), "0", refused == 0)]


def hidden_capacity():
    fake = Fake(CAPACITY_DELAY_MS, "--capacity", str(CAPACITY))
    try:
        return [capacity_run(fake, setting) for setting in SWEEP + ["auto"]]
    finally:
        fake.stop()


def hosted(setting="auto"):
    """Scenario 2; setting is the jar's requests-per-minute (another value than auto tries the script itself)."""
    fake = Fake(RATE_DELAY_MS, "--rate-limit", str(RATE_LIMIT))
    name = f"rate-{setting}"
    try:
        app, reason = start(fake, {"REWARDGATE_NVIDIA_REQUESTS_PER_MINUTE": setting}, name)
        if app is None:
            return {"setting": setting, "failed": reason}
        try:
            reset(fake)

            def sample():
                calls = upstream(fake)
                return {"rate_limit": metric(app, "rewardgate_backend_rate_limit"), "calls": calls["calls"],
                        "received": calls["received"], "rejected": calls["rejected"]}

            result, samples, _ = closed(app, "/v1/rewards", "rewards", TRAINERS, HOSTED_S, 0, name,
                                        poll=(RATE_POLL_S, sample))
        finally:
            app.stop()
    finally:
        fake.stop()
    start_s, first, (end_s, last) = samples[0][0], samples[0][1], samples[-1]
    # From the first sample a minute or more into the run to the last.
    minute = next(((t, s) for t, s in samples if t >= 60 and t < end_s), None)
    accepted_after = ((last["calls"] - minute[1]["calls"]) / (end_s - minute[0]) * 60) if minute else None
    received = last["received"] - first["received"]
    rejected = last["rejected"] - first["rejected"]
    figure = {"setting": setting, "seconds": end_s - start_s,
              "accepted_per_min": (last["calls"] - first["calls"]) / (end_s - start_s) * 60,
              "accepted_per_min_after_first": accepted_after,
              "after_first_from_s": minute[0] if minute else None,
              "upstream_calls": received, "upstream_429": rejected,
              "rejected_share": rejected / received if received else None,
              "statuses": result["statuses"], "errors": result["errors"], "p50_ms": result["latencyMs"]["p50"],
              "p99_ms": result["latencyMs"]["p99"], "series": samples}
    log(f"requests-per-minute {setting}: {figure['accepted_per_min']:.1f} accepted a minute "
        f"({accepted_after if accepted_after is None else round(accepted_after, 1)} after the first minute), "
        f"{rejected} of {received} upstream calls answered 429, callers {result['statuses']}, "
        f"errors {result['errors']}")
    return figure


def criteria_rate(figure):
    if "failed" in figure:
        return [("accepted upstream calls a minute, after the first minute", "run failed", f">= {TARGET_ACCEPTED:g}",
                 False), ("upstream calls answered 429", "run failed", f"< {TARGET_REJECTED:.0%}", False)]
    after, share = figure["accepted_per_min_after_first"], figure["rejected_share"]
    return [("accepted upstream calls a minute, after the first minute",
             f"{after:.1f}" if after is not None else "none", f">= {TARGET_ACCEPTED:g}",
             after is not None and after >= TARGET_ACCEPTED),
            ("upstream calls answered 429", f"{share:.1%} ({figure['upstream_429']} of {figure['upstream_calls']})"
             if share is not None else "no calls", f"< {TARGET_REJECTED:.0%}",
             share is not None and share < TARGET_REJECTED)]


def every(samples, step, value=lambda v: v):
    """The samples' values every step seconds, as text."""
    shown, next_t = [], 0.0
    for t, v in samples:
        if t >= next_t:
            v = value(v)
            shown.append("none" if v is None else f"{v:g}")
            next_t += step
    return ", ".join(shown)


def write(runs, rate):
    best, capacity_criteria = criteria_capacity(runs)
    rate_criteria = criteria_rate(rate)
    mark = lambda met: "PASS" if met else "**FAIL**"
    for name, figure, target, met in capacity_criteria + rate_criteria:
        log(f"{'PASS' if met else 'FAIL'}: {name}: {figure} (target {target})")
    rows = ["| max-concurrency | Throughput (before / after the drop) | p50 | p99 | Callers' non-200 | Upstream calls "
            "| Upstream 429s |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in runs:
        if "failed" in r:
            rows.append(f"| `{r['setting']}` | failed to start: {r['failed'].replace('|', '/')} |  |  |  |  |  |")
            continue
        others = ", ".join(f"{n:,} x {s}" for s, n in sorted(r["caller_other"].items())) or "none"
        rows.append(f"| `{r['setting']}` | {r['throughput']:.1f}/s ({r['throughput_before']:.1f} / "
                    f"{r['throughput_after']:.1f}) | {ms(r['p50_ms'])} | {ms(r['p99_ms'])} | {others} "
                    f"| {r['upstream_calls']:,} | {r['upstream_429']:,} |")
    auto = next((r for r in runs if r["setting"] == "auto" and "failed" not in r), None)
    section = [
        SECTION, "",
        f"Hidden capacity: `bench/fake-backend.mjs --delay-ms {CAPACITY_DELAY_MS} --capacity {CAPACITY}` answers in "
        f"{CAPACITY_DELAY_MS} ms up to {CAPACITY} calls in flight, slower in proportion past them, and 429 past "
        f"{2 * CAPACITY}; half-way through the {WINDOW_S} s window its capacity drops to {CAPACITY_AFTER}. {CLIENTS} "
        f"clients send distinct `POST /v1/scores` in a closed loop (`bench/load.mjs closed`, after a {WARMUP_S} s "
        "warm-up), a fresh jar for each `REWARDGATE_NVIDIA_MAX_CONCURRENCY`. Throughput is answers of 200 a second "
        "over the window; latency that of the 200s; upstream figures over the window. `python3 bench/adaptive.py`.",
        "", *rows, "",
        f"Best static setting (of those with no error to a caller, the highest throughput, the lower p99 within 1%): "
        f"{'`' + best['setting'] + '`' if best else 'none'}. `auto` against it:", "",
        "| Criterion | Figure | Target | Met |", "| --- | --- | --- | --- |",
        *[f"| {name} | {figure} | {target} | {mark(met)} |" for name, figure, target, met in capacity_criteria], ""]
    if auto:
        section += [f"`rewardgate_backend_limit` of `auto` every 2 s of the window (the drop at "
                    f"{auto['change_at_s']:.1f} s): {every(auto['limit'], 2)}.", ""]
    section += [
        f"Hosted-like limit: `bench/fake-backend.mjs --delay-ms {RATE_DELAY_MS} --rate-limit {RATE_LIMIT}` accepts "
        f"{RATE_LIMIT} calls in any 60 s and answers the others 429 with Retry-After; the jar runs with "
        f"`REWARDGATE_NVIDIA_REQUESTS_PER_MINUTE={rate['setting']}`, {TRAINERS} clients send distinct "
        f"`POST /v1/rewards` in a closed loop for {HOSTED_S} s.", ""]
    if "failed" in rate:
        section += [f"The jar failed to start: {rate['failed']}", ""]
    else:
        answers = ", ".join(f"{n:,} x {s}" for s, n in sorted(rate["statuses"].items())) or "none"
        if rate["errors"]:
            answers += f", {rate['errors']} errors"
        section += [
            "| Figure | Value | Target | Met |", "| --- | --- | --- | --- |",
            f"| accepted upstream calls a minute, whole run | {rate['accepted_per_min']:.1f} | (reported) |  |",
            *[f"| {name} | {figure} | {target} | {mark(met)} |" for name, figure, target, met in rate_criteria],
            f"| answers to clients | {answers}; p50 {ms(rate['p50_ms'])}, p99 {ms(rate['p99_ms'])} "
            "| (reported) |  |", "",
            f"`rewardgate_backend_rate_limit` every 10 s (0: no budget): "
            f"{every(rate['series'], 10, lambda v: v['rate_limit'])}.", ""]
    write_section(section, {"capacity": runs, "rate": rate}, bench.WORK)


def main():
    if not Path("target/quarkus-app/quarkus-run.jar").exists():
        log("target/quarkus-app is missing: run ./mvnw package -DskipTests")
        sys.exit(2)
    shutil.rmtree(bench.WORK, ignore_errors=True)
    bench.WORK.mkdir(parents=True)
    runs = hidden_capacity()
    rate = hosted()
    write(runs, rate)


if __name__ == "__main__":
    try:
        main()
    finally:
        bench.stop_all()
