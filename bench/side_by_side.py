"""Run one in-process benchmark for each framework, each in its own process, and compare.

fastcore's compiled and pure cores cannot share an interpreter (the core is
chosen at import), so every framework runs in a child process of the same
script. A benchmark script defines ``measure(module_name, requests)``,
returning median µs per case, and calls ``run(__doc__, __file__, measure)``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable

FRAMEWORKS = {
    "fastcore (compiled)": ("fastcore", {}),
    "fastcore (pure)": ("fastcore", {"FASTCORE_PURE_PYTHON": "1"}),
    "fastapi": ("fastapi", {}),
}


def run(
    description: str | None, script: str, measure: Callable[[str, int], dict[str, float]]
) -> None:
    """Parse the command line; in a child, measure; else run the children and print ratios."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.requests)))
        return
    results: dict[str, dict[str, float]] = {}
    for label, (module_name, env) in FRAMEWORKS.items():
        command = [sys.executable, script, "--child", module_name]
        command += ["--requests", str(args.requests)]
        done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{label}: failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        results[label] = json.loads(done.stdout)
    reference = results.get("fastapi", {})
    for case in next(iter(results.values()), {}):
        print(case)
        for label, timings in results.items():
            ratio = reference.get(case, float("nan")) / timings[case]
            print(f"  {label:<22}{timings[case]:>9.1f} µs   FastAPI / this: {ratio:5.2f}")
