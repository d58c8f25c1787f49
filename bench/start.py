#!/usr/bin/env python3
"""Start to ready: from launching the JVM (or `podman run`) to the first 200 of /q/health/ready, rewardgate beside
the bare Quarkus app (bench/baseline: Quarkus REST and health only), as a plain jar and in the image. rewardgate
runs its defaults (stub backend, no Redis), every JVM the image's flags for a 512 MiB container. Rows:

  - plain jar on the machine's java, and with an AppCDS archive from a training run (Java 17 to 23);
  - plain jar on a Java 24+ (JAVA25, or the first /usr/lib/jvm/*25* found), and with its AOT cache;
  - the image (src/main/docker/Dockerfile.jvm, its training run included) beside the bare app in an image of the
    same base, and the same image with its cache left out, when podman runs (root); on Debian's OpenJDK 25 and on
    Temurin 25 (the default base's JVM, copied from this machine's JDK into the same Debian base).

  python3 bench/start.py           # about 3 minutes on 2 cores; writes the "Start to ready" section of
                                   # bench/RESULTS.md
  python3 bench/start.py --smoke   # one start of each plain jar; results under target/bench/smoke

Needs the packaged jar (./mvnw package -DskipTests); the image rows also need podman, runc and the base image the
container smoke test makes (BASE_IMAGE, default localhost/rewardgate-base:trixie; SMOKE_KEEP_BASE=1
src/main/docker/smoke-test.sh leaves it).
"""
import glob
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jobs as bench

SMOKE = "--smoke" in sys.argv[1:]
bench.WORK = Path("target/bench/start")
bench.LOG_NAME = "bench/start"
OUT = Path("target/bench/smoke") if SMOKE else Path("bench")
STARTS = 1 if SMOKE else 5
SECTION = "## Start to ready"
JVM_FLAGS = ["-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=60", "-XX:InitialRAMPercentage=25",
             "-XX:+ExitOnOutOfMemoryError"]
BASE_IMAGE = os.environ.get("BASE_IMAGE", "localhost/rewardgate-base:trixie")
PODMAN = ["podman", "--runtime", "runc"]
# The limits the container smoke test sets too (runc cannot raise them above the machine's own), and the
# Deployment's memory limit, from which the JVM sizes its heap and picks its collector.
LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--memory", "512m"]
TARGET = 1.3


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


def wait_ready(url, alive, what):
    deadline = time.monotonic() + 120
    while not ready(url):
        if not alive() or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not become ready")
        time.sleep(0.01)


