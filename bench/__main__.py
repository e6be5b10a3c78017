"""The benchmark suite: ``python -m bench`` (``make bench``), ``--smoke`` (``make bench-smoke``).

The full run checks that every app answers every endpoint as expected, then
measures in-process time, over-the-wire load, start-up and instruction
counts, and writes ``bench/results/<time>.{json,md}``, ``latest.{json,md}``,
``docs/benchmarks.md`` (from ``bench/benchmarks.md.in``) and
``docs/benchmarks.png``. Targets are reported, never enforced.

The smoke run proves the suite still works in about a minute: a few hundred
requests per framework in-process, one callgrind sample of the GET for
fastcore and FastAPI when valgrind exists, one second of wrk per framework
on one endpoint when wrk exists. It writes nothing and checks no target; it
fails only when something breaks or an app answers wrongly. Frameworks and
tools that are not installed are skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import inprocess, instructions, report, startup, wire
from bench.cases import CASES, Mismatch
from bench.children import ROOT
from bench.frameworks import BY_KEY, FRAMEWORKS, Framework

RESULTS = ROOT / "bench" / "results"
TEMPLATE = ROOT / "bench" / "benchmarks.md.in"
DOCS_PAGE = ROOT / "docs" / "benchmarks.md"
DOCS_PLOT = ROOT / "docs" / "benchmarks.png"
MEASURES = ("inprocess", "wire", "startup", "instructions")
#: The endpoints of the smoke run's callgrind sample and wrk second.
SMOKE_CALLGRIND = ["item"]
SMOKE_WIRE = ["item"]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--smoke", action="store_true", help="a short run; writes nothing")
    parser.add_argument("--frameworks", help="comma-separated keys (default: all installed)")
    parser.add_argument("--skip", default="", help=f"comma-separated, of: {', '.join(MEASURES)}")
    parser.add_argument("--repeats", type=int, default=7, help="in-process repetitions")
    parser.add_argument(
        "--batch-seconds", type=float, default=0.15, help="length of one in-process batch"
    )
    parser.add_argument("--wire-rounds", type=int, default=5, help="over-the-wire rounds")
    parser.add_argument(
        "--wire-seconds", type=float, default=1, help="wrk time per endpoint and round"
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--ws-connections", type=int, default=8)
    parser.add_argument("--startup-repeats", type=int, default=3)
    parser.add_argument("--callgrind-warmup", type=int, default=20)
    parser.add_argument("--callgrind-requests", type=int, default=100)
    parser.add_argument("--no-docs", action="store_true", help="don't regenerate docs/")
    parser.add_argument(
        "--rewrite-docs",
        action="store_true",
        help="measure nothing: regenerate docs/ from bench/results/latest.json",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.repeats, args.wire_rounds, args.wire_seconds, args.startup_repeats = 1, 1, 1, 1
        args.callgrind_warmup, args.callgrind_requests = 5, 20
    return args


def select_frameworks(names: str | None) -> list[Framework]:
    wanted = names.split(",") if names else [framework.key for framework in FRAMEWORKS]
    unknown = set(wanted) - {framework.key for framework in FRAMEWORKS}
    if unknown:
        sys.exit(f"unknown frameworks: {', '.join(sorted(unknown))}")
    chosen = []
    for framework in FRAMEWORKS:
        if framework.key not in wanted:
            continue
        if framework.available():
            chosen.append(framework)
        else:
            print(f"note: skipping {framework.label}: {framework.package} is not installed")
    return chosen


def tool_version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except OSError:
        return "not installed"
    return (done.stdout or done.stderr).strip().splitlines()[0]


def cython_version() -> str:
    """The Cython that built fastcore's compiled core, as ``python -m fastcore info`` says."""
    command = [sys.executable, "-m", "fastcore", "info"]
    env = BY_KEY["fastcore"].child_env()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    for line in done.stdout.splitlines():
        if line.startswith("cython:"):
            return line.split(":", 1)[1].strip()
    return "none: no compiled core"


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0)), "kernel": platform.release()}


