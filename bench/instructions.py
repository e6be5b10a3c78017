"""Instructions per request, counted by valgrind's callgrind: noise-free where time is not.

Each framework runs ``bench.worker callgrind`` under
``valgrind --tool=callgrind --instr-atstart=no --dump-before=getloadavg``.
The child imports and builds its app uninstrumented (callgrind's fifty-fold
slow-down would make imports take most of the run), then waits while
``callgrind_control --instr=on`` switches instrumentation on. For every case
it then sends ``warmup`` requests, calls ``os.getloadavg()``, sends
``requests`` more and calls it again. callgrind writes and resets its
counters before each of those calls, so every second dump holds exactly the
steady-state requests of one case, and the instructions per request are its
total divided by ``requests`` (the driver's own loop included: a few hundred
instructions, the same for every framework). Python's hash seed is fixed, so
counts repeat from run to run. Two frameworks run at a time: instruction
counts do not depend on what else the machine does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.children import ROOT, worker_command
from bench.frameworks import Framework

_PART = re.compile(r"^part:\s*(\d+)", re.MULTILINE)
_SUMMARY = re.compile(r"^summary:\s*(\d+)", re.MULTILINE)


def available() -> bool:
    return shutil.which("valgrind") is not None


def count(framework: Framework, case_keys: list[str], warmup: int, requests: int) -> dict[str, int]:
    """Instructions per request of each case, for one framework."""
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
            "--dump-before=getloadavg", "--dump-line=no",
            *worker_command("callgrind", framework.key, warmup, requests, *case_keys),
        ]  # fmt: skip
        env = {**framework.child_env(), "PYTHONHASHSEED": "0"}
        with tempfile.TemporaryFile("w+") as log:
            child = subprocess.Popen(command, cwd=ROOT, env=env, text=True, stderr=log,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
            assert child.stdin is not None and child.stdout is not None
            if child.stdout.readline().strip() == "ready":
                subprocess.run(["callgrind_control", "--instr=on", str(child.pid)],
                               capture_output=True, check=True)  # fmt: skip
                child.stdin.write("go\n")
                child.stdin.close()
            if child.wait() != 0:
                log.seek(0)
                tail = "\n".join(log.read().strip().splitlines()[-8:])
                raise RuntimeError(f"{framework.label} under callgrind failed:\n{tail}")
        totals = {}
        for dump in Path(directory).glob("callgrind.out.*"):
            text = dump.read_text()
            part, summary = _PART.search(text), _SUMMARY.search(text)
            if part is None or summary is None:
                raise RuntimeError(f"unreadable callgrind dump {dump.name}")
            totals[int(part.group(1))] = int(summary.group(1))
    # Dumps 1, 3, 5, ... hold the warm-ups; 2, 4, 6, ... the measured requests.
    if len(totals) != 2 * len(case_keys):
        raise RuntimeError(f"{framework.label}: {len(totals)} callgrind dumps, expected more")
    return {key: totals[2 * (index + 1)] // requests for index, key in enumerate(case_keys)}


def measure(
    frameworks: list[Framework], case_keys: list[str], warmup: int, requests: int
) -> dict[str, dict[str, int]]:
    """``results[case][framework]``: instructions per request."""
    results: dict[str, dict[str, int]] = {key: {} for key in case_keys}
    workers = min(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(workers) as pool:
        futures = {
            framework.key: pool.submit(count, framework, case_keys, warmup, requests)
            for framework in frameworks
        }
        for name, future in futures.items():
            for key, value in future.result().items():
                results[key][name] = value
            print(f"  instructions: {name} done", flush=True)
    return results
