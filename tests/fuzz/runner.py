"""Command line: fuzz each target for a bounded time, one after the other, and report.

    python -m tests.fuzz [--seconds N] [--target NAME ...] [--workdir DIR] [--native MODE]
                         [--fresh]
    python -m tests.fuzz --replay FILE ... --target NAME

Each target runs in a process of its own (``tests.fuzz.engine``): atheris
can set up only once per process, and libFuzzer ends the process when its
time is up. One at a time, so the machine stays usable. The work directory
keeps each target's corpus between runs (a longer campaign resumes where the
last one stopped), the instrumented build of the compiled core, and the
findings. Printed per target: executions, seconds, executions per second,
coverage and corpus size as libFuzzer counts them, and the findings (each
signature once, with how often it was hit). The exit status is 1 when any
target found a bug or crashed.

``--replay`` runs saved inputs through a target's harness without atheris
and prints what differs, for debugging a finding.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.fuzz import sides
from tests.fuzz.compare import Finding
from tests.fuzz.engine import LastInput
from tests.fuzz.native import build, sanitizer_environment
from tests.fuzz.targets import TARGETS, load

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "fastcore-fuzz"
# Start-up (imports, a first instrumented build) is not part of a target's time;
# past this much more, the run is stopped as hung.
GRACE_SECONDS = 240


@dataclass
class Report:
    target: str
    seconds: float = 0.0  # fuzzing, as libFuzzer counts it
    wall: float = 0.0  # the whole process, start-up included
    executions: int | None = None
    coverage: str = "?"
    corpus: str = "?"
    findings: dict[str, int] = field(default_factory=dict)
    status: str = "ok"  # ok | findings | crashed | timeout
    log: Path | None = None
    crash_input: Path | None = None  # the input running when the process died


_DONE = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_TIME = re.compile(r"Done \d+ runs in (\d+) second")
_STATUS = re.compile(r"#\d+\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/(\S+)")


def parse_log(text: str, report: Report) -> None:
    """Fill ``report`` from libFuzzer's output: executions, and its last status line."""
    done = _DONE.findall(text)
    if done:
        report.executions = int(done[-1])
    times = _TIME.findall(text)
    if times:
        report.seconds = float(times[-1])
    statuses = _STATUS.findall(text)
    if statuses:
        cov, features, units, size = statuses[-1]
        report.coverage = f"{cov} edges / {features} features"
        report.corpus = f"{units} inputs, {size}"


def run_target(target: str, seconds: int, workdir: Path, native: str) -> Report:
    report = Report(target)
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    report.log = logs / f"{target}.log"
    findings_file = workdir / "findings" / target / "findings.json"
    findings_file.unlink(missing_ok=True)
    last_input = workdir / "artifacts" / target / "last-input"
    last_input.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "tests.fuzz.engine",
        target,
        str(seconds),
        str(workdir),
        native,
    ]
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    env.pop("FASTCORE_PURE_PYTHON", None)  # the subject is the compiled core
    if native == "asan":
        env.update(sanitizer_environment(build(workdir, address_sanitizer=True)))
    started = time.monotonic()
    with report.log.open("w") as log:
        try:
            done = subprocess.run(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=seconds + GRACE_SECONDS,
                check=False,
            )
            returncode: int | None = done.returncode
        except subprocess.TimeoutExpired:
            returncode = None
    report.wall = time.monotonic() - started
    parse_log(report.log.read_text(errors="replace"), report)
    if findings_file.exists():
        report.findings = json.loads(findings_file.read_text())
    if returncode is None:
        report.status = "timeout"
    elif returncode != 0:
        report.status = "crashed"
    elif report.findings:
        report.status = "findings"
    if report.status in ("timeout", "crashed") and last_input.exists():
        executions, data = LastInput.read(last_input)
        if report.executions is None:
            report.executions = executions
            report.seconds = report.wall
        report.crash_input = last_input.with_name("crash-input")
        report.crash_input.write_bytes(data)
    return report


def print_reports(reports: list[Report], workdir: Path) -> None:
    header = (
        f"{'target':<9} {'executions':>11} {'seconds':>7} {'wall':>6} {'exec/s':>7}  "
        f"{'coverage':<28} corpus"
    )
    print(header)
    print("-" * len(header))
    for report in reports:
        executions = "?" if report.executions is None else f"{report.executions:,}"
        rate = "?"
        if report.executions and report.seconds:
            rate = f"{report.executions / report.seconds:,.0f}"
        print(
            f"{report.target:<9} {executions:>11} {report.seconds:>7.0f} {report.wall:>6.1f} "
            f"{rate:>7}  {report.coverage:<28} {report.corpus}"
        )
    print()
    for report in reports:
        if report.status == "ok":
            print(f"{report.target}: no difference, no crash")
            continue
        print(f"{report.target}: {report.status.upper()} (log: {report.log})")
        for signature, hits in sorted(report.findings.items()):
            print(f"  {hits:>6} x {signature}")
        if report.findings:
            print(f"  inputs and details: {workdir / 'findings' / report.target}/")
        if report.crash_input is not None:
            print(f"  input running when it stopped: {report.crash_input}")
            print(f"  libFuzzer's own crash files, if any: {report.crash_input.parent}/")


def replay(target_name: str, files: list[str]) -> int:
    target = load(target_name)
    subject, oracle = sides.compiled(), sides.pure()
    status = 0
    for name in files:
        data = Path(name).read_bytes()
        try:
            target.check(data, subject, oracle)
            print(f"{name}: same answers")
        except Finding as finding:
            print(f"{name}: {finding}")
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fuzz", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per target (60)")
    parser.add_argument(
        "--target", action="append", choices=TARGETS, help="a target to run (repeatable; all)"
    )
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="corpora, findings")
    parser.add_argument(
        "--native",
        choices=("auto", "on", "off", "asan"),
        default="auto",
        help="instrument the compiled core with clang: when available (auto), required (on), "
        "never (off), or required and with AddressSanitizer (asan, slower)",
    )
    parser.add_argument("--fresh", action="store_true", help="start from the seeds, not the corpus")
    parser.add_argument("--replay", nargs="+", metavar="FILE", help="replay inputs, no fuzzing")
    options = parser.parse_args(argv)
    targets = options.target or list(TARGETS)
    if options.replay:
        if len(targets) != 1:
            parser.error("--replay needs exactly one --target")
        return replay(targets[0], options.replay)
    try:
        import atheris  # noqa: F401 - only checked here; the engine imports it
    except ImportError:
        parser.error("atheris is not installed (pip install -e '.[fuzz]')")
    try:
        sides.compiled()
    except ImportError as error:
        parser.error(f"the compiled core is not built ({error}): nothing to fuzz")
    workdir = options.workdir.resolve()
    if options.native == "asan":
        try:
            build(workdir, address_sanitizer=True)  # before any target starts
        except RuntimeError as error:
            parser.error(f"--native asan: {error}")
    if options.fresh:
        shutil.rmtree(workdir / "corpus", ignore_errors=True)
    reports = []
    for target in targets:
        print(f"fuzzing {target} for {options.seconds}s ...", flush=True)
        reports.append(run_target(target, options.seconds, workdir, options.native))
    print()
    print_reports(reports, workdir)
    return 0 if all(report.status == "ok" for report in reports) else 1
