"""Writes RESULTS.md and results.png from the raw figures bench/run.sh collected.

usage: python3 bench/report.py RAW_DIR OUT_DIR RESPONSE_BYTES RATE
"""
import json
import statistics
import subprocess
import sys
from pathlib import Path

raw, out, response_bytes, rate = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])


def load(name):
    path = raw / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def lines(name):
    path = raw / f"{name}.txt"
    return [line.split() for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def fmt(value, digits=2):
    if value is None:
        return "n/a"
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 100:
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def verdict(ok):
    return "yes" if ok else "**no**"


machine = load("machine")
connections = sorted({int(p.stem.rsplit("-c", 1)[1]) for p in raw.glob("hit-rewardgate-c*.json")})
SERVERS = ("rewardgate", "baseline", "baseline-json", "nginx")
hit = {name: {c: load(f"hit-{name}-c{c}") for c in connections} for name in SERVERS}
rows = []


def row(scenario, figure, reference, ratio, target, met):
    rows.append((scenario, figure, reference, ratio, target, met))


# Cache-hit throughput at 64 connections.
headline_rounds = sorted({p.stem.rsplit("-r", 1)[1] for p in raw.glob("headline-rewardgate-r*.json")})
if headline_rounds:
    rg, base, base_json, nginx = (statistics.median(load(f"headline-{n}-r{r}")["rps"] for r in headline_rounds)
                                  for n in SERVERS)
    each = "; ".join(f"{r}: " + ", ".join(fmt(load(f"headline-{n}-r{r}")["rps"], 0) for n in SERVERS)
                     for r in headline_rounds)
    row(f"Cache-hit throughput, `POST /v1/scores`, 64 connections (median of {len(headline_rounds)} rounds taking "
        "turns)", f"{fmt(rg, 0)} req/s",
        f"bare Quarkus {fmt(base, 0)} req/s", f"{rg / base:.2f}", ">= 0.90", verdict(rg / base >= 0.90))
    row("Cache-hit throughput vs bare Quarkus with JSON both ways", f"{fmt(rg, 0)} req/s",
        f"bare Quarkus + Jackson {fmt(base_json, 0)} req/s", f"{rg / base_json:.2f}", "(reported)", "")
    row("Cache-hit throughput vs nginx (static body)", f"{fmt(rg, 0)} req/s", f"nginx {fmt(nginx, 0)} req/s",
        f"{rg / nginx:.2f}", "(reported)", "")

# Added latency at a fixed rate of distinct conversations.
rounds = sorted({p.stem.rsplit("-", 1)[1] for p in raw.glob("rate-direct-*.json")})
rate_runs = {r: {n: load(f"rate-{n}-{r}") for n in ("direct", "rewardgate", "portkey")} for r in rounds}
if rounds:
    last = rate_runs[rounds[-1]]
    direct = last["direct"]["latencyMs"]
    over = {n: {p: last[n]["latencyMs"][p] - direct[p] for p in ("p50", "p99")} for n in ("rewardgate", "portkey")}
    for p, target in (("p50", 0.5), ("p99", 3.0)):
        rg, pk = over["rewardgate"][p], over["portkey"][p]
        row(f"Added latency over a direct backend call, {p}, {rate}/s distinct", f"{rg:.3f} ms",
            f"Portkey {pk:.3f} ms (direct {direct[p]:.3f} ms)", f"{rg / pk:.2f}" if pk > 0 else "n/a",
            f"<= {target} ms and below Portkey", verdict(rg <= target and rg < pk))

# A caching peer.
pk_calls, rg_calls = load("repeat-portkey-calls"), load("repeat-rewardgate-calls")
pk_run, rg_run = load("repeat-portkey"), load("repeat-rewardgate")
if pk_calls and rg_calls:
    row(f"Same request {pk_run['completed']:,} times, backend calls", f"rewardgate {rg_calls['backendCalls']}",
        f"Portkey {pk_calls['version']} with `cache: {{mode: simple}}`: {pk_calls['backendCalls']} "
        f"(`x-portkey-cache-status: {pk_calls['cacheStatus'] or 'absent'}`)", "", "1", verdict(rg_calls["backendCalls"] == 1))

# 10,000 in flight.
flight, proc = load("in-flight"), load("in-flight-process")
if flight and proc:
    ok = flight["statuses"].get("200", 0)
    rss = proc["peakRssKiB"] / 1024
    row(f"{flight['count']:,} requests in flight, 1 s backend", f"{ok:,} x 200 in {flight['elapsedMs'] / 1000:.2f} s, "
        f"peak RSS {rss:.0f} MiB, {proc['peakThreads']} threads (idle {proc['idleThreads']})",
        f"{proc['backendCalls']:,} backend calls", "", "all 200, RSS <= 512 MiB",
        verdict(ok == flight["count"] and rss <= 512))

# 1,000 identical concurrent requests.
same, same_calls = load("identical"), load("identical-calls")
if same and same_calls:
    row(f"{same['count']:,} identical concurrent requests", f"{same_calls['backendCalls']} backend call(s), "
        f"{same['statuses'].get('200', 0):,} x 200", "", "", "exactly 1", verdict(same_calls["backendCalls"] == 1))

# A 1,000-item batch at max-concurrency 64 against a 50 ms backend.
batch50 = [float(t) for code, t in lines("batch-50ms-1000") if code == "200"]
if batch50:
    bound = 1000 / 64 * 0.050
    median = statistics.median(batch50)
    row("1,000-item batch, max-concurrency 64, 50 ms backend", f"{median:.3f} s (median of {len(batch50)})",
        f"1000 / 64 x 50 ms = {bound:.3f} s", f"{median / bound:.2f}", "<= 1.10", verdict(median / bound <= 1.10))
    measured = load("batch-50ms-calls")
    if measured:
        call = measured["meanCallSeconds"]
        real_bound = 1000 / 64 * call
        row("The same against the backend's measured latency", f"{median:.3f} s",
            f"1000 / 64 x {call * 1000:.1f} ms (mean call as rewardgate timed it) = {real_bound:.3f} s",
            f"{median / real_bound:.2f}", "(reported)", "")

# Cost growth.
sizes = {s: load(f"size-{s}") for s in ("1k", "16k", "64k")}
batches = {n: statistics.median([float(t) for code, t in lines(f"batch-fast-{n}") if code == "200"] or [0])
           for n in (10, 100, 1000)}
if all(sizes.values()):
    row("Cache-hit throughput by conversation size, 64 connections",
        ", ".join(f"{s}: {fmt(v['rps'], 0)} req/s" for s, v in sizes.items()), "", "", "(reported)", "")
if batches[1000]:
    slope = (batches[1000] - batches[10]) / 990 * 1000
    row("Batch time by items, zero-latency backend", ", ".join(f"{n}: {t * 1000:.0f} ms" for n, t in batches.items()),
        f"slope {slope:.3f} ms per item", "", "(reported)", "")

# Start to ready and idle memory.
starts = {n: lines(f"start-{n}") for n in ("rewardgate", "baseline", "rewardgate-appcds")}
if starts["rewardgate"] and starts["baseline"]:
    def med(name, i):
        return statistics.median(float(v[i]) for v in starts[name]) if starts[name] else None
    rg_ms, base_ms = med("rewardgate", 0), med("baseline", 0)
    row("Start to ready (`/q/health/ready` 200)", f"{rg_ms:.0f} ms", f"bare Quarkus {base_ms:.0f} ms",
        f"{rg_ms / base_ms:.2f}", "<= 1.20", verdict(rg_ms / base_ms <= 1.20))
    cds_ms = med("rewardgate-appcds", 0)
    if cds_ms:
        row("Start to ready with AppCDS", f"{cds_ms:.0f} ms", f"without {rg_ms:.0f} ms", f"{cds_ms / rg_ms:.2f}",
            "(reported)", "")
    row("Idle RSS after start", f"{med('rewardgate', 1) / 1024:.0f} MiB", f"bare Quarkus {med('baseline', 1) / 1024:.0f} MiB",
        f"{med('rewardgate', 1) / med('baseline', 1):.2f}", "(reported)", "")

# The chart: throughput and p99 versus connections, beside nginx and the baseline.
out.mkdir(parents=True, exist_ok=True)
data = raw / "hit.dat"
with data.open("w") as f:
    f.write("# connections, then req/s and p99 ms of: " + " ".join(SERVERS) + "\n")
    for c in connections:
        f.write(" ".join([str(c)] + [str(hit[n][c]["rps"]) for n in SERVERS]
                         + [str(hit[n][c]["p99"]) for n in SERVERS]) + "\n")
script = f"""set terminal pngcairo size 1200,480 font "sans,10"
set output "{out / 'results.png'}"
set multiplot layout 1,2 title "Cache-hit path, POST /v1/scores ({response_bytes}-byte answer), {machine['cores']} cores shared with wrk"
set logscale x 2
set xlabel "connections"
set grid
set key top left
set ylabel "requests per second"
set yrange [0:*]
plot "{data}" using 1:2 with linespoints lw 2 title "rewardgate", "" using 1:3 with linespoints lw 2 title "bare Quarkus", "" using 1:4 with linespoints lw 2 title "bare Quarkus + Jackson", "" using 1:5 with linespoints lw 2 title "nginx"
set ylabel "p99 latency (ms)"
set logscale y 10
set yrange [*:*]
plot "{data}" using 1:6 with linespoints lw 2 title "rewardgate", "" using 1:7 with linespoints lw 2 title "bare Quarkus", "" using 1:8 with linespoints lw 2 title "bare Quarkus + Jackson", "" using 1:9 with linespoints lw 2 title "nginx"
unset multiplot
"""
subprocess.run(["gnuplot"], input=script, text=True, check=True)

md = ["# Benchmark results", ""]
md.append("Written by `bench/run.sh` (" + ("smoke run: tiny durations, figures meaningless" if machine["smoke"]
                                          else "full run") + "). Every figure and its reference come from the same run "
          "on the same machine; the load generator shares the cores with the servers, so ratios are the point, not "
          "absolute numbers.")
md += ["", f"- Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']}, Linux {machine['kernel']}",
       f"- {machine['java']}; JVM flags for every Java server: `{machine['jvmFlags']}` (what a 512 MiB container "
       "gives the image's flags)",
       f"- Node {machine['node']}, {machine['wrk']}, nginx {machine['nginx']}",
       f"- Score response: {response_bytes} bytes; nginx and the bare Quarkus app (`bench/baseline`, Quarkus REST "
       "on the event loop) answer these same bytes; \"bare Quarkus + Jackson\" is the same app binding the request "
       "to a record and writing the answer from a JSON tree, the JSON work any JSON API does", ""]
md += ["| Scenario | Figure | Reference | Ratio | Target | Met |", "| --- | --- | --- | --- | --- | --- |"]
md += ["| " + " | ".join(r) + " |" for r in rows]
md += ["", "Where a target is missed, [PROFILE.md](PROFILE.md) shows where the time goes and why.", "",
       "![Throughput and p99 latency versus connections](results.png)", "", "## Cache-hit path by connections", "",
       "| Connections | rewardgate req/s | bare Quarkus req/s | + Jackson req/s | nginx req/s | rewardgate p99 ms | "
       "bare Quarkus p99 ms | + Jackson p99 ms | nginx p99 ms |",
       "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
for c in connections:
    md.append(f"| {c} | " + " | ".join(fmt(hit[n][c]["rps"], 0) for n in SERVERS) + " | "
              + " | ".join(fmt(hit[n][c]["p99"], 3) for n in SERVERS) + " |")
if headline_rounds:
    md += ["", "The headline rounds at 64 connections, req/s of rewardgate, bare Quarkus, + Jackson and nginx, by round: "
           + each + "."]
calls = load("hit-backend-calls")
if calls:
    md += ["", f"Backend calls during all cache-hit runs: {calls['backendCalls']} (one per distinct body)."]
if rounds:
    md += ["", f"## Latency at {rate} distinct conversations a second, `POST /v1/chat/completions`", "",
           "Open loop (`bench/load.mjs rate`): each request counts from when it was due, so a stall cannot hide.",
           "", "| Round | Path | completed | p50 ms | p90 ms | p99 ms | max ms |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rounds:
        for n, label in (("direct", "direct to the fake backend"), ("rewardgate", "through rewardgate (miss)"),
                         ("portkey", "through Portkey")):
            v = rate_runs[r][n]
            lat = v["latencyMs"]
            md.append(f"| {r} | {label} | {v['completed']:,} | {lat['p50']:.3f} | {lat['p90']:.3f} | {lat['p99']:.3f} | "
                      f"{lat['max']:.3f} |")
    md += ["", f"The table above uses round {rounds[-1]}."]
md += ["", "## How each figure is measured", "",
       "- Cache hits: `wrk -t2 -c<connections> -d<seconds>s --latency -s bench/post.lua <url>` with `BODY_FILE` naming "
       "one conversation, after a 5 s warm-up of each server; the headline takes the median of three more rounds "
       "at 64 connections, servers taking turns.",
       f"- Added latency: `node bench/load.mjs rate --rate {rate} --duration 20 --warmup 5 --body-kind chat --distinct` "
       "against the fake's, rewardgate's and Portkey's `/v1/chat/completions`, two rounds; the fake answers at once.",
       "- Caching peer: `load.mjs rate --rate 200 --identical --connections 1`, then the fake's `GET /calls`.",
       "- In flight and identical requests: `load.mjs burst --count N` (over HTTP/2 for the 10,000: 10,000 HTTP/1.1 "
       "callers and 10,000 backend connections would not fit the 20,000 open files a process may have here); peak "
       "RSS is `VmHWM` and threads are sampled every 100 ms from `/proc`.",
       "- Batches: `curl` of `POST /v1/scores/batch` with distinct conversations, median of five after one warm-up "
       "batch (three against the 50 ms backend).",
       "- Start: from launching `java` to the first 200 of `/q/health/ready`, then 2 s idle for the RSS; median of five.",
       "", "## Reproduce", "", "```shell", "./mvnw package -DskipTests", "bench/run.sh            # or --smoke",
       "python3 bench/jobs.py       # the Files and batches section; or --smoke",
       "python3 bench/replicas.py   # the Jobs across replicas section; or --smoke",
       "python3 bench/autoscale.py  # the Autoscaling on work section; or --smoke",
       "python3 bench/start.py      # the Start to ready section, plain jars and images; or --smoke",
       "python3 bench/tenants.py    # the Batches under several tenants section; or --smoke",
       "python3 bench/kinds.py      # the Batched calls to self-hosted servers section; or --smoke",
       "python3 bench/trainers.py   # the Trainer load section; or --smoke",
       "python3 bench/evaluations.py  # the Evaluations section; or --smoke",
       "python3 bench/adaptive.py   # the Adaptive concurrency and rate section; or --smoke", "```", ""]
# The scripts named under Reproduce write their own sections: a full run here keeps them where they were.
results = out / "RESULTS.md"
kept = ""
if results.exists():
    previous = results.read_text()
    for section in ("## Files and batches", "## Jobs across replicas", "## Autoscaling on work", "## Start to ready",
                    "## Batches under several tenants", "## Batched calls to self-hosted servers", "## Trainer load",
                    "## Evaluations", "## Adaptive concurrency and rate"):
        start = previous.find(section)
        if start >= 0:
            end = previous.find("\n## ", start + 1)
            kept += (previous[start:end] if end >= 0 else previous[start:]).rstrip("\n") + "\n\n"
text = "\n".join(md)
if kept:
    marker = text.find("## How each figure is measured")
    text = text[:marker] + kept + text[marker:]
results.write_text(text)