def start_jar(java, directory, extra, management=True):
    """Milliseconds from launching java in directory to ready (on the management port, or the HTTP port)."""
    port, mgmt = free_port(), free_port()
    command = [java, *JVM_FLAGS, *extra, f"-Dquarkus.http.port={port}", f"-Dquarkus.management.port={mgmt}",
               "-Drewardgate.jobs.directory=" + str((bench.WORK / "data").resolve()), "-jar", "quarkus-run.jar"]
    log = open(bench.WORK / "jar.log", "w")
    began = time.monotonic()
    process = subprocess.Popen(command, cwd=directory, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(f"http://127.0.0.1:{mgmt if management else port}/q/health/ready",
                   lambda: process.poll() is None, str(directory))
        return (time.monotonic() - began) * 1000
    finally:
        process.terminate()
        process.wait(30)


def median_starts(what, start):
    times = [start() for _ in range(STARTS)]
    bench.log(f"{what}: {', '.join(f'{t:.0f}' for t in times)} ms")
    return statistics.median(times)


def train(java, directory, record):
    """The image's training run on a copy of the application: start, ready, SIGTERM; the JVM writes the cache."""
    mgmt = free_port()
    process = subprocess.Popen([java, *JVM_FLAGS, record, f"-Dquarkus.management.port={mgmt}",
                                f"-Dquarkus.http.port={free_port()}",
                                "-Drewardgate.jobs.directory=" + str((bench.WORK / "data").resolve()),
                                "-jar", "quarkus-run.jar"],
                               cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(f"http://127.0.0.1:{mgmt}/q/health/ready", lambda: process.poll() is None, "training run")
    process.terminate()
    process.wait(120)


def copy_app(name):
    target = bench.WORK / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree("target/quarkus-app", target)
    return target


def java_version(java):
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return out.replace('"', "")


def jar_rows(java, cache, rows):
    """Bare app, rewardgate, and rewardgate with the start-up cache this java makes, all on java."""
    version = java_version(java)
    base = median_starts(f"bare, {version}",
                         lambda: start_jar(java, "bench/baseline/target/quarkus-app", [], management=False))
    plain = median_starts(f"rewardgate, {version}", lambda: start_jar(java, "target/quarkus-app", []))
    rows.append({"what": f"Plain jar, {version}", "ms": plain, "bare_ms": base})
    if SMOKE:
        return
    app = copy_app("cached-" + cache)
    record, use = (("-XX:AOTCacheOutput=app.aot", "-XX:AOTCache=app.aot") if cache == "aot"
                   else ("-XX:ArchiveClassesAtExit=app-cds.jsa", "-XX:SharedArchiveFile=app-cds.jsa"))
    train(java, app, record)
    cached = median_starts(f"rewardgate with {use}", lambda: start_jar(java, app, [use]))
    rows.append({"what": f"Plain jar, {version}, {'AOT cache' if cache == 'aot' else 'AppCDS'} from a training run",
                 "ms": cached, "bare_ms": base})


def podman_start(image, entrypoint=None):
    mgmt = free_port()
    name = f"rewardgate-start-{os.getpid()}"
    command = [*PODMAN, "run", "-d", "--rm", *LIMITS, "--name", name, "--read-only", "--tmpfs", "/tmp",
               "-p", f"127.0.0.1:{mgmt}:9000", "-p", f"127.0.0.1:{free_port()}:8080"]
    if entrypoint:
        command += ["--entrypoint", "/bin/sh", image, "-c", entrypoint]
    else:
        command.append(image)
    began = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    try:
        wait_ready(f"http://127.0.0.1:{mgmt}/q/health/ready", lambda: True, image)
        return (time.monotonic() - began) * 1000
    finally:
        subprocess.run([*PODMAN, "rm", "-f", "-t", "0", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def image_rows(rows, base_image, label):
    """The bare app's image and rewardgate's, with and without its cache, on base_image; starts taken in turns."""
    tag = f"localhost/rewardgate-start:{os.getpid()}"
    bare = f"localhost/rewardgate-start-bare:{os.getpid()}"
    (bench.WORK / "Dockerfile.bare").write_text(
        f"FROM {base_image}\nCOPY bench/baseline/target/quarkus-app/ /deployments/\nUSER 185\n"
        "ENV JAVA_OPTS=\"-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError\"\n"
        "ENV QUARKUS_HTTP_PORT=9000\n"
        "ENTRYPOINT [\"/bin/sh\", \"-c\", \"exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar\"]\n")
    try:
        began = time.monotonic()
        subprocess.run([*PODMAN, "build", "-q", "--pull=never", "--build-arg", f"BASE_IMAGE={base_image}",
                        "-f", "src/main/docker/Dockerfile.jvm", "-t", tag, "."], check=True, stdout=subprocess.DEVNULL)
        bench.log(f"built the image on {base_image} with its training run in {time.monotonic() - began:.0f} s")
        subprocess.run([*PODMAN, "build", "-q", "--pull=never", "-f", str(bench.WORK / "Dockerfile.bare"),
                        "-t", bare, "."], check=True, stdout=subprocess.DEVNULL)
        version = subprocess.run([*PODMAN, "run", "--rm", *LIMITS, "--entrypoint", "java", tag, "-version"],
                                 capture_output=True, text=True).stderr.splitlines()[0].replace('"', "")
        cache = subprocess.run([*PODMAN, "run", "--rm", *LIMITS, "--entrypoint", "cat", tag,
                                "/deployments/jvm-cache.opts"],
                               capture_output=True, text=True).stdout.strip()
        times = {"bare": [], "cached": [], "uncached": []}
        for _ in range(STARTS):
            times["bare"].append(podman_start(bare))
            times["cached"].append(podman_start(tag))
            times["uncached"].append(podman_start(tag, "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"))
        for what, taken in times.items():
            bench.log(f"{label} image, {what}: {', '.join(f'{t:.0f}' for t in taken)} ms")
        base = statistics.median(times["bare"])
        rows.append({"what": f"Image on {label} ({version}), its cache left out",
                     "ms": statistics.median(times["uncached"]), "bare_ms": base})
        rows.append({"what": f"Image on {label} ({version}), as built (`{cache}`)",
                     "ms": statistics.median(times["cached"]), "bare_ms": base, "target": True})
    finally:
        subprocess.run([*PODMAN, "rmi", "-f", tag, bare], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def temurin_base(java25):
    """BASE_IMAGE with this machine's Temurin 25 in place of Debian's, as the default base eclipse-temurin:25-jre
    carries it (no registry is reached here)."""
    home = Path(java25).resolve().parent.parent
    tag = "localhost/rewardgate-base:temurin25"
    if "temurin" not in home.name:
        return None
    if subprocess.run([*PODMAN, "image", "exists", tag]).returncode != 0:
        context = bench.WORK / "temurin-base"
        shutil.rmtree(context, ignore_errors=True)
        context.mkdir(parents=True)
        shutil.copytree(home, context / "jdk", symlinks=True)
        (context / "Dockerfile").write_text(f"FROM {BASE_IMAGE}\nCOPY jdk /opt/java\nENV PATH=/opt/java/bin:$PATH\n")
        subprocess.run([*PODMAN, "build", "-q", "--pull=never", "-t", tag, str(context)], check=True,
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(context, ignore_errors=True)
    return tag


def main():
    for needed in ("target/quarkus-app/quarkus-run.jar", "bench/baseline/target/quarkus-app/quarkus-run.jar"):
        if not Path(needed).exists():
            bench.log(f"{needed} is missing: run ./mvnw package -DskipTests (and -f bench/baseline/pom.xml)")
            sys.exit(2)
    bench.WORK.mkdir(parents=True, exist_ok=True)
    rows = []
    jar_rows("java", "cds", rows)
    java25 = os.environ.get("JAVA25") or next(iter(sorted(glob.glob("/usr/lib/jvm/*25*/bin/java"))), None)
    if java25:
        jar_rows(java25, "aot", rows)
    if not SMOKE:
        if os.geteuid() != 0 or not shutil.which("podman") or subprocess.run(
                [*PODMAN, "image", "exists", BASE_IMAGE]).returncode != 0:
            bench.log(f"image rows skipped: needs root, podman and {BASE_IMAGE}")
        else:
            image_rows(rows, BASE_IMAGE, "Debian trixie")
            temurin = temurin_base(java25) if java25 else None
            if temurin:
                image_rows(rows, temurin, "Debian trixie with Temurin")
    section = [SECTION, "",
               f"From launching the JVM (or `podman run`) to the first 200 of `/q/health/ready`, median of {STARTS}; "
               "rewardgate on its defaults (stub backend), the bare app is `bench/baseline` on the same JVM or base "
               "image, every JVM with the image's flags for a 512 MiB container (`python3 bench/start.py`).", "",
               "| Run | rewardgate | Bare Quarkus | Ratio | Target |", "| --- | --- | --- | --- | --- |"]
    for row in rows:
        ratio = row["ms"] / row["bare_ms"]
        target = (f"<= {TARGET}: {'yes' if ratio <= TARGET else '**no**'}") if row.get("target") else "(reported)"
        section.append(f"| {row['what']} | {row['ms']:.0f} ms | {row['bare_ms']:.0f} ms | {ratio:.2f} | {target} |")
    section.append("")
    saved, bench.OUT = bench.OUT, OUT
    try:
        bench.write_section(section, rows, bench.WORK)
    finally:
        bench.OUT = saved


if __name__ == "__main__":
    main()