def versions(frameworks: list[Framework]) -> dict[str, str]:
    found = {"Python": f"{platform.python_version()} ({platform.python_implementation()})"}
    for framework in frameworks:
        if framework.package != "pydantic":
            found[framework.package] = framework.version()
    for package in ("pydantic", "pydantic-core", "uvicorn", "uvloop", "httptools", "websockets"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    found["Cython (built fastcore)"] = cython_version()
    found["wrk"] = tool_version(["wrk", "--version"]).split(" Copyright")[0]
    found["valgrind"] = tool_version(["valgrind", "--version"])
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    frameworks = select_frameworks(args.frameworks)
    skip = set(filter(None, args.skip.split(",")))
    if skip - set(MEASURES):
        sys.exit(f"--skip takes some of: {', '.join(MEASURES)}")
    if not shutil.which("wrk") and "wire" not in skip:
        print("note: wrk is not installed: nothing measured over the wire (apt-get install wrk)")
        skip.add("wire")
    if not instructions.available() and "instructions" not in skip:
        print("note: valgrind is not installed: no instruction counts (apt-get install valgrind)")
        skip.add("instructions")
    results: dict[str, Any] = {
        "frameworks": {f.key: {"label": f.label, "version": f.version()} for f in frameworks},
        "phase_seconds": {},
    }
    every = [case.key for case in CASES] + ["websocket"]

    def phase(name: str, title: str, measure: Any, *measure_args: Any) -> None:
        if name in skip:
            return
        print(title, flush=True)
        began = time.monotonic()
        results[name] = measure(*measure_args)
        results["phase_seconds"][name] = round(time.monotonic() - began)

    # The smoke run counts instructions and times start-up for fastcore and FastAPI only, and
    # counts alongside the rest (counts do not depend on the load: callgrind takes longest);
    # the full run counts last, so as not to disturb the timings.
    pair = [f for f in frameworks if f.key in ("fastcore", "fastapi")] if args.smoke else frameworks
    callgrind = (SMOKE_CALLGRIND if args.smoke else every, args.callgrind_warmup,
                 args.callgrind_requests)  # fmt: skip
    with ThreadPoolExecutor(1) as pool:
        background = None
        if args.smoke and "instructions" not in skip:
            background = pool.submit(instructions.measure, pair, *callgrind)
        phase("inprocess", "in-process: checking and timing", inprocess.measure, frameworks,
              every, args.repeats, args.batch_seconds, 100 if args.smoke else None)  # fmt: skip
        phase("wire", "over the wire: uvicorn + wrk", wire.measure, frameworks,
              SMOKE_WIRE if args.smoke else every[:-1], args.wire_rounds, args.wire_seconds,
              args.connections, args.ws_connections, not args.smoke)  # fmt: skip
        phase("startup", "start-up: import, build and first /openapi.json", startup.measure,
              pair, args.startup_repeats)  # fmt: skip
        if background is not None:
            results["instructions"] = background.result()
        else:
            phase("instructions", "instructions: callgrind", instructions.measure, pair,
                  *callgrind)  # fmt: skip
    return results


def save(results: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    text = json.dumps(results, indent=1) + "\n"
    page = report.markdown(results)
    for name in (stamp, "latest"):
        (RESULTS / f"{name}.json").write_text(text)
        (RESULTS / f"{name}.md").write_text(page)
    print(f"wrote bench/results/{stamp}.json and .md, and latest.*")


def publish(results: dict[str, Any]) -> None:
    from bench.plot import plot

    DOCS_PAGE.write_text(report.page(TEMPLATE.read_text(), results))
    plot(results, DOCS_PLOT)
    print("wrote docs/benchmarks.md and docs/benchmarks.png")


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    if args.rewrite_docs:
        results = json.loads((RESULTS / "latest.json").read_text())
        results["targets"] = report.targets(results)
        publish(results)
        return
    began = time.monotonic()
    try:
        results = run(args)
    except Mismatch as mismatch:
        sys.exit(f"{mismatch}\nnothing was measured")
    results["meta"] = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "versions": versions([f for f in FRAMEWORKS if f.key in results["frameworks"]]),
        "command": shlex.join(["python", "-m", "bench", *argv]),
        "settings": {
            "in-process": f"{args.repeats} repetitions of batches of about "
            f"{args.batch_seconds} s per endpoint and framework",
            "over the wire": f"median of {args.wire_rounds} rounds of wrk -t1 -c{args.connections}"
            f" -d{args.wire_seconds:g}s per endpoint; WebSocket client: {args.ws_connections} "
            "connections",
            "callgrind": f"{args.callgrind_warmup} warm-up requests, then "
            f"{args.callgrind_requests} counted",
            "start-up": f"median of {args.startup_repeats} fresh processes",
        },
        "seconds": round(time.monotonic() - began),
    }
    if args.smoke:
        print(report.markdown(results, with_targets=False))
        print(f"smoke run done in {results['meta']['seconds']} s, {results['phase_seconds']} "
              "(no target checked)")  # fmt: skip
        return
    results["targets"] = report.targets(results)
    save(results)
    if not args.no_docs:
        publish(results)
    print(report.targets_table(results["targets"]))
    print(f"done in {results['meta']['seconds']} s")


if __name__ == "__main__":
    main(sys.argv[1:])
